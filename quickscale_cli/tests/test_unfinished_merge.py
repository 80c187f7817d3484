"""A project left mid-merge is refused by every command that acts on it, in one line.

`quickscale update -c core` stops on a conflict in a core file, as a user meets it; then
each project command runs as the real console script (the launcher re-runs only a real
process, and it is that re-run which met the conflict markers with a SyntaxError). Each
must exit 4 with one line that names the file and the ways out, and change nothing. The
printed fix, run verbatim, must lead back to a working project.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from quickscale_cli.main import COMMANDS, cli
from quickscale_testing.repos import TEST_IDENTITY, bump_patch, make_source_repo
from quickscale_toolchain.errors import ExitCode

NAMES = "quickscale_core/src/quickscale_toolchain/names.py"
DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
SOURCE = "{source}"  # replaced by the test source's path

#: Every command that acts on a project, with arguments that would make it do its work.
PROJECT_COMMANDS: list[tuple[str, ...]] = [
    ("validate",),
    ("preview",),
    ("generate",),
    ("status",),
    ("update", "--check", "--source", SOURCE),
    ("update", "--component", "core", "--source", SOURCE),
    ("sync", "push", "--component", "core", "--source", SOURCE),
    ("deploy", "--env", "staging", "--dry-run"),
    ("components", "--source", SOURCE),
    ("config", "upgrade"),
    ("config", "schema"),
    ("extract", "acme", "--module", "shop", "--source", SOURCE),
]
#: The commands that never act on an existing project.
NOT_IN_A_PROJECT = {"init", "publish"}


@dataclass(frozen=True)
class Lab:
    """A source repository, and the git settings every process here uses."""

    source: Path
    env: dict[str, str]

    def git(self, repo: Path, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=repo, env=self.env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def qs(self, bin_: str, args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
        argv = [arg.replace(SOURCE, str(self.source)) for arg in args]
        return subprocess.run(
            [bin_, *argv], cwd=cwd, env=self.env, capture_output=True, text=True, timeout=120
        )

    def state(self, repo: Path) -> tuple[str, str, str]:
        """HEAD, the status (conflicts included) and the diff: what no refusal may change."""
        return (
            self.git(repo, "rev-parse", "HEAD"),
            self.git(repo, "status", "--porcelain", "--untracked-files=all"),
            self.git(repo, "diff"),
        )


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    root = tmp_path_factory.mktemp("merge")
    config = root / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n")
    env = {**os.environ, **TEST_IDENTITY, "GIT_CONFIG_GLOBAL": str(config)}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    for name in ("QUICKSCALE_SOURCE", "GIT_DIR", "GIT_INDEX_FILE", "QUICKSCALE_PROJECT_CORE"):
        env.pop(name, None)
    source = make_source_repo(root / "source", ("quickscale_core", "quickscale_themes/starter"))
    return Lab(source, env)


def _conflicted(lab: Lab, quickscale_bin: str, parent: Path) -> Path:
    """A project whose `update -c core` stopped on a conflict in names.py (mid-merge)."""
    parent.mkdir()
    made = lab.qs(quickscale_bin, ("init", "acme", "--source", SOURCE), parent)
    assert made.returncode == 0, made.stderr
    project = parent / "acme"
    with (project / NAMES).open("a") as file:
        file.write("# acme: a local line\n")
    lab.git(project, "commit", "-q", "-am", "acme: edit names.py")
    release = lab.git(lab.source, "rev-parse", "HEAD")
    try:
        with (lab.source / NAMES).open("a") as file:
            file.write("# upstream: another line at the same place\n")
        newer = bump_patch(lab.source / "quickscale_core")
        lab.git(lab.source, "commit", "-q", "-am", f"core {newer}")
        stopped = lab.qs(quickscale_bin, ("update", "-c", "core", "--source", SOURCE), project)
    finally:  # the source stays as it was for the next project
        lab.git(lab.source, "reset", "-q", "--hard", release)
    assert stopped.returncode == ExitCode.FAILED, stopped.stderr
    assert f"stopped on merge conflicts in {NAMES} — " in stopped.stderr
    assert (project / ".git" / "MERGE_HEAD").is_file()
    assert "<<<<<<< " in (project / NAMES).read_text()
    return project


@pytest.fixture(scope="module")
def mid_merge(lab: Lab, quickscale_bin: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _conflicted(lab, quickscale_bin, tmp_path_factory.mktemp("mid") / "p")


@pytest.fixture(scope="module")
def committed_markers(
    lab: Lab, quickscale_bin: str, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The same conflict, its markers committed as they were (no merge in progress)."""
    project = _conflicted(lab, quickscale_bin, tmp_path_factory.mktemp("committed") / "p")
    lab.git(project, "add", NAMES)
    lab.git(project, "commit", "-q", "--no-edit")
    assert not (project / ".git" / "MERGE_HEAD").exists()
    return project


