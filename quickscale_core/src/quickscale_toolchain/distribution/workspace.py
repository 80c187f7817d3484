"""Writing review branches into the source repository without touching its main.

Commits are built with plumbing (a private index file, ``write-tree``,
``commit-tree``) on top of the source's base branch, so neither the source's working
tree, its index nor any existing branch is modified: the only write is one new branch.
A local source gets the branch directly; a URL source is cloned shallowly into a temp
directory and the branch is pushed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git
from quickscale_toolchain.distribution.errors import RefusedError
from quickscale_toolchain.distribution.upstream import unreachable
from quickscale_toolchain.errors import GitError
from quickscale_toolchain.source import Source


@dataclass(frozen=True)
class Workspace:
    """A repository holding the source's objects, and how to publish a branch from it."""

    repo: Path
    base: str  # commit id of the base branch
    base_name: str
    source: Source

    def branch_exists(self, branch: str) -> bool:
        if self.source.local_path is not None:
            probe = git.run(
                ["rev-parse", "--verify", "-q", f"refs/heads/{branch}"], self.repo, check=False
            )
            return probe.returncode == 0
        listed = git.output(["ls-remote", "--heads", self.source.location, branch], self.repo)
        return bool(listed.strip())

    def create_branch(self, branch: str, commit: str) -> None:
        """Create ``branch`` at ``commit`` in the source; never moves an existing ref."""
        if self.source.local_path is not None:
            # The empty old-value makes update-ref fail if the branch appeared meanwhile.
            git.run(["update-ref", f"refs/heads/{branch}", commit, ""], self.repo)
            return
        git.run(["push", "-q", self.source.location, f"{commit}:refs/heads/{branch}"], self.repo)


@contextmanager
def open_workspace(source: Source, base_name: str) -> Iterator[Workspace]:
    """Yield a workspace on ``base_name`` of ``source`` (a temp clone for URL sources)."""
    if source.local_path is not None:
        repo = source.local_path
        if git.run(["rev-parse", "--git-dir"], repo, check=False).returncode != 0:
            raise unreachable(source, "not a git repository")
        probe = git.run(
            ["rev-parse", "--verify", "-q", f"refs/heads/{base_name}"], repo, check=False
        )
        if probe.returncode != 0:
            raise RefusedError(
                f"the source {repo} has no branch '{base_name}'",
                "pass --base with the source's main branch name",
            )
        yield Workspace(repo, probe.stdout.strip(), base_name, source)
        return
    temp = Path(tempfile.mkdtemp(prefix="quickscale-source-"))
    try:
        cloned = git.run(
            [
                "clone",
                "-q",
                "--bare",
                "--depth",
                "1",
                "--branch",
                base_name,
                source.location,
                str(temp / "repo.git"),
            ],
            temp,
            check=False,
        )
        if cloned.returncode != 0:
            lines = (cloned.stderr.strip() or "clone failed").splitlines()
            raise unreachable(source, lines[-1])
        repo = temp / "repo.git"
        yield Workspace(repo, git.output(["rev-parse", "HEAD"], repo), base_name, source)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@contextmanager
def private_index(repo: Path, base: str) -> Iterator[dict[str, str]]:
    """An index file of our own, loaded with ``base``: the env to pass to git commands."""
    handle, name = tempfile.mkstemp(prefix="quickscale-index-")
    os.close(handle)
    os.unlink(name)  # git creates it; an empty file would be a corrupt index
    env = {"GIT_INDEX_FILE": name}
    try:
        git.run(["read-tree", base], repo, env=env)
        yield env
    finally:
        if os.path.exists(name):
            os.unlink(name)


def identity_of(repo: Path) -> dict[str, str]:
    """The author of work done in ``repo`` (its git identity, else QuickScale's fallback)."""
    name = git.run(["config", "user.name"], repo, check=False).stdout.strip()
    email = git.run(["config", "user.email"], repo, check=False).stdout.strip()
    name = os.environ.get("GIT_AUTHOR_NAME") or name or git.FALLBACK_IDENTITY["name"]
    email = os.environ.get("GIT_AUTHOR_EMAIL") or email or git.FALLBACK_IDENTITY["email"]
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def commit_index(
    repo: Path, index_env: Mapping[str, str], parent: str, message: str, identity: Mapping[str, str]
) -> str:
    """Write the private index as a tree and commit it on ``parent``."""
    tree = git.output_env(["write-tree"], repo, index_env)
    if tree == git.output(["rev-parse", f"{parent}^{{tree}}"], repo):
        raise GitError("nothing to commit: the change is already in the source")
    env = {**identity}
    return (
        git.run_bytes(
            ["commit-tree", tree, "-p", parent, "-F", "-"], repo, data=message.encode(), env=env
        )
        .decode()
        .strip()
    )
