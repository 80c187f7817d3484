"""Rendering the project template tree: complete, deterministic, strict."""

from pathlib import Path

import pytest
import yaml
from quickscale_toolchain import pins
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.render import TemplateRefused, render_tree, templates_root
from quickscale_toolchain.generator.scaffold import render_project

EXPECTED = {
    "manage.py",
    "quickscale.yml",
    "requirements.txt",
    "requirements-dev.txt",
    ".env.example",
    ".gitignore",
    ".dockerignore",
    "README.md",
    "pyproject.toml",
    "Dockerfile",
    "compose.yaml",
    ".github/workflows/ci.yml",
    "tests/test_site.py",
    "tests/test_urls.py",
    "tests/test_personal_data.py",
    "custom_frontend/templates/base.html",
    "custom_frontend/static/css/main.css",
    "custom_frontend/static/js/app.js",
    "custom_frontend/variants/default/static/css/variant.css",
    "custom_frontend/variants/client_a/static/css/variant.css",
    *(f"acme/{m}.py" for m in ("settings", "urls", "wsgi", "asgi", "backend_extensions")),
    "acme/models.py",
    "acme/migrations/0001_initial.py",
}


def test_project_tree_has_the_standard_layout() -> None:
    files = render_project(ProjectSpec("acme"))
    assert set(files) >= EXPECTED
    assert any(p.startswith("custom_frontend/templates/components/") for p in files)
    assert not any(p.endswith(".j2") or "__project__" in p or "/dot-" in p for p in files)
    assert files["manage.py"].executable
    assert not files["acme/settings.py"].executable


def test_rendering_is_deterministic() -> None:
    first = render_project(ProjectSpec("acme"))
    second = render_project(ProjectSpec("acme"))
    assert {p: f.content for p, f in first.items()} == {p: f.content for p, f in second.items()}
    other = render_project(ProjectSpec("beta"))
    assert other["beta/settings.py"].content != first["acme/settings.py"].content


def test_quickscale_yml_is_the_newest_schema_with_the_brief_s_defaults() -> None:
    from quickscale_testing.repos import monorepo_root
    from quickscale_toolchain.catalog import from_directory
    from quickscale_toolchain.config import LATEST_VERSION, validate_text

    catalog = from_directory(monorepo_root(), origin="source")
    text = render_project(ProjectSpec("acme", catalog=catalog))["quickscale.yml"].content.decode()
    data = yaml.safe_load(text)
    assert data == {
        "schema_version": LATEST_VERSION,
        "project": {"name": "acme", "version": "0.1.0"},
        "theme": "starter",
        "backend_extensions": "acme.backend_extensions",
        "frontend": {"source": "./custom_frontend/", "variant": "default"},
    }
    # Every module the source offers is listed, commented out, and valid once uncommented.
    assert catalog.modules
    for name in catalog.modules:
        assert f"\n#   {name}:\n" in text
    enabled = text.replace("\n# modules:\n", "\nmodules:\n").replace("\n#   ", "\n  ")
    assert set(yaml.safe_load(enabled)["modules"]) == set(catalog.modules)
    result = validate_text(enabled, components=catalog)
    assert result.ok and result.schema_version == LATEST_VERSION, [
        d.format() for d in result.diagnostics
    ]


def test_every_requirement_is_pinned_exactly() -> None:
    files = render_project(ProjectSpec("acme"))
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = files[name].content.decode().splitlines()
        reqs = [ln for ln in lines if ln and not ln.startswith(("#", "-e ", "-r "))]
        assert reqs, name
        assert all("==" in ln and ">" not in ln and "<" not in ln for ln in reqs), reqs
    assert f"Django=={pins.DJANGO}" in files["requirements.txt"].content.decode()
    assert "-e ./quickscale_core" in files["requirements.txt"].content.decode()


def test_generated_python_compiles() -> None:
    for path, rendered in render_project(ProjectSpec("acme")).items():
        if path.endswith(".py"):
            compile(rendered.content, path, "exec")


def test_undefined_template_variable_is_an_error(tmp_path: Path, monkeypatch) -> None:
    tree = tmp_path / "broken"
    tree.mkdir()
    (tree / "x.txt.j2").write_text("{{ nope }}")
    monkeypatch.setattr("quickscale_toolchain.generator.render.templates_root", lambda: tmp_path)
    with pytest.raises(TemplateRefused, match=r"broken/x.txt.j2:1 cannot be rendered: 'nope'"):
        render_tree("broken", {"project_name": "acme"})


def test_templates_ship_inside_the_package() -> None:
    assert (templates_root() / "project" / "quickscale.yml.j2").is_file()