def _ids(args: tuple[str, ...]) -> str:
    return " ".join(arg for arg in args if arg != SOURCE)


def _refusal(done: subprocess.CompletedProcess[str]) -> str:
    """The one line a refusal must be: exit 4, nothing on stdout, no traceback."""
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert done.returncode == ExitCode.UNFINISHED_MERGE, done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("error: an unfinished merge: ") and " — " in line, line
    return line


def test_the_table_holds_every_command_that_acts_on_a_project():
    groups = {"config": {"upgrade", "schema"}, "sync": {"push"}}
    tabled = {args[0] for args in PROJECT_COMMANDS}
    assert tabled == set(COMMANDS) - NOT_IN_A_PROJECT
    for group, subcommands in groups.items():
        assert {args[1] for args in PROJECT_COMMANDS if args[0] == group} == subcommands


@pytest.mark.parametrize("args", PROJECT_COMMANDS, ids=_ids)
def test_mid_merge_every_command_refuses_in_one_line(args, lab, quickscale_bin, mid_merge):
    before = lab.state(mid_merge)

    line = _refusal(lab.qs(quickscale_bin, args, mid_merge))

    assert line == (
        f"error: an unfinished merge: {NAMES} has conflicts — resolve them and commit, "
        "or run 'git merge --abort'"
    )
    assert lab.state(mid_merge) == before


@pytest.mark.parametrize("args", PROJECT_COMMANDS, ids=_ids)
def test_committed_markers_are_refused_without_offering_an_abort(
    args, lab, quickscale_bin, committed_markers
):
    before = lab.state(committed_markers)

    line = _refusal(lab.qs(quickscale_bin, args, committed_markers))

    assert line == (
        f"error: an unfinished merge: {NAMES} has conflict markers — resolve them and "
        "commit the fix"
    )
    assert "merge --abort" not in line
    assert lab.state(committed_markers) == before


def test_from_a_folder_inside_the_project_too(lab, quickscale_bin, committed_markers):
    done = lab.qs(quickscale_bin, ("status",), committed_markers / "acme")
    assert NAMES in _refusal(done)


def test_each_printed_fix_run_verbatim_leads_back_to_a_working_project(
    lab, quickscale_bin, tmp_path
):
    """Abort at once; or resolve, `git add` and be told to commit: both end valid."""
    aborted = _conflicted(lab, quickscale_bin, tmp_path / "abort")
    resolved = _conflicted(lab, quickscale_bin, tmp_path / "resolve")
    text = (resolved / NAMES).read_text()
    kept = [
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(("<<<", "===", ">>>"))
    ]
    (resolved / NAMES).write_text("".join(kept))
    lab.git(resolved, "add", NAMES)
    told = _refusal(lab.qs(quickscale_bin, ("validate",), resolved))
    assert told == (
        "error: an unfinished merge: its conflicts are resolved but not committed — "
        "run 'git commit --no-edit' to finish it, or 'git merge --abort' to undo it"
    )

    for project in (aborted, resolved):
        line = _refusal(lab.qs(quickscale_bin, ("status",), project))
        fix = re.search(r"run '([^']+)'", line)
        assert fix is not None, line
        subprocess.run(["sh", "-c", fix[1]], cwd=project, env=lab.env, check=True)
        done = lab.qs(quickscale_bin, ("validate",), project)
        assert done.returncode == ExitCode.OK, done.stderr
        assert not (project / ".git" / "MERGE_HEAD").exists()
    assert "# upstream: another line" in (resolved / NAMES).read_text()
    assert "# upstream: another line" not in (aborted / NAMES).read_text()


def test_a_project_without_a_merge_is_not_refused(lab, quickscale_bin, tmp_path):
    """Nothing conflicted: markers-like text outside embedded code refuses nothing."""
    made = lab.qs(quickscale_bin, ("init", "acme", "--source", SOURCE), tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "acme"
    (project / "notes.md").write_text("<<<<<<< ours\nquoted from a mail\n>>>>>>> theirs\n")
    lab.git(project, "add", "notes.md")
    lab.git(project, "commit", "-q", "-m", "notes")
    done = lab.qs(quickscale_bin, ("validate",), project)
    assert done.returncode == ExitCode.OK, done.stderr


def _global_codes() -> Iterator[int]:
    """The codes of docs/cli.md's first table (the one that applies to every command)."""
    table = DOC.read_text(encoding="utf-8").split("\n## ", 1)[0]
    for row in table.splitlines():
        found = re.match(r"\| (\d+) \|", row)
        if found:
            yield int(found[1])


def test_every_exit_code_is_documented_once_for_all_commands():
    assert sorted(_global_codes()) == sorted(int(code) for code in ExitCode)
    summary = " ".join((cli.help or "").split())
    assert "4 unfinished merge" in summary
    for code in ExitCode:
        assert re.search(rf"\b{int(code)} [a-z]", summary), code
