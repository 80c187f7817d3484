"""The subtree format: the commit messages and trailers that record what a project embeds.

A project keeps no file listing its components' versions and origins: its git history
is the record, in three kinds of commit, and only this module writes or reads them.

- **The squash commit**, git subtree's own format (``git subtree add/merge --squash``
  write it; :func:`squash_message` writes the same bytes for ``init`` and ``generate``):
  the component's tree, with ``git-subtree-dir: <prefix>`` and ``git-subtree-split:
  <component commit>``. A ``git-subtree-mainline:`` trailer marks a full-history add.
- **The merge commit** that brings a squash into the project (:func:`embed_message`,
  :func:`update_message`): when the component commit was built from a monorepo commit, a
  ``Quickscale-split-source: <component commit> <monorepo commit>`` trailer, which is
  all it takes to write that unreachable commit again after a ``git gc`` or a clone.
- **The component commit** (:func:`component_commit_object`): the component's tree, a
  fixed author and date, and ``Source-commit: <monorepo commit>``.

Projects made by earlier releases hold these bytes in their history, so a change here
must still read them: the tests read real ``git subtree`` output back with these parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quickscale_toolchain.errors import QuickScaleError

DIR_TRAILER = "git-subtree-dir"
SPLIT_TRAILER = "git-subtree-split"
MAINLINE_TRAILER = "git-subtree-mainline"
SOURCE_TRAILER = "Source-commit"
SPLIT_SOURCE_TRAILER = "Quickscale-split-source"

# Every byte of a component commit is fixed by (prefix, tree, source commit, parent): the
# same source commit always gives the same commit id, on any machine.
COMPONENT_AUTHOR = "QuickScale <quickscale@localhost>"
COMPONENT_DATE = "1704067200 +0000"  # 2024-01-01T00:00:00Z, fixed for reproducibility

_COMMIT_ID = "[0-9a-f]{40,64}"  # SHA-1 or SHA-256
# As git subtree reads its trailers: a name, a colon, one word.
_SUBTREE_LINE = re.compile(r"^(git-subtree-[a-z]+):\s*(\S+)\s*$", re.MULTILINE)
_SOURCE_LINE = re.compile(rf"^{SOURCE_TRAILER}: ({_COMMIT_ID})$", re.MULTILINE)
_SPLIT_SOURCE_LINE = re.compile(rf"^{SPLIT_SOURCE_TRAILER}: ({_COMMIT_ID}) ({_COMMIT_ID})$")


class MalformedRecord(QuickScaleError):
    """A commit message names a subtree record but does not hold a whole one."""


def is_commit_id(text: str) -> bool:
    """Whether ``text`` is a full commit id (it goes into a ``--grep`` pattern)."""
    return re.fullmatch(_COMMIT_ID, text) is not None


# -- the squash commit (git subtree's format) -------------------------------------------


@dataclass(frozen=True)
class SquashRecord:
    """The trailers of a squash commit: which prefix, from which component commit."""

    split: str
    dir: str | None = None
    mainline: str | None = None  # set only by a full-history (not squashed) add

    @property
    def prefix(self) -> str | None:
        """``dir`` as a prefix (git subtree accepts ``dir/`` as well as ``dir``)."""
        return self.dir.rstrip("/") if self.dir is not None else None


def squash_message(prefix: str, split: str) -> str:
    """What ``git subtree add --squash --prefix=<prefix> <split>`` writes, byte for byte."""
    return (
        f"Squashed '{prefix}/' content from commit {split[:7]}\n\n"
        f"{DIR_TRAILER}: {prefix}\n{SPLIT_TRAILER}: {split}\n"
    )


def parse_squash(message: str) -> SquashRecord:
    """The ``git-subtree-*`` trailers of ``message`` (the last of each name wins, as in
    git subtree); a MalformedRecord when it names no split."""
    trailers = dict(_SUBTREE_LINE.findall(message))
    split = trailers.get(SPLIT_TRAILER)
    if split is None:
        raise MalformedRecord(
            f"a subtree commit has no '{SPLIT_TRAILER}:' trailer",
            "git subtree skips such a commit and reads an older one",
        )
    return SquashRecord(split, trailers.get(DIR_TRAILER), trailers.get(MAINLINE_TRAILER))


def squash_grep(prefix: str) -> str:
    """``git log --grep`` for the squash commits of ``prefix`` (git subtree's own)."""
    return f"^{DIR_TRAILER}: {prefix}/*$"


def split_grep(split: str) -> str:
    """``git log --grep`` for the squash commit that names ``split``."""
    return f"^{SPLIT_TRAILER}: {split}$"


# -- the merge commit (QuickScale's) ----------------------------------------------------


@dataclass(frozen=True)
class SplitSource:
    """A built component commit and the monorepo commit it was built from."""

    split: str
    source: str

    def trailer(self) -> str:
        return f"{SPLIT_SOURCE_TRAILER}: {self.split} {self.source}"

    @classmethod
    def parse(cls, line: str) -> SplitSource:
        """Read one trailer line; a MalformedRecord unless it names two full commit ids."""
        match = _SPLIT_SOURCE_LINE.fullmatch(line)
        if match is None:
            raise MalformedRecord(
                f"not a '{SPLIT_SOURCE_TRAILER}: <commit> <source commit>' line: {line!r}",
                "the component commit cannot be rebuilt from it; pass --source instead",
            )
        return cls(match.group(1), match.group(2))


def embed_message(prefix: str, split: str, origin: SplitSource | None) -> str:
    """The message of the merge that embeds ``split`` at ``prefix`` (init, generate)."""
    message = f"Embed {prefix} (git subtree, squashed) from {split[:12]}\n"
    return message + (f"\n{origin.trailer()}\n" if origin else "")


def update_message(prefix: str, old: str, new: str, split: str, origin: SplitSource | None) -> str:
    """The ``-m`` of the ``git subtree merge --squash`` that updates ``prefix`` to ``split``."""
    message = f"Update {prefix} {old} -> {new} (git subtree, squashed) from {split[:12]}"
    return message + (f"\n\n{origin.trailer()}" if origin else "")


def split_sources(message: str) -> list[SplitSource]:
    """The well-formed ``Quickscale-split-source:`` trailers of ``message``, in order."""
    found = []
    for line in message.splitlines():
        if line.startswith(f"{SPLIT_SOURCE_TRAILER}:"):
            try:
                found.append(SplitSource.parse(line))
            except MalformedRecord:
                continue  # another record may still rebuild the commit
    return found


def split_source_grep(split: str) -> str:
    """``git log --grep`` for the merge that records where ``split`` was built from."""
    return f"^{SPLIT_SOURCE_TRAILER}: {split} "


# -- the component commit ---------------------------------------------------------------


def component_message(prefix: str, source_commit: str) -> str:
    return f"{prefix} at {source_commit[:12]}\n\n{SOURCE_TRAILER}: {source_commit}\n"


def component_commit_object(
    prefix: str, tree: str, source_commit: str, parent: str | None = None
) -> bytes:
    """The raw commit object holding ``tree`` (``prefix``/ at ``source_commit``)."""
    header = [f"tree {tree}"] + ([f"parent {parent}"] if parent else [])
    header += [
        f"author {COMPONENT_AUTHOR} {COMPONENT_DATE}",
        f"committer {COMPONENT_AUTHOR} {COMPONENT_DATE}",
    ]
    return ("\n".join(header) + "\n\n" + component_message(prefix, source_commit)).encode()


def source_commit_of(message: str) -> str | None:
    """The ``Source-commit:`` trailer of a component commit's message (the last one), or
    None for any other commit."""
    found = _SOURCE_LINE.findall(message)
    return found[-1] if found else None
