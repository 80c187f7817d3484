"""No path escapes the project: ``preview``, ``generate`` and ``update`` refuse a symlink
that leads outside it, in one line naming the path, before reading through it or
writing anything. A symlink that stays inside the project is allowed."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RunCli
from quickscale_testing.repos import TEST_IDENTITY, bump_patch, make_source_repo

SECRET = "the content of a file outside the project\n"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "HOME": str(cwd), **TEST_IDENTITY},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def small_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("symlinks")
    return make_source_repo(root / "source", ("quickscale_core", "quickscale_themes/starter"))


@pytest.fixture(scope="module")
def pristine(
    tmp_path_factory: pytest.TempPathFactory, small_source: Path, quickscale_bin: str
) -> Path:
    """One initialized project; each test works on a copy."""
    parent = tmp_path_factory.mktemp("pristine")
    env = {**os.environ, "QUICKSCALE_SOURCE": str(small_source)}
    done = subprocess.run(
        [quickscale_bin, "init", "acme"], cwd=parent, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return parent / "acme"


def link_dir(project: Path, outside: Path) -> tuple[str, Path]:
    """The frontend moves to web/, a symlink to a folder elsewhere: generate would write
    every frontend file there."""
    (project / "web").symlink_to(outside, target_is_directory=True)
    config = project / "quickscale.yml"
    config.write_text(config.read_text().replace("./custom_frontend/", "./web/"))
    return "web", outside


def link_readme(project: Path, outside: Path) -> tuple[str, Path]:
    """README.md, a generated file, links to a file that is not the project's."""
    (outside / "notes.md").write_text(SECRET)
    (project / "README.md").unlink()
    (project / "README.md").symlink_to(outside / "notes.md")
    return "README.md", outside


def link_base(project: Path, outside: Path) -> tuple[str, Path]:
    """The records generate merges from (.quickscale/base/) link outside."""
    shutil.copytree(project / ".quickscale" / "base", outside / "base")
    shutil.rmtree(project / ".quickscale" / "base")
    (project / ".quickscale" / "base").symlink_to(outside / "base", target_is_directory=True)
    return ".quickscale/base", outside


def link_config(project: Path, outside: Path) -> tuple[str, Path]:
    """quickscale.yml, whose values end up in committed files, links outside."""
    shutil.move(project / "quickscale.yml", outside / "quickscale.yml")
    (project / "quickscale.yml").symlink_to(outside / "quickscale.yml")
    return "quickscale.yml", outside


def link_template(project: Path, outside: Path) -> tuple[str, Path]:
    """A template of the embedded theme, rendered into the project, links outside."""
    relative = "quickscale_themes/starter/generate/project/__frontend__/templates/base.html.j2"
    (outside / "base.html.j2").write_text(SECRET)
    (project / relative).unlink()
    (project / relative).symlink_to(outside / "base.html.j2")
    return relative, outside


CASES: dict[str, Callable[[Path, Path], tuple[str, Path]]] = {
    "frontend-dir": link_dir,
    "readme-file": link_readme,
    "records-dir": link_base,
    "config-file": link_config,
    "theme-template": link_template,
}


def snapshot(where: Path) -> dict[str, bytes | str]:
    """Every entry below ``where``, links as their target, without following them."""
    found: dict[str, bytes | str] = {}
    for directory, dirs, files in os.walk(where):
        for name in (*dirs, *files):
            path = Path(directory) / name
            key = path.relative_to(where).as_posix()
            if ".git" in Path(key).parts:
                continue
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = path.read_bytes()
    return found


@pytest.mark.parametrize("command", ["generate", "preview"])
@pytest.mark.parametrize("make_link", CASES.values(), ids=CASES.keys())
def test_a_symlink_to_outside_the_project_is_refused_before_anything_is_read_or_written(
    make_link: Callable[[Path, Path], tuple[str, Path]],
    command: str,
    run_cli: RunCli,
    small_source: Path,
    pristine: Path,
    tmp_path: Path,
) -> None:
    project = tmp_path / "acme"
    shutil.copytree(pristine, project, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    shown, _ = make_link(project, outside)
    if command == "generate":  # something to write: a theme file the user never edited
        config = project / "quickscale.yml"
        config.write_text(config.read_text().replace("version: 0.1.0", "version: 0.2.0"))
    project_before, outside_before = snapshot(project), snapshot(outside)
    head = git(project, "rev-parse", "HEAD")

    done = run_cli(command, cwd=project, env={"QUICKSCALE_SOURCE": str(small_source)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {shown} is a symlink to outside the project ("), (
        done.stderr
    )
    assert "replace it with a real " in done.stderr
    assert SECRET.strip() not in done.stdout + done.stderr
    assert snapshot(project) == project_before and snapshot(outside) == outside_before
    assert git(project, "rev-parse", "HEAD") == head


def test_a_symlink_that_stays_inside_the_project_is_allowed(
    run_cli: RunCli, small_source: Path, pristine: Path, tmp_path: Path
) -> None:
    project = tmp_path / "acme"
    shutil.copytree(pristine, project, symlinks=True)
    (project / "docs").mkdir()
    shutil.move(project / "README.md", project / "docs" / "README.md")
    (project / "README.md").symlink_to(Path("docs") / "README.md")
    done = run_cli("generate", cwd=project, env={"QUICKSCALE_SOURCE": str(small_source)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Nothing to do" in done.stdout


def test_update_refuses_a_component_folder_linking_outside_and_merges_nothing(
    run_cli: RunCli, small_source: Path, pristine: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(small_source, source, symlinks=True)
    bump_patch(source / "quickscale_core")
    git(source, "commit", "-q", "-am", "core: a patch release")
    project = tmp_path / "acme"
    shutil.copytree(pristine, project, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "quickscale_core" / "notes").symlink_to(outside, target_is_directory=True)
    git(project, "add", "quickscale_core/notes")
    git(project, "commit", "-q", "-m", "a link inside the embedded core")
    head = git(project, "rev-parse", "HEAD")

    done = run_cli(
        "update", "--component", "core", cwd=project, env={"QUICKSCALE_SOURCE": str(source)}
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert [line for line in done.stderr.splitlines() if not line.startswith("  ")] == [
        f"error: quickscale_core/notes is a symlink to outside the project ({outside}); "
        "nothing was read or written — replace it with a real directory (or remove it), "
        "then run the command again"
    ], done.stderr
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain") == "" and list(outside.iterdir()) == []
