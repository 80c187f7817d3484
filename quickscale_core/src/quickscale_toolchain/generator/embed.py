"""Embedding themes and modules into a project by git subtree, and removing them again.

A project holds each shared component it uses as a squashed subtree at the same path as
in the monorepo (``quickscale_themes/<name>/``, ``quickscale_modules/<name>/``), exactly
as ``init`` embeds ``quickscale_core/``, so ``quickscale update`` and ``sync push`` treat
them all alike. Which components a project should hold follows from its config (theme
and modules); the plan compares that with the directories present.

A half-embedded project is worse than none, so :func:`require_clean_prefixes` is checked
before anything changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from quickscale_toolchain import git, subtree
from quickscale_toolchain.changes import ComponentChange, ComponentStatus
from quickscale_toolchain.components import Component, embedded
from quickscale_toolchain.errors import QuickScaleError
from quickscale_toolchain.source import Source, built_from, fetch_component


class DirtyTreeError(QuickScaleError):
    """Uncommitted changes: git subtree cannot add a component safely."""


def is_git_project(root: Path) -> bool:
    return (root / ".git").exists()


def plan_components(root: Path, wanted: tuple[Component, ...]) -> list[ComponentChange]:
    """Subtrees to embed (wanted, missing) and remove (present, no longer wanted).

    Only in a git repository: embedding is git subtree. Removals come first, then
    embeds in the order of ``wanted`` (themes before modules, starter before todo).
    """
    if not is_git_project(root):
        return []
    have = set(embedded(root))
    ops = [ComponentChange(c, ComponentStatus.REMOVE) for c in sorted(have - set(wanted))]
    ops += [ComponentChange(c, ComponentStatus.EMBED) for c in wanted if c not in have]
    return ops


def _dirty_paths(root: Path, prefixes: list[str]) -> list[str]:
    status = git.run(
        ["status", "--porcelain", "--untracked-files=all", "--", *prefixes], root
    ).stdout
    return [line[3:] for line in status.splitlines() if line.strip()]


def require_clean_prefixes(root: Path, ops: list[ComponentChange]) -> None:
    """Refuse (nothing changed) when a folder about to be embedded or removed holds
    uncommitted changes: removing it would lose them, embedding over it would mix them in.

    The rest of the tree may be as dirty as the user likes: an embed is built in a private
    index and adds only its own folder, so enabling module after module needs no commit
    in between.
    """
    prefixes = [f"{op.prefix}/" for op in ops]
    dirty = _dirty_paths(root, prefixes) if prefixes else []
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
        raise DirtyTreeError(
            f"uncommitted changes in a component generate must embed or remove: {shown}",
            "commit them first (git add -A && git commit), or move them out of the "
            "component's folder, then run 'quickscale generate' again",
        )


def embed(root: Path, source: Source, component: Component) -> str:
    """Embed ``component`` from ``source`` as a squashed subtree; return its commit.

    A user's uncommitted quickscale.yml (the edit asking for this component) is left
    as it is, staged or not: see :func:`subtree_add`.
    """
    commit = fetch_component(source, component.id, root)
    subtree_add(root, component.prefix, commit, git.identity_env(root), clean_index=False)
    return commit


def subtree_add(
    root: Path, prefix: str, commit: str, identity: dict[str, str], *, clean_index: bool
) -> None:
    """What ``git subtree add --squash`` records, written with git's plumbing.

    The same two commits as the ``git subtree`` script (a parentless squash commit
    carrying the ``git-subtree-dir``/``git-subtree-split`` trailers, and a merge of it
    into HEAD with ``prefix/`` added), so ``git subtree pull``/``split`` and ``quickscale
    update`` read them as usual; but about six git calls instead of the script's dozens.
    ``identity`` is the git.identity_env() the caller commits under.

    With ``clean_index`` (init: the index equals HEAD) the tree is built in the index
    itself. Otherwise it is built in a private index, so whatever the user staged is
    not swept into the merge, and then only ``prefix/`` is added to the user's index and
    working tree.
    """
    squash_message = subtree.squash_message(prefix, commit)
    squash = _commit_tree(root, [f"{commit}^{{tree}}"], squash_message, identity)
    if clean_index:
        git.run(["read-tree", "-u", f"--prefix={prefix}/", commit], root)
        tree = git.output(["write-tree"], root)
    else:
        private = {"GIT_INDEX_FILE": str(_git_dir(root) / "quickscale-embed.index")}
        try:
            git.run(["read-tree", "HEAD"], root, env=private)
            git.run(["read-tree", f"--prefix={prefix}/", commit], root, env=private)
            tree = git.output_env(["write-tree"], root, private)
        finally:
            Path(private["GIT_INDEX_FILE"]).unlink(missing_ok=True)
        git.run(["read-tree", "-u", f"--prefix={prefix}/", commit], root)
    message = subtree.embed_message(prefix, commit, built_from(root, commit))
    merge = _commit_tree(root, [tree, "-p", "HEAD", "-p", squash], message, identity)
    git.run(["update-ref", "-m", f"quickscale: embed {prefix}", "HEAD", merge], root)


def _commit_tree(root: Path, args: list[str], message: str, identity: dict[str, str]) -> str:
    data = message.encode()
    return (
        git.run_bytes(["commit-tree", *args, "-F", "-"], root, data=data, env=identity)
        .decode()
        .strip()
    )


def _git_dir(root: Path) -> Path:
    plain = root / ".git"
    return plain if plain.is_dir() else root / git.output(["rev-parse", "--git-dir"], root)


def remove(root: Path, component: Component) -> None:
    """Remove an embedded component: from git (staged) and from disk, build files too."""
    where = component.prefix
    git.run(["rm", "-r", "-q", "--ignore-unmatch", "--", where], root)
    shutil.rmtree(root / where, ignore_errors=True)
    kind_dir = (root / where).parent
    if kind_dir.is_dir() and not any(kind_dir.iterdir()):
        kind_dir.rmdir()


def apply_components(root: Path, ops: list[ComponentChange], source: Source) -> list[str]:
    """Carry out ``ops`` (their folders must be clean); return one line per change made."""
    done = []
    for op in ops:
        if op.status is ComponentStatus.EMBED:
            commit = embed(root, source, op.component)
            done.append(f"embedded {op.prefix}/ from {commit[:12]}")
        else:
            remove(root, op.component)
            done.append(f"removed {op.prefix}/")
    return done
