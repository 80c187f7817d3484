"""Day two: real projects taken through seeded random sequences of changes stay green.

Each walk (lifecycle_steps.py) inits a project from a source repository of its own and
takes random steps: quickscale.yml edits (modules with their options, the theme,
customization models and fields), renames of models and fields that hold rows, hand
edits of generated files, core updates from the source with and without a conflict,
`sync push`, and `deploy --dry-run` with stand-in tools. After every step each command
exited with a code docs/cli.md documents, every failure named its fix in one line and
following it converged, no hand edit or row is lost and `makemigrations --check` is
clean; at the end the project's own tests and `check --deploy` pass.

CI runs a fixed set of seeds. A soak runs on demand:
``QUICKSCALE_SOAK=1 QUICKSCALE_WALK_SEEDS=1-10 QUICKSCALE_WALK_STEPS=20 pytest -s
e2e/test_lifecycle.py`` (each walk prints its steps and timings, also written to
.artifacts/lifecycle/).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import ARTIFACTS, clean_env, make_project_env, production_env
from lifecycle_steps import (
    Components,
    Tools,
    Walk,
    command_name,
    copy_source,
    documented_exit_codes,
    documented_options,
    first_fix,
    resolve_keeping_both,
    safe_line_starts,
)
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog

SOAK = os.environ.get("QUICKSCALE_SOAK") == "1"
STEPS = int(os.environ.get("QUICKSCALE_WALK_STEPS", "200" if SOAK else "8"))


def seeds(spec: str) -> list[int]:
    """``3,7`` or ``1-10``."""
    if "-" in spec:
        first, last = spec.split("-")
        return list(range(int(first), int(last) + 1))
    return [int(s) for s in spec.split(",") if s]


SEEDS = seeds(os.environ.get("QUICKSCALE_WALK_SEEDS", "1" if SOAK else "1,2"))
CLI_DOC = (monorepo_root() / "docs" / "cli.md").read_text()


@pytest.fixture(scope="session")
def tools(quickscale_bin: str, source_repo: Path, all_modules_venv: Path) -> Tools:
    """What every walk shares; ``all_modules_venv`` fills the cache each project's own
    venv is made from."""
    return Tools(
        quickscale=quickscale_bin,
        exit_codes=documented_exit_codes(CLI_DOC),
        generate_usage=documented_options(CLI_DOC, "generate"),
        components=Components(catalog.from_directory(source_repo)),
        make_venv=lambda project: make_project_env(project, with_pip=True),
        clean_env=clean_env,
        production_env=production_env,
        log_dir=ARTIFACTS / "lifecycle",
    )


@pytest.mark.e2e
@pytest.mark.parametrize("seed", SEEDS)
def test_a_walk_of_changes_keeps_the_project_green(
    seed: int, tools: Tools, source_repo: Path, tmp_path: Path
) -> None:
    walk = Walk(seed, tmp_path, copy_source(source_repo, tmp_path / "source"), tools, soak=SOAK)
    start = time.monotonic()
    walk.start()
    walk.check_cheap()
    taken: dict[str, list[float]] = {}
    for index in range(1, STEPS + 1):
        name, seconds = walk.step(index)
        taken.setdefault(name, []).append(seconds)
    final = walk.finish()
    summary = ", ".join(f"{k} {len(v)}x {sum(v):.0f}s" for k, v in sorted(taken.items()))
    walk.note(
        f"walk {seed}: {STEPS} steps, {walk.commands} commands, {time.monotonic() - start:.0f}s"
        f" ({summary}; final checks {final:.0f}s)"
    )


# --- The walker's own reading of the docs and of the output (no project needed) ---------


def test_the_docs_give_exit_codes_for_every_command_the_walk_runs() -> None:
    codes = documented_exit_codes(CLI_DOC)
    for command in ("init", "generate", "status", "validate", "update", "sync push", "deploy"):
        assert 0 in codes[command] and 1 in codes[command], command
    assert 3 in codes["update"]
    assert 130 in codes["generate"]  # from the general table, which applies to all


@pytest.mark.parametrize(
    ("usage", "name"),
    [
        ("`sync push --component C [--name N]`", "sync push"),
        ("`config upgrade [PATH] [-C DIR]`", "config upgrade"),
        ("`deploy --env NAME [-C DIR]`", "deploy"),
        ("`init [NAME] [-C DIR]`", "init"),
    ],
)
def test_a_command_is_named_by_the_words_before_its_options(usage: str, name: str) -> None:
    assert command_name(usage) == name


@pytest.mark.parametrize(
    ("stderr", "fix"),
    [
        (
            "error: the venv lacks dj-stripe — run '.venv/bin/pip install -r x.txt', then "
            "'quickscale generate' again\n",
            ".venv/bin/pip install -r x.txt",
        ),
        (
            "error: a b — run 'quickscale generate --rename A=B' (or run 'c')\n",
            "quickscale generate --rename A=B",
        ),
        ("error: a merge is unfinished — resolve the files and commit\n", None),
    ],
)
def test_the_fix_is_the_first_quoted_command(stderr: str, fix: str | None) -> None:
    assert first_fix(stderr) == fix


MERGED_DIFF3 = """a
<<<<<<< yours
# lifecycle-marker-1-1-edit
b
||||||| last generated
b
=======
b2
>>>>>>> generated now
c
"""

MERGED_GIT = """x
<<<<<<< HEAD
# lifecycle-marker-1-2-core-edit
=======
# lifecycle-marker-1-3-source
>>>>>>> 1234abc
"""


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        (MERGED_DIFF3, "a\n# lifecycle-marker-1-1-edit\nb2\nc\n"),
        (MERGED_GIT, "x\n# lifecycle-marker-1-2-core-edit\n# lifecycle-marker-1-3-source\n"),
    ],
)
def test_a_conflict_is_resolved_keeping_both_sides_edits(text: str, resolved: str) -> None:
    assert resolve_keeping_both(text) == resolved


def test_a_python_hand_edit_never_lands_inside_a_string_or_a_continuation() -> None:
    text = 'A = 1\nB = """\ntext\n"""\nC = 1 + \\\n    2\n'
    assert safe_line_starts("x.py", text) == [0, 1, 4, 6]
    assert safe_line_starts("Dockerfile", "FROM x\nRUN a \\\n  b\n") == [3]
