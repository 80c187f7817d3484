"""A module is a folder: the catalogue, validate, preview and generate find it by its
manifest; and inside a project, the project's own embedded core renders it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli
from quickscale_testing.repos import TEST_IDENTITY, bump_patch, make_source_repo

WIDGETS_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "quickscale-module-widgets"
version = "0.3.0"
description = "Widgets, a module that exists only as a folder."
requires-python = ">=3.11"
dependencies = []

[tool.hatch.build.targets.wheel]
packages = ["src/quickscale_modules"]

[tool.quickscale]
kind = "module"
name = "widgets"
apps = ["quickscale_modules.widgets"]
settings = "generate/settings.py.j2"
project-files = "generate/project"
default-provider = "local"

[tool.quickscale.providers.local]
env = ["WIDGETS_TOKEN"]
"""

APPS = """\
from django.apps import AppConfig


class WidgetsConfig(AppConfig):
    name = "quickscale_modules.widgets"
    label = "quickscale_widgets"
"""


def git(cwd: Path, *args: str) -> str:
    env = {**TEST_IDENTITY, "PATH": "/usr/bin:/bin"}
    import os

    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def add_widgets(source: Path) -> None:
    """Commit a module folder to the source, and change nothing else."""
    root = source / "quickscale_modules" / "widgets"
    package = root / "src" / "quickscale_modules" / "widgets"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text(WIDGETS_PYPROJECT)
    (package / "__init__.py").write_text("")
    (package / "apps.py").write_text(APPS)
    (root / "generate" / "project" / "__tests__").mkdir(parents=True)
    (root / "generate" / "settings.py.j2").write_text(
        "WIDGETS_TITLE = {{ project_title | pyrepr }}  # provider {{ provider }}\n"
    )
    (root / "generate" / "project" / "__tests__" / "test_widgets_module.py.j2").write_text(
        "def test_widgets_is_wired(settings):\n"
        '    assert "quickscale_modules.widgets" in settings.INSTALLED_APPS\n'
    )
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "modules/widgets")


@pytest.fixture(scope="module")
def widgets_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = make_source_repo(tmp_path_factory.mktemp("widgets") / "source")
    add_widgets(source)
    return source


