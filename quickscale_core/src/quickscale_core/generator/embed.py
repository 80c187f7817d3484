"""Embedding themes and modules into a project by git subtree, and removing them again.

A project holds each shared component it uses as a squashed subtree at the same path as
in the monorepo (``quickscale_themes/<name>/``, ``quickscale_modules/<name>/``), exactly
as ``init`` embeds ``quickscale_core/``, so ``quickscale update`` and ``sync push`` treat
them all alike. Which components a project should hold follows from its config (theme
and modules); the plan compares that with the directories present.

``git subtree add`` refuses to work in a dirty tree, and a half-embedded project is
worse than none, so :func:`require_clean_tree` is checked before anything changes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from quickscale_core import git
from quickscale_core.components import Component, embedded
from quickscale_core.errors import QuickScaleError
from quickscale_core.source import Source, fetch_component


class Action(StrEnum):
    EMBED = "embed"
    REMOVE = "remove"


@dataclass(frozen=True)
class ComponentOp:
    """One subtree to add or remove, e.g. (embed, modules/auth)."""

    action: Action
    component: Component

    @property
    def prefix(self) -> str:
        return self.component.prefix

    def describe(self) -> str:
        if self.action is Action.EMBED:
            return f"embed   {self.prefix}/ (git subtree add --squash, {self.component})"
        return f"remove  {self.prefix}/ (git rm -r; its wiring goes with it)"


class DirtyTreeError(QuickScaleError):
    """Uncommitted changes: git subtree cannot add a component safely."""


def is_git_project(root: Path) -> bool:
    return (root / ".git").exists()


def plan_components(root: Path, wanted: tuple[Component, ...]) -> list[ComponentOp]:
    """Subtrees to embed (wanted, missing) and remove (present, no longer wanted).

    Only in a git repository: embedding is git subtree. Removals come first, then
    embeds in the order of ``wanted`` (themes before modules, starter before todo).
    """
    if not is_git_project(root):
        return []
    have = set(embedded(root))
    ops = [ComponentOp(Action.REMOVE, c) for c in sorted(have - set(wanted))]
    ops += [ComponentOp(Action.EMBED, c) for c in wanted if c not in have]
    return ops


#: The config edit that asks for a new component is expected to be uncommitted.
_ALLOWED_DIRTY = {"quickscale.yml"}


def _dirty_paths(root: Path) -> list[str]:
    status = git.run(["status", "--porcelain", "--untracked-files=normal"], root).stdout
    return [line[3:] for line in status.splitlines() if line.strip()]


def require_clean_tree(root: Path) -> None:
    """Refuse (nothing changed) when the project has uncommitted changes.

    quickscale.yml may differ from HEAD: that edit is what asks for the change.
    """
    if [p for p in _dirty_paths(root) if p not in _ALLOWED_DIRTY]:
        raise DirtyTreeError(
            "the project has uncommitted changes, and 'git subtree' needs a clean tree to "
            "embed or remove a theme or module",
            "commit them (git add -A && git commit) or stash them (git stash -u), "
            "then run 'quickscale generate' again",
        )


def embed(root: Path, source: Source, component: Component) -> str:
    """``git subtree add --squash`` ``component`` from ``source``; return its commit.

    git subtree refuses a tree with any change, and a user's uncommitted quickscale.yml
    (the edit asking for this component) is one: then the subtree is added in a
    temporary worktree of HEAD and the branch fast-forwarded to it, which leaves the
    user's file as it is.
    """
    commit = fetch_component(source, component.id, root)
    if not _dirty_paths(root):
        subtree_add(root, component.prefix, commit, git.identity_env(root))
        return commit
    scratch = Path(tempfile.mkdtemp(prefix="qs-embed-", dir=root / ".git"))
    try:
        git.run(["worktree", "add", "-q", "--detach", str(scratch), "HEAD"], root)
        subtree_add(scratch, component.prefix, commit, git.identity_env(scratch))
        head = git.output(["rev-parse", "HEAD"], scratch)
    finally:
        git.run(["worktree", "remove", "--force", str(scratch)], root, check=False)
        shutil.rmtree(scratch, ignore_errors=True)
        git.run(["worktree", "prune"], root, check=False)
    git.run(["merge", "-q", "--ff-only", head], root)
    return commit


def subtree_add(root: Path, prefix: str, commit: str, identity: dict[str, str]) -> None:
    """``git subtree add --squash`` of ``commit`` at ``prefix``, under the one commit
    message every embed gets (init's quickscale_core and generate's themes and modules).

    ``identity`` is the git.identity_env() the caller commits under (init reads it
    once for its own commits)."""
    git.run(
        [
            "subtree",
            "add",
            "-q",
            f"--prefix={prefix}",
            "--squash",
            "-m",
            f"Embed {prefix} (git subtree, squashed) from {commit[:12]}",
            commit,
        ],
        root,
        env=identity,
    )


def remove(root: Path, component: Component) -> None:
    """Remove an embedded component: from git (staged) and from disk, build files too."""
    where = component.prefix
    git.run(["rm", "-r", "-q", "--ignore-unmatch", "--", where], root)
    shutil.rmtree(root / where, ignore_errors=True)
    kind_dir = (root / where).parent
    if kind_dir.is_dir() and not any(kind_dir.iterdir()):
        kind_dir.rmdir()


def apply_components(root: Path, ops: list[ComponentOp], source: Source) -> list[str]:
    """Carry out ``ops`` (the tree must be clean); return one line per change made."""
    done = []
    for op in ops:
        if op.action is Action.EMBED:
            commit = embed(root, source, op.component)
            done.append(f"embedded {op.prefix}/ from {commit[:12]}")
        else:
            remove(root, op.component)
            done.append(f"removed {op.prefix}/")
    return done
