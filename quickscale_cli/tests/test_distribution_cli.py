"""The distribution commands are wired into the CLI with documented options and codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

QUICKSCALE = str(Path(sys.executable).with_name("quickscale"))


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([QUICKSCALE, *args], capture_output=True, text=True, cwd=cwd)


def test_top_level_help_lists_the_distribution_commands() -> None:
    done = _run("--help")
    assert done.returncode == 0
    for name in ("publish", "update", "sync", "extract"):
        assert f"  {name} " in done.stdout
    assert "3 update available" in done.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("update", "--help"), "--check"),
        (("publish", "--help"), "--tag"),
        (("sync", "push", "--help"), "--component"),
        (("extract", "--help"), "--module"),
    ],
)
def test_each_command_has_help(args: tuple[str, ...], expected: str) -> None:
    done = _run(*args)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("update",), "update needs --component"),
        (("update", "--component", "plugins"), "unknown component 'plugins'"),
        (("update", "-c", "core", "--name", "x"), "core has no --name"),
        (("update", "--name", "auth"), "--name needs --component"),
        (("sync", "push"), "error: missing option '--component'"),
        (("extract", "x.py"), "error: missing option '--module'"),
    ],
)
def test_usage_errors_exit_2_before_touching_git(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert list(tmp_path.iterdir()) == []
