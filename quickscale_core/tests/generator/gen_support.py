"""Shared helpers and sample configs of the generator tests (imported by name).

Most tests build a project without git (render + ownership records + quickscale.yml),
which is all `generate` needs and keeps property tests fast. A plain module rather than
conftest.py, so no other test package's conftest can shadow it.
"""

from __future__ import annotations

import copy
import hashlib
import os
from pathlib import Path
from typing import Any

import yaml
from quickscale_toolchain.generator import ownership
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.plan import Plan
from quickscale_toolchain.generator.project_files import managed_files, render_project
from quickscale_toolchain.generator.scaffold import write_files
from quickscale_toolchain.generator.sync import apply_plan, plan_project

BASE_CONFIG: dict[str, Any] = {
    "schema_version": 2,
    "project": {"name": "acme", "version": "0.1.0"},
    "theme": "starter",
    "backend_extensions": "acme.backend_extensions",
    "frontend": {"source": "./custom_frontend/", "variant": "default"},
}

PRODUCT = {
    "name": "Product",
    "fields": [{"name": "name", "type": "string"}, {"name": "price", "type": "decimal"}],
}
ORDER = {
    "name": "Order",
    "fields": [
        {"name": "product", "type": "foreign_key", "to": "Product"},
        {"name": "quantity", "type": "integer", "default": 1},
        {"name": "note", "type": "text", "required": False},
        {"name": "tracking", "type": "url", "required": False},
        {"name": "placed", "type": "datetime"},
    ],
}

#: A default of each field type that takes one, as quickscale.yml writes it.
DEFAULTS: dict[str, Any] = {
    "string": "draft",
    "text": "none yet",
    "integer": 3,
    "big_integer": 9_000_000_000,
    "decimal": "9.99",
    "float": 0.25,
    "boolean": True,
    "date": "2024-01-31",
    "datetime": "2024-01-02T03:04:05Z",
    "time": "12:30",
    "email": "team@example.com",
    "url": "https://example.com",
    "slug": "a-slug",
    "uuid": "12345678-1234-5678-1234-567812345678",
    "json": {"tags": ["a", "b"]},
}
#: Every field type required, optional and with a default, beside a foreign key to
#: Product and an optional one to User: the project's own tests add one through the
#: admin, whose add view once failed on a datetime's default.
EVERY_TYPE = {
    "name": "Sampler",
    "fields": [
        {"name": "product", "type": "foreign_key", "to": "Product"},
        {"name": "owner", "type": "foreign_key", "to": "User", "required": False},
        *({"name": f"{kind}_r", "type": kind} for kind in DEFAULTS),
        *({"name": f"{kind}_o", "type": kind, "required": False} for kind in DEFAULTS),
        *({"name": f"{kind}_d", "type": kind, "default": DEFAULTS[kind]} for kind in DEFAULTS),
    ],
}


def config(**changes: Any) -> dict[str, Any]:
    """BASE_CONFIG with top-level keys replaced (``models=[...]`` sets customizations)."""
    data = copy.deepcopy(BASE_CONFIG)
    models = changes.pop("models", None)
    rules = changes.pop("rules", None)
    variant = changes.pop("variant", None)
    data.update(changes)
    if variant:
        data["frontend"]["variant"] = variant
    if models or rules:
        data["customizations"] = {}
        if models:
            data["customizations"]["models"] = copy.deepcopy(models)
        if rules:
            data["customizations"]["business_rules"] = list(rules)
    return data


def write_config(root: Path, data: dict[str, Any]) -> None:
    (root / "quickscale.yml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def make_project(root: Path, data: dict[str, Any]) -> Path:
    """A project as `init` writes it (files, records, config), minus git and the subtree."""
    spec = spec_from_config(data)
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, render_project(spec))
    managed = {path: f.content for path, f in managed_files(spec).items()}
    ownership.write(root, managed, ownership.Records())
    write_config(root, data)
    return root


def generate(root: Path) -> Plan:
    """What `quickscale generate` does, minus migrations and printing."""
    plan = plan_project(root)
    apply_plan(plan)
    return plan


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones included) -> its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts[:1]
    }


def tree_digest(root: Path) -> dict[str, str]:
    """Every path under ``root`` (files, dirs, modes) -> a digest, to prove nothing moved."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        st = p.lstat()
        body = p.read_bytes() if p.is_file() else b""
        out[rel] = f"{oct(st.st_mode)}:{st.st_mtime_ns}:{hashlib.sha256(body).hexdigest()}"
    return out


def shared_code_path() -> str:
    """PYTHONPATH entries for the themes and modules of this working tree.

    Generated projects run here with this venv's Python (which has their runtime
    packages); the theme and module packages are importable from their source folders
    even where they are not pip-installed (e.g. a venv made by `make venv`).
    """
    from quickscale_testing.repos import monorepo_root

    root = monorepo_root()
    folders = sorted(root.glob("quickscale_themes/*/src")) + sorted(
        root.glob("quickscale_modules/*/src")
    )
    return os.pathsep.join(str(folder) for folder in folders)


def django_free_env(**extra: str) -> dict[str, str]:
    """Environment for running a generated project's own commands in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (shared_code_path(), os.environ.get("PYTHONPATH", "")) if p
    )
    env.update(extra)
    return env
