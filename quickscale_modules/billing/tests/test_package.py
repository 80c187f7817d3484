"""The package as it ships: migrations, manifest, and the boundary with payments."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from quickscale_modules.billing import settings as qs_billing

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SOURCE = PACKAGE_DIR / "src" / "quickscale_modules" / "billing"


def test_the_migrations_match_the_models() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemigrations", "quickscale_billing", "--check"],
        cwd=PACKAGE_DIR / "tests",
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings", "PYTHONPATH": ".:../src"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_billing_imports_nothing_from_payments_but_its_services() -> None:
    """The boundary: every import of quickscale_modules.payments in billing's code, by
    AST (comments and strings do not count), names the services module."""
    found: list[tuple[str, str]] = []
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                if node.module == "quickscale_modules.payments":
                    names = [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(path.name, n) for n in names if n.startswith("quickscale_modules.payments")]
    assert found, "billing listens to payments' signal: the scan must see that import"
    assert {name for _, name in found} == {"quickscale_modules.payments.services"}, found


def test_billing_never_creates_a_charge_itself() -> None:
    calls = {"charges", "payment_intents", "refunds", "invoices"}
    text = "\n".join(p.read_text() for p in SOURCE.rglob("*.py"))
    assert not [c for c in calls if f"v1.{c}." in text]


def test_the_manifest_declares_what_the_code_reads() -> None:
    data = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text())
    manifest = data["tool"]["quickscale"]
    assert manifest["apps"] == qs_billing.INSTALLED_APPS
    assert manifest["requires"] == ["modules/payments"]
    payments = tomllib.loads((PACKAGE_DIR.parent / "payments" / "pyproject.toml").read_text())
    theirs = payments["tool"]["quickscale"]["pins"]
    assert all(theirs[name] == version for name, version in manifest["pins"].items())


def test_every_table_is_declared_for_removal_warnings() -> None:
    from django.apps import apps

    manifest = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text())["tool"]["quickscale"]
    ours = {m._meta.db_table for m in apps.get_app_config("quickscale_billing").get_models()}
    assert set(manifest["tables"]) == ours


def test_the_package_is_a_regular_package_under_the_namespace() -> None:
    """Inside a project the subtree folder quickscale_modules/billing/ is on the path
    too: without __init__.py the app would be a namespace with two locations."""
    assert (SOURCE / "__init__.py").is_file()
    assert not (SOURCE.parent / "__init__.py").exists()  # PEP 420 namespace above
