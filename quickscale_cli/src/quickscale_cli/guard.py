"""Refuse to act on a project left in the middle of a merge, before its core is imported.

When ``quickscale update`` stops on a conflict, the embedded components hold conflict
markers, and the launcher would re-run the command with an embedded ``quickscale_core``
that no longer parses: a SyntaxError traceback instead of a way out. So every command
that acts on a project asks :func:`refuse_unfinished_merge` first. It costs two or three
git calls: where the repository is, and which files are conflicted (the unmerged index
entries during a merge, else the files of embedded components with conflict markers).

Only the CLI's own process imports this module (the launcher's re-run skips the check,
made already), so it may use names of ``quickscale_toolchain.errors`` that an older embedded
core lacks.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from quickscale_toolchain.errors import ExitCode, QuickScaleError

#: Where a project embeds shared code, whose conflict markers break QuickScale itself.
COMPONENT_DIRS = ("quickscale_core", "quickscale_modules", "quickscale_themes")
#: A conflicted file has both (git writes ``<<<<<<< HEAD`` and ``>>>>>>> <commit>``).
MARKERS = ("^<<<<<<<( |$)", "^>>>>>>>( |$)")
#: How many conflicted files the message names before "and N more".
SHOWN = 3


class UnfinishedMerge(QuickScaleError):
    """A merge is unfinished, or conflict markers are left in embedded code."""

    exit_code = ExitCode.UNFINISHED_MERGE


def refuse_unfinished_merge(directory: Path) -> None:
    """Raise :class:`UnfinishedMerge` if the project at or above ``directory`` is mid-merge
    or has conflict markers in an embedded component; outside git, do nothing (the
    command itself says what is wrong there)."""
    found = _git(directory, "rev-parse", "--absolute-git-dir", "--show-toplevel")
    if found is None or len(found.splitlines()) != 2:
        return
    git_dir, top = (Path(line) for line in found.splitlines())
    merging = (git_dir / "MERGE_HEAD").is_file()
    unmerged = _unmerged(directory) if merging else []
    marked = [] if unmerged else _with_markers(directory, _project(directory, top), top)
    conflicted = unmerged or marked
    if not merging and not conflicted:
        return
    if not conflicted:
        raise UnfinishedMerge(
            "an unfinished merge: its conflicts are resolved but not committed",
            "run 'git commit --no-edit' to finish it, or 'git merge --abort' to undo it",
        )
    names = ", ".join(conflicted[:SHOWN])
    if len(conflicted) > SHOWN:
        names += f" and {len(conflicted) - SHOWN} more"
    verb = "has" if len(conflicted) == 1 else "have"
    what = "conflicts" if unmerged else "conflict markers"
    fix = "resolve them and commit, or run 'git merge --abort'"
    raise UnfinishedMerge(
        f"an unfinished merge: {names} {verb} {what}",
        fix if merging else "resolve them and commit the fix",
    )


def _git(directory: Path, *args: str) -> str | None:
    """``git ARGS`` in ``directory``: its output, or None when git fails or is missing."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=directory, capture_output=True, text=True, check=False
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    return done.stdout if done.returncode == 0 else None


def _unmerged(directory: Path) -> list[str]:
    """The files the merge left conflicted (every stage of a path lists it once)."""
    listed = _git(directory, "ls-files", "--unmerged", "--full-name", "-z") or ""
    paths = (entry.split("\t", 1)[1] for entry in listed.split("\0") if "\t" in entry)
    return sorted(set(paths))


def _project(directory: Path, top: Path) -> Path:
    """The project holding ``directory``: the nearest folder with a quickscale.yml, up to
    the repository's top (which is the project when none has one)."""
    here = directory.resolve()
    for folder in (here, *here.parents):
        if (folder / "quickscale.yml").is_file() or folder == top or folder == folder.parent:
            return folder
    return top  # pragma: no cover - the loop always ends at the root


def _with_markers(directory: Path, project: Path, top: Path) -> list[str]:
    """Tracked files of the project's embedded components holding conflict markers."""
    base = project.relative_to(top).as_posix() if project.is_relative_to(top) else "."
    where = [f":(top){base}/{name}" if base != "." else f":(top){name}" for name in COMPONENT_DIRS]
    patterns = [arg for marker in MARKERS for arg in ("-e", marker)]
    args = ["grep", "-l", "-z", "-I", "--full-name", "--all-match", "-E", *patterns, "--"]
    listed = _git(directory, *args, *where) or ""
    return sorted(path for path in listed.split("\0") if path)
