"""A hostile template in a theme or module of the source: ``init``, ``preview`` and
``generate`` refuse it in one located line (exit 1), run nothing it asks for and write
nothing, also when the per-user cache of compiled templates is warm, even warmed by an
older QuickScale that compiled templates for Jinja2's plain environment."""

from __future__ import annotations

import subprocess
from pathlib import Path

import jinja2
import pytest
from conftest import RunCli
from quickscale_testing.repos import TEST_IDENTITY, make_source_repo

# Line 2 of each: the error must name it.
HOSTILE = "# harmless\n{{ cycler.__init__.__globals__.os.system('touch MARK') }}\n"
MODULE_TEMPLATE = "quickscale_modules/evil/generate/project/evil_notes.txt.j2"
THEME_TEMPLATE = "quickscale_themes/shady/generate/project/shady_notes.txt.j2"

EVIL_PYPROJECT = """\
[project]
name = "quickscale-module-evil"
version = "0.1.0"
description = "A module whose template tries to run a command."

[tool.quickscale]
kind = "module"
name = "evil"
apps = ["quickscale_modules.evil"]
project-files = "generate/project"
"""

SHADY_PYPROJECT = """\
[project]
name = "quickscale-theme-shady"
version = "0.1.0"
description = "A theme whose template tries to run a command."

[tool.quickscale]
kind = "theme"
name = "shady"
apps = ["quickscale_themes.shady"]
project-files = "generate/project"
"""


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), **TEST_IDENTITY},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a source with module 'evil' and theme 'shady', the file their templates would
    create if they ran)."""
    root = tmp_path_factory.mktemp("hostile")
    mark = root / "the-template-ran"
    source = make_source_repo(root / "source", ("quickscale_core", "quickscale_themes/starter"))
    payload = HOSTILE.replace("MARK", str(mark))
    for relative, manifest in (
        (MODULE_TEMPLATE, EVIL_PYPROJECT),
        (THEME_TEMPLATE, SHADY_PYPROJECT),
    ):
        template = source / relative
        component = source / Path(relative).parts[0] / Path(relative).parts[1]
        template.parent.mkdir(parents=True)
        template.write_text(payload)
        (component / "pyproject.toml").write_text(manifest)
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "hostile components")
    return source, mark


def warm_like_an_older_quickscale(cache: Path, source: Path) -> None:
    """Compile the hostile templates for Jinja2's plain environment into the per-user
    cache under the names they render by, as QuickScale did before the sandbox."""
    (cache / "jinja").mkdir(parents=True, exist_ok=True)
    for relative in (MODULE_TEMPLATE, THEME_TEMPLATE):
        name = Path(relative).name  # a project file's name below its component's folder
        plain = jinja2.Environment(
            loader=jinja2.DictLoader({name: (source / relative).read_text()}),
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache / "jinja")),
        )
        plain.get_template(name)  # compiled and cached, not rendered


def assert_refused(done: subprocess.CompletedProcess[str], template: str, mark: Path) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("  ")]
    assert len(lines) == 1, done.stderr  # one line besides init's progress, no traceback
    assert lines[0].startswith(
        f"error: template {template}:2 is refused by the template sandbox: access to "
        "attribute '__init__' of "
    ), done.stderr
    assert "nothing was written or run" in lines[0]
    assert not mark.exists()


def test_init_with_a_hostile_theme_creates_nothing_and_runs_nothing(
    run_cli: RunCli, hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    source, mark = hostile
    cache = tmp_path / "cache"
    warm_like_an_older_quickscale(cache, source)
    here = tmp_path / "here"
    here.mkdir()
    env = {"QUICKSCALE_SOURCE": str(source), "QUICKSCALE_CACHE_DIR": str(cache)}
    for _ in range(2):  # the second run finds the sandbox's own compiled templates
        done = run_cli("init", "acme", "--theme", "shady", cwd=here, env=env)
        assert_refused(done, THEME_TEMPLATE, mark)
        assert list(here.iterdir()) == []


@pytest.mark.parametrize("command", ["preview", "generate"])
def test_preview_and_generate_refuse_a_hostile_module_and_change_nothing(
    command: str, run_cli: RunCli, hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    source, mark = hostile
    cache = tmp_path / "cache"
    env = {"QUICKSCALE_SOURCE": str(source), "QUICKSCALE_CACHE_DIR": str(cache)}
    created = run_cli("init", "acme", cwd=tmp_path, env=env)  # warms core's templates
    assert created.returncode == 0, created.stderr
    project = tmp_path / "acme"
    config = project / "quickscale.yml"
    config.write_text(config.read_text() + "modules:\n  evil:\n")
    warm_like_an_older_quickscale(cache, source)
    before = git(project, "status", "--porcelain", "--ignored")
    files = sorted(p for p in project.rglob("*") if ".git" not in p.parts)
    for _ in range(2):  # cold, then warm
        done = run_cli(command, cwd=project, env=env)
        assert_refused(done, MODULE_TEMPLATE, mark)
        assert git(project, "status", "--porcelain", "--ignored") == before
        assert sorted(p for p in project.rglob("*") if ".git" not in p.parts) == files


def test_generate_s_help_and_the_docs_say_it_runs_component_code(run_cli: RunCli, tmp_path: Path):
    """The promise has two halves: preview and validate run no component code (the tests
    above), generate does, and says so where a user looks before running it."""
    from quickscale_testing.repos import monorepo_root

    shown = " ".join(run_cli("generate", "--help", cwd=tmp_path).stdout.split())
    assert (
        "Unlike validate and preview, which never run a theme's or module's code, generate "
        in shown
    )
    docs = " ".join((monorepo_root() / "docs" / "generation.md").read_text().split())
    assert "so `validate` and `preview` never execute a theme's or module's code" in docs
    assert "`generate` does run their code" in docs
