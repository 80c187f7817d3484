"""The package as it ships: migrations match the models, the manifest matches the code."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from quickscale_modules.payments import settings as qs_payments

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def test_the_migrations_match_the_models() -> None:
    """In a subprocess: this suite builds its tables without migrations (--no-migrations),
    which would hide them from makemigrations here."""
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemigrations", "quickscale_payments", "--check"],
        cwd=PACKAGE_DIR / "tests",
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings", "PYTHONPATH": "."},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_the_manifest_declares_what_the_code_reads() -> None:
    data = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text())
    manifest = data["tool"]["quickscale"]
    assert manifest["apps"] == qs_payments.INSTALLED_APPS
    assert tuple(manifest["providers"]["stripe"]["env"]) == qs_payments.KEY_VARIABLES
    pinned = dict(d.split("==") for d in data["project"]["dependencies"] if "==" in d)
    assert {k: manifest["pins"][k] for k in ("dj-stripe", "stripe")} == {
        k: pinned[k] for k in ("dj-stripe", "stripe")
    }


def test_every_table_the_models_create_is_declared_for_removal_warnings() -> None:
    from django.apps import apps

    manifest = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text())["tool"]["quickscale"]
    ours = {m._meta.db_table for m in apps.get_app_config("quickscale_payments").get_models()}
    assert all(name.startswith("quickscale_payments_") for name in ours)  # no custom names
    theirs = {m._meta.db_table for m in apps.get_app_config("djstripe").get_models()}
    assert set(manifest["tables"]) == ours | theirs


def test_the_csp_allows_stripe_checkout_and_nothing_else() -> None:
    manifest = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text())["tool"]["quickscale"]
    assert manifest["csp"] == {
        "form-action": ["https://checkout.stripe.com"],  # the redirect to the hosted page
        "frame-src": ["https://checkout.stripe.com"],  # embedded Checkout
    }
