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

from quickscale_toolchain.errors import GitError

# Used only by commands that commit inside an existing project (generate, update,
# deploy) when git has no identity there, so they keep working. `init` refuses instead
# (see require_identity): the user's own first commit would fail anyway. The user's
# identity always wins.
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


def _has_identity(cwd: Path, env: Mapping[str, str] | None = None) -> bool:
    """Whether git would commit in ``cwd``: it accepts an author and a committer there,
    from its config, the GIT_AUTHOR_*/GIT_COMMITTER_* variables or EMAIL, as git decides."""
    return all(
        run(["var", variable], cwd, env=env, check=False).returncode == 0
        for variable in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
    )


def require_identity(repo: Path) -> None:
    """Refuse, before anything is written, when git has no identity to commit with in
    the repository ``repo`` is about to become.

    git reads only the user's and the system's config here (and an ``includeIf
    "gitdir:"`` that matches ``repo``): GIT_DIR names the future repository, which does
    not exist, so a repository around ``repo`` lends it nothing.
    """
    if not repo.parent.is_dir():
        return  # nothing can be created there; the caller says so
    env = {"GIT_DIR": str(repo / ".git" if repo.is_dir() else repo)}
    if _has_identity(repo.parent, env):
        return
    examples = {"user.name": "Your Name", "user.email": "you@example.com"}
    unset = [
        key
        for key in examples
        if not run(["config", key], repo.parent, env=env, check=False).stdout.strip()
    ] or list(examples)  # set, yet refused (e.g. an empty name): both, to be sure
    commands = " and ".join(f"'git config --global {key} \"{examples[key]}\"'" for key in unset)
    raise GitError(
        f"git has no identity to commit with ({' and '.join(unset)} not set), for init's "
        "commits or your own",
        f"run {commands}, then 'quickscale init' again",
    )


def identity_env(cwd: Path) -> dict[str, str]:
    """Author/committer variables to set when git has no identity in ``cwd`` (an
    existing project: generate, update and deploy keep working); empty when it has one."""
    if _has_identity(cwd):
        return {}
    name = run(["config", "user.name"], cwd, check=False).stdout.strip()
    email = run(["config", "user.email"], cwd, check=False).stdout.strip()
    name = name or FALLBACK_IDENTITY["name"]
    email = email or FALLBACK_IDENTITY["email"]
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
