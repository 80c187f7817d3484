"""Preconditions on the repository a command runs in, and its subtree squash history.

Every check runs before anything is written, so a refusal always means "nothing
changed". Each refusal is one line that names the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git, subtree
from quickscale_toolchain.distribution.components import Component
from quickscale_toolchain.distribution.errors import RefusedError
from quickscale_toolchain.errors import GitError


def toplevel(path: Path) -> Path:
    """Root of the git working tree containing ``path``, or a refusal."""
    git.git_executable()
    if not path.is_dir():
        raise RefusedError(f"{path} is not a directory", "run the command inside a project")
    probe = git.run(["rev-parse", "--show-toplevel"], path, check=False)
    if probe.returncode != 0:
        raise RefusedError(
            f"{path} is not a git repository",
            "run the command inside a project made by 'quickscale init' (or 'git init' one)",
        )
    top = Path(probe.stdout.strip())
    if git.run(["rev-parse", "--verify", "-q", "HEAD"], top, check=False).returncode != 0:
        raise RefusedError(f"{top} has no commits yet", "commit your work first")
    return top


def current_branch(repo: Path) -> str:
    """The checked-out branch; a detached HEAD is refused (a merge there would be lost)."""
    probe = git.run(["symbolic-ref", "-q", "--short", "HEAD"], repo, check=False)
    if probe.returncode != 0:
        raise RefusedError(
            f"{repo} is on a detached HEAD",
            "check out a branch first (e.g. 'git switch main' or 'git switch -c update')",
        )
    return probe.stdout.strip()


def merge_in_progress(repo: Path) -> bool:
    git_dir = Path(git.output(["rev-parse", "--absolute-git-dir"], repo))
    return any((git_dir / name).exists() for name in ("MERGE_HEAD", "CHERRY_PICK_HEAD"))


def ensure_clean(repo: Path, paths: list[str] | None = None) -> None:
    """Refuse uncommitted changes to tracked files (or to ``paths``, untracked included)."""
    if merge_in_progress(repo):
        raise RefusedError(
            "a merge is in progress",
            "finish it ('git add' the files, then 'git commit') "
            "or undo it with 'git merge --abort'",
        )
    if paths is None:
        args = ["status", "--porcelain", "--untracked-files=no"]
    else:
        args = ["status", "--porcelain", "--untracked-files=all", "--", *paths]
    # Not git.output: stripping would eat the status column of the first line.
    changed = [line[3:] for line in git.run(args, repo).stdout.splitlines() if line]
    if changed:
        shown = ", ".join(changed[:3]) + (" …" if len(changed) > 3 else "")
        raise RefusedError(
            f"the working tree has uncommitted changes ({shown})",
            "commit them (git commit -am ...) or stash them (git stash) and retry",
        )


def ready_for_change(path: Path) -> Path:
    """A repository a command may change: git, on a branch, clean, not mid-merge."""
    top = toplevel(path)
    current_branch(top)
    ensure_clean(top)
    return top


@dataclass(frozen=True)
class Squash:
    """The latest squashed subtree merge of a component in a client project.

    ``squash`` is the synthetic commit whose tree is the upstream component exactly as it
    was last merged; ``split`` is the upstream commit it came from. The squash commit is
    the merge base of the next update, which is why every merge must be squashed.
    """

    squash: str
    split: str


def latest_squash(repo: Path, component: Component) -> Squash:
    """Find the last squash merge of ``component`` (what ``git subtree`` itself looks for)."""
    prefix = component.prefix
    if git.run(["cat-file", "-e", f"HEAD:{prefix}"], repo, check=False).returncode != 0:
        raise RefusedError(
            f"{component.id} is not embedded in this project (no {prefix}/ at HEAD)",
            f"embed it first: git subtree add --prefix={prefix} --squash "
            f"<source> {component.branch}",
        )
    log = git.output(
        [
            "log",
            f"--grep={subtree.squash_grep(prefix)}",
            "--format=START %H%n%b%nEND",
            "HEAD",
        ],
        repo,
    )
    for block in log.split("START ")[1:]:
        commit, _, body = block.partition("\n")
        try:
            record = subtree.parse_squash(body)
        except subtree.MalformedRecord:
            continue  # git subtree skips it too
        if record.mainline is not None:
            raise RefusedError(
                f"{prefix}/ was added with full history, not with --squash",
                "QuickScale updates squashed subtrees only: re-embed it with "
                f"'git rm -r {prefix} && git commit' then "
                f"'git subtree add --squash --prefix={prefix} <source> {component.branch}'",
            )
        return Squash(commit.strip(), record.split)
    raise RefusedError(
        f"{prefix}/ has no git subtree history (it was copied, not added with git subtree)",
        f"re-embed it: 'git rm -r {prefix} && git commit', then "
        f"'git subtree add --squash --prefix={prefix} <source> {component.branch}'",
    )


def rev(repo: Path, name: str) -> str:
    """Full id of a commit, or a GitError naming it."""
    probe = git.run(["rev-parse", "--verify", "-q", f"{name}^{{commit}}"], repo, check=False)
    if probe.returncode != 0:
        raise GitError(f"'{name}' is not a commit in {repo}")
    return probe.stdout.strip()


def tree_of(repo: Path, treeish: str) -> str | None:
    spec = treeish if ":" in treeish else f"{treeish}^{{tree}}"
    probe = git.run(["rev-parse", "--verify", "-q", spec], repo, check=False)
    return probe.stdout.strip() if probe.returncode == 0 else None


def project_slug(repo: Path) -> str:
    """A branch-safe name for a client project (its directory name)."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", repo.name.lower()).strip("-.")
    return slug or "client"
