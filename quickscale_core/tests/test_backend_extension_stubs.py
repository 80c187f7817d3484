"""A manifest's ``backend-extensions`` template is appended to the project's
backend_extensions.py, after what the theme wrote, and only where it renders text."""

from __future__ import annotations

import ast
import dataclasses

from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog
from quickscale_toolchain.catalog import Catalog
from quickscale_toolchain.components import Component
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.wiring import ModuleChoice
from quickscale_toolchain.manifest import parse_manifest

MODULES = (ModuleChoice("payments", "stripe"), ModuleChoice("billing", "stripe"))


def _render(theme: str, components: Catalog | None = None) -> dict[str, str]:
    components = components or catalog.from_directory(monorepo_root(), "checkout")
    spec = ProjectSpec("acme", theme=theme, modules=MODULES, catalog=components)
    return {p: f.content.decode() for p, f in render_project(spec).items() if p.endswith(".py")}


def test_a_module_s_stub_follows_the_theme_s_file_and_is_valid_python() -> None:
    files = _render("todo")
    text = files["acme/backend_extensions.py"]
    ast.parse(text)
    theme_part, stub = text.split("# modules/billing: written from ", 1)
    assert "class ExtendedBusinessLogic" in theme_part  # the theme's file is kept
    assert stub.startswith("quickscale_modules/billing/generate/backend_extensions.py.j2\n")
    assert "class BillingTodoPolicy(TodoPolicy)" in stub
    assert (
        'QUICKSCALE_TODO_POLICY = "acme.backend_extensions.BillingTodoPolicy"'
        in (files["acme/settings.py"])
    )


def test_a_stub_that_renders_nothing_adds_nothing() -> None:
    files = _render("starter")
    assert "# modules/billing" not in files["acme/backend_extensions.py"]
    assert "QUICKSCALE_TODO_POLICY" not in files["acme/settings.py"]


def test_the_manifest_field_points_at_a_file_the_catalogue_carries() -> None:
    text = (
        '[project]\nname = "x"\nversion = "0.1.0"\n[tool.quickscale]\n'
        'kind = "module"\nname = "x"\nbackend-extensions = "generate/stubs.py.j2"\n'
    )
    manifest = parse_manifest(text, "x/pyproject.toml", Component("modules", "x"))
    assert manifest.backend_extensions == "generate/stubs.py.j2"
    assert "generate/stubs.py.j2" in manifest.referenced_files()
    assert dataclasses.replace(manifest, backend_extensions=None).referenced_files() == ()
