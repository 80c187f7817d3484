"""A thin, typed wrapper over the git command line.

QuickScale drives real git (subtree in particular has no library equivalent), so every
call goes through :func:`run` to get one error type with git's own message attached.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from quickscale_core.errors import GitError

# Used only when the user has no git identity configured, so `init` never fails on a
# machine where git was just installed. The user's own identity always wins.
FALLBACK_IDENTITY = {"name": "QuickScale", "email": "quickscale@localhost"}


def git_executable() -> str:
    """Path of git, or a GitError that tells the user how to get it."""
    found = shutil.which("git")
    if found is None:
        raise GitError(
            "git was not found on PATH",
            "install git (e.g. 'apt-get install git' or 'brew install git') and retry",
        )
    return found


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``git ARGS`` in ``cwd`` and return the completed process.

    Output is captured so nothing leaks between our own progress lines; on failure the
    last line git printed becomes the error message.
    """
    full_env = dict(os.environ)
    # Never let a user's pager, editor or locale change what we parse.
    full_env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"})
    full_env.setdefault("GIT_EDITOR", "true")
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [git_executable(), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        last = detail[-1] if detail else f"exit status {proc.returncode}"
        raise GitError(f"'git {' '.join(args[:2])}' failed: {last}")
    return proc


def run_bytes(
    args: Sequence[str],
    cwd: Path,
    *,
    data: bytes = b"",
    env: Mapping[str, str] | None = None,
) -> bytes:
    """Run ``git ARGS`` with ``data`` on stdin and return raw stdout.

    Blob contents and binary patches must pass through untouched, so no text decoding.
    """
    full_env = dict(os.environ)
    full_env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"})
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [git_executable(), *args], cwd=cwd, env=full_env, input=data, capture_output=True
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        last = detail[-1] if detail else f"exit status {proc.returncode}"
        raise GitError(f"'git {' '.join(args[:2])}' failed: {last}")
    return proc.stdout


def run_bytes_ok(
    args: Sequence[str], cwd: Path, *, data: bytes, env: Mapping[str, str] | None = None
) -> bool:
    """Like :func:`run_bytes` but report success instead of raising (e.g. ``git apply``)."""
    try:
        run_bytes(args, cwd, data=data, env=env)
    except GitError:
        return False
    return True


def output(args: Sequence[str], cwd: Path) -> str:
    """Stdout of a git command, stripped."""
    return run(args, cwd).stdout.strip()


def output_env(args: Sequence[str], cwd: Path, env: Mapping[str, str]) -> str:
    """Stdout of a git command run with extra environment (e.g. a private index)."""
    return run(args, cwd, env=env).stdout.strip()


def identity_env(cwd: Path) -> dict[str, str]:
    """Author/committer variables to set when the user has no git identity configured."""
    name = run(["config", "user.name"], cwd, check=False).stdout.strip()
    email = run(["config", "user.email"], cwd, check=False).stdout.strip()
    if name and email:
        return {}
    name = name or FALLBACK_IDENTITY["name"]
    email = email or FALLBACK_IDENTITY["email"]
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