def test_a_module_folder_is_listed_validated_wired_and_removed(
    run_cli: RunCli, widgets_source: Path, tmp_path: Path
):
    env = {"QUICKSCALE_SOURCE": str(widgets_source)}
    listed = run_cli("components", "--format", "json", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert rows["modules/widgets"]["version"] == "0.3.0"
    assert rows["modules/widgets"]["providers"] == ["local"]

    assert run_cli("init", "acme", cwd=tmp_path, env=env).returncode == 0
    project = tmp_path / "acme"
    config = project / "quickscale.yml"
    original = config.read_text()
    config.write_text(original + "modules:\n  widgets:\n")  # init writes schema 2
    checked = run_cli("validate", cwd=project, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    preview = run_cli("preview", "--no-diff", cwd=project, env=env)
    assert "embed   quickscale_modules/widgets/" in preview.stdout, preview.stdout

    done = run_cli("generate", "--no-migrations", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    settings = (project / "acme" / "settings.py").read_text()
    assert '"quickscale_modules.widgets",' in settings
    assert 'WIDGETS_TITLE = "Acme"  # provider local' in settings
    assert "# WIDGETS_TOKEN=" in (project / ".env.example").read_text()
    assert (project / "tests" / "test_widgets_module.py").is_file()
    assert "-e ./quickscale_modules/widgets" in (project / "requirements.txt").read_text()
    inside = run_cli("components", "--format", "json", cwd=project, env=env)
    row = {r["id"]: r for r in json.loads(inside.stdout)}["modules/widgets"]
    assert (row["enabled"], row["embedded_version"]) == (True, "0.3.0")

    assert git(project, "status", "--porcelain") == ""  # generate committed its work
    config.write_text(original)
    removed = run_cli("generate", "--no-migrations", cwd=project, env=env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert "widgets" not in (project / "acme" / "settings.py").read_text()
    assert not (project / "quickscale_modules" / "widgets").exists()
    assert not (project / "tests" / "test_widgets_module.py").exists()


def test_an_unknown_theme_lists_the_source_s_themes(run_cli: RunCli, tmp_path: Path):
    done = run_cli("init", "acme", "--theme", "shiny", cwd=tmp_path)
    assert done.returncode == 2
    assert "no theme named 'shiny'" in done.stderr and "starter, todo" in done.stderr
    assert list(tmp_path.iterdir()) == []


MARK = "quickscale_core/src/quickscale_toolchain/generator/templates/project/dot-dockerignore.j2"


def test_the_project_s_embedded_core_renders_it_and_update_brings_new_templates(
    run_cli: RunCli, tmp_path: Path
):
    source = make_source_repo(tmp_path / "source")
    template = source / MARK
    pristine = template.read_text()
    template.write_text(pristine + "# template generation: old\n")
    git(source, "commit", "-q", "-am", "core: old templates")
    env = {"QUICKSCALE_SOURCE": str(source)}
    assert run_cli("init", "acme", cwd=tmp_path, env=env).returncode == 0
    project = tmp_path / "acme"
    # The CLI's own core has no such line: only the embedded core can write it.
    done = run_cli("generate", "--no-migrations", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    ignore = project / ".dockerignore"
    assert ignore.read_text().endswith("# template generation: old\n")
    ignore.write_text("my-local-notes/\n" + ignore.read_text())
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "my edit")

    template.write_text(pristine + "# template generation: new\n")
    bump_patch(source / "quickscale_core")
    git(source, "commit", "-q", "-am", "core: new templates")
    updated = run_cli("update", "--component", "core", cwd=project, env=env)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    regenerated = run_cli("generate", "--no-migrations", cwd=project, env=env)
    assert regenerated.returncode == 0, regenerated.stdout + regenerated.stderr
    text = ignore.read_text()
    assert text.startswith("my-local-notes/\n")  # the user's edit, merged 3-way
    assert text.endswith("# template generation: new\n") and "generation: old" not in text


def test_an_embedded_core_the_cli_cannot_run_is_one_line_with_the_fix(
    run_cli: RunCli, tmp_path: Path
):
    assert run_cli("init", "acme", cwd=tmp_path).returncode == 0
    project = tmp_path / "acme"
    pyproject = project / "quickscale_core" / "pyproject.toml"
    text = pyproject.read_text()
    # The package version no longer decides: the API version does (test_toolchain_api.py).
    # (An older core still within the embedded starter's core-compatibility.)
    older, found = re.subn(r'(?m)^version = "[^"]*"', 'version = "0.2.0"', text, count=1)
    assert found == 1, text
    pyproject.write_text(older)
    old = run_cli("status", "--no-migrations", cwd=project)
    assert (old.returncode, old.stderr) == (0, ""), old.stdout + old.stderr
    pyproject.write_text(
        text.replace('"packaging>=23",', '"packaging>=23",\n    "no-such-dep>=1",')
    )
    missing = run_cli("validate", cwd=project)
    assert missing.returncode == 1
    assert "needs no-such-dep>=1" in missing.stderr and "pip install" in missing.stderr


def test_a_module_needing_a_newer_core_is_refused_before_anything_is_written(
    run_cli: RunCli, tmp_path: Path
):
    """A project on core 0.2.0 asks for the auth module of a newer source, whose manifest
    needs core 0.3's toolchain: generate (run by the project's own core) stops in one
    line naming the update, and writes nothing."""
    assert run_cli("init", "acme", cwd=tmp_path).returncode == 0
    project = tmp_path / "acme"
    pyproject = project / "quickscale_core" / "pyproject.toml"
    older, found = re.subn(
        r'(?m)^version = "[^"]*"', 'version = "0.2.0"', pyproject.read_text(), count=1
    )
    assert found == 1
    pyproject.write_text(older)
    with (project / "quickscale.yml").open("a") as config:
        config.write("modules:\n  auth:\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "acme on core 0.2.0 asks for accounts")
    before = git(project, "rev-parse", "HEAD"), git(project, "status", "--porcelain")

    done = run_cli("generate", "--no-migrations", cwd=project)

    assert (done.returncode, done.stderr) == (
        1,
        "error: modules/auth 0.2.0 needs core '>=0.3.0.dev0,<1.0' but this quickscale is "
        "core 0.2.0 — run 'quickscale update --component core'\n",
    ), done.stdout
    assert (git(project, "rev-parse", "HEAD"), git(project, "status", "--porcelain")) == before
    assert not (project / "quickscale_modules").exists()
