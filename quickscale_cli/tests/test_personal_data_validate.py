"""A new module folder that does not say what personal data it holds gets a validate
warning at its entry in quickscale.yml (export and erasure would leave it out); one that
declares its models, or says it holds none, gets nothing. Still valid: exit 0."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import RunCli
from quickscale_testing.repos import TEST_IDENTITY, make_source_repo

PYPROJECT = """\
[project]
name = "quickscale-module-{name}"
version = "0.1.0"
description = "{name}, a module that exists only as a folder."
requires-python = ">=3.11"
dependencies = []

[tool.quickscale]
kind = "module"
name = "{name}"
apps = ["quickscale_modules.{name}"]
{declaration}"""

DECLARATIONS = {
    "widgets": "",  # says nothing: the warning
    "gadgets": (
        '[tool.quickscale.models."quickscale_gadgets.Gadget"]\n'
        'user = "owner"\ndescription = "Your gadgets"\nerase = "delete"\n'
    ),
    "gizmos": "[tool.quickscale.personal-data]\nholds = false\n",
}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Core and the starter theme of this checkout, plus three module folders and a theme
    that declares nothing."""
    root = make_source_repo(
        tmp_path_factory.mktemp("personal") / "source",
        ["quickscale_core", "quickscale_themes/starter"],
    )
    for name, declaration in DECLARATIONS.items():
        folder = root / "quickscale_modules" / name
        folder.mkdir(parents=True)
        text = PYPROJECT.format(name=name, declaration=declaration)
        (folder / "pyproject.toml").write_text(text)
    bare = root / "quickscale_themes" / "bare"
    bare.mkdir(parents=True)
    (bare / "pyproject.toml").write_text(
        '[project]\nname = "quickscale-theme-bare"\nversion = "0.1.0"\n'
        '[tool.quickscale]\nkind = "theme"\nname = "bare"\nrequires = ["themes/starter"]\n'
    )
    env = {**os.environ, **TEST_IDENTITY}
    for args in (["add", "-A"], ["commit", "-q", "-m", "three modules and a theme"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def project(quickscale_bin: str, source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `quickscale init acme` from that source, for every test here (each rewrites
    its quickscale.yml through ``config``, which restores it)."""
    parent = tmp_path_factory.mktemp("project")
    env = {**os.environ, "QUICKSCALE_SOURCE": str(source)}
    done = subprocess.run(
        [quickscale_bin, "init", "acme"], cwd=parent, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return parent / "acme"


@pytest.fixture
def config(project: Path) -> Iterator[Path]:
    path = project / "quickscale.yml"
    original = path.read_text()
    yield path
    path.write_text(original)


def test_an_undeclared_module_is_a_located_warning_and_a_declared_one_is_not(
    run_cli: RunCli, source: Path, project: Path, config: Path
) -> None:
    env = {"QUICKSCALE_SOURCE": str(source)}
    text = config.read_text() + "modules:\n  gadgets:\n  widgets:\n  gizmos:\n"
    config.write_text(text)
    line = text.splitlines().index("  widgets:") + 1

    checked = run_cli("validate", cwd=project, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        f"quickscale.yml:{line}:3: warning: modules.widgets: modules/widgets declares no "
        "personal data — add 'user', 'description' and 'erase' to "
        '[tool.quickscale.models."app.Model"] for each model that holds a user\'s data, or '
        "'[tool.quickscale.personal-data] holds = false' (docs/privacy.md)"
    ) in checked.stdout.splitlines()
    assert "gadgets" not in checked.stdout and "gizmos" not in checked.stdout
    assert checked.stderr == ""

    listed = run_cli("validate", "--format", "json", cwd=project, env=env)
    warned = [d for d in json.loads(listed.stdout) if "personal data" in d["message"]]
    assert [(d["severity"], d["path"]) for d in warned if d["path"].startswith("modules")] == [
        ("warning", "modules.widgets")
    ]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (
            "gadgets",
            "Personal data: Your gadgets (quickscale_gadgets.Gadget, deleted on erasure). "
            "What export and erasure do: docs/privacy.md.",
        ),
        ("gizmos", "Personal data: none, it says."),
        (
            "widgets",
            "Personal data: not declared; export and erasure leave it out (validate warns).",
        ),
    ],
)
def test_components_name_says_what_personal_data_it_declares(
    run_cli: RunCli, source: Path, tmp_path: Path, name: str, said: str
) -> None:
    env = {"QUICKSCALE_SOURCE": str(source), "COLUMNS": "200"}
    done = run_cli("components", name, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert said in done.stdout.splitlines()


def test_an_undeclared_theme_is_a_warning_at_the_theme_line(
    run_cli: RunCli, source: Path, project: Path, config: Path
) -> None:
    env = {"QUICKSCALE_SOURCE": str(source)}
    lines = config.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("theme:"))
    lines[line - 1] = "theme: bare"
    config.write_text("\n".join(lines) + "\n")
    checked = run_cli("validate", cwd=project, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    prefix = f"quickscale.yml:{line}:1: warning: theme: themes/bare declares no personal data"
    assert any(text.startswith(prefix + " — add ") for text in checked.stdout.splitlines()), (
        checked.stdout
    )
