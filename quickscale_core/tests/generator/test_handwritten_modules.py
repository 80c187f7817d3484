"""The generated models.py, admin.py and urls.py read as a Django developer writes them:
explicit imports at the top, no star import, and no comment left with nothing under it."""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from gen_support import ORDER, PRODUCT, config
from quickscale_toolchain.catalog import for_source
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.pysource import import_from

# Enough models that the import no longer fits one line.
MANY = [
    {"name": f"Catalogue{n}Entry", "fields": [{"name": "name", "type": "string"}]} for n in range(9)
]

CASES: list[tuple[str, dict[str, Any], list[Any]]] = [
    # (case, config, the models models.py must import by name)
    ("starter, no models", config(), []),
    ("starter, two models", config(models=[PRODUCT, ORDER]), ["Order", "Product"]),
    ("todo with a module", config(theme="todo", modules={"notifications": {}}), []),
    (
        "todo, many models",
        config(theme="todo", models=MANY),
        sorted(m["name"] for m in MANY),
    ),
]


@pytest.fixture
def rendered(source_repo: Path) -> Any:
    """The project's Python files, rendered with this working tree's themes and modules
    (the catalogue reads committed components only)."""

    def render(data: dict[str, Any]) -> dict[str, str]:
        spec = dataclasses.replace(spec_from_config(data), catalog=for_source(str(source_repo)))
        files = render_project(spec)
        return {path: f.content.decode() for path, f in files.items() if path.endswith(".py")}

    return render


def top_level_imports(source: str) -> list[ast.ImportFrom]:
    """The module's ``from … import …`` statements that precede its first other statement."""
    imports = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Import | ast.ImportFrom):
            break
        if isinstance(node, ast.ImportFrom):
            imports.append(node)
    return imports


@pytest.mark.parametrize(("data", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_no_module_star_imports_but_settings_from_core(
    rendered: Any, data: dict[str, Any], names: list[str]
) -> None:
    stars = {
        (path, node.module)
        for path, text in rendered(data).items()
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
    }
    assert stars == {("acme/settings.py", "quickscale_core.settings")}


@pytest.mark.parametrize(("data", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_models_py_imports_the_generated_models_by_name_before_the_user(
    rendered: Any, data: dict[str, Any], names: list[str]
) -> None:
    models = rendered(data)["acme/models.py"]
    body = ast.parse(models).body
    user = next(i for i, n in enumerate(body) if isinstance(n, ast.ClassDef) and n.name == "User")
    generated = [
        (i, [a.name for a in n.names])
        for i, n in enumerate(body)
        if isinstance(n, ast.ImportFrom) and n.module == "acme.generated_models"
    ]
    if not names:
        assert generated == [] and "generated_models" not in models
        return
    ((where, imported),) = generated
    assert where < user and imported == names
    # ruff reads one pragma at the statement's first line, however it wraps
    statement = import_from("acme.generated_models", names, "# noqa: F401")
    assert statement in models and statement.splitlines()[0].endswith("# noqa: F401")


@pytest.mark.parametrize(("data", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_admin_py_registers_the_generated_pages_before_its_own(
    rendered: Any, data: dict[str, Any], names: list[str]
) -> None:
    """generated_admin is imported with the other imports, not after the code."""
    admin = rendered(data)["acme/admin.py"]
    modules = [(n.module, [a.name for a in n.names]) for n in top_level_imports(admin)]
    assert ("acme", ["generated_admin"]) in modules
    assert "E402" not in admin  # every import sits at the top


@pytest.mark.parametrize(("data", "names"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_urls_py_comments_only_what_follows(
    rendered: Any, data: dict[str, Any], names: list[str]
) -> None:
    urls = rendered(data)["acme/urls.py"]
    lines = urls.splitlines()
    for number, line in enumerate(lines):
        if line.strip().startswith("#"):
            following = lines[number + 1].strip()
            assert following and following not in {"]", ")", "}"}, urls
    includes = re.findall(r'path\("[^"]+", include\("quickscale_(?:themes|modules)\.', urls)
    assert bool(includes) == ("Pages of the theme" in urls)


def test_the_cases_pass_the_project_s_own_ruff_check_and_format(
    rendered: Any, tmp_path: Path
) -> None:
    """The pragma lands where ruff reads it, and the files need no reformatting."""
    for number, (_case, data, _names) in enumerate(CASES):
        for path, text in rendered(data).items():
            (tmp_path / str(number) / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / str(number) / path).write_text(text, "utf-8")
    pyproject = render_project(spec_from_config(config()))["pyproject.toml"].content
    (tmp_path / "pyproject.toml").write_bytes(pyproject)
    ruff = [sys.executable, "-m", "ruff"]
    for args in (["check", "."], ["format", "--check", "--diff", "."]):
        done = subprocess.run([*ruff, *args], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
