"""Every path QuickScale reads or writes in a project stays in the project.

A symlink in the project (``custom_frontend/static`` linked to a folder elsewhere, a
``README.md`` linked to a file in the home directory) would let ``generate`` or ``update``
write outside the project, or read a file from outside and merge its content into one
that gets committed. Before anything is read or written, each path is checked folder by
folder: a symlink whose target lies outside the project is refused, naming the path.

A symlink that stays inside the project is allowed: whatever is read or written through
it is a file of the project all the same (a symlinked file that generate rewrites
becomes a regular file, since the new file replaces the link).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from quickscale_toolchain.errors import QuickScaleError


class OutsideProject(QuickScaleError):
    """A path of the project leads outside it through a symlink."""


def _escape(root: Path, link: Path) -> Path | None:
    """Where ``link`` (a symlink below ``root``) leads, if that is outside ``root``."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a symlink loop: it leads nowhere in the project
        return link
    return None if target.is_relative_to(root) else target


def _refuse(root: Path, link: Path, target: Path, *, directory: bool) -> OutsideProject:
    shown = link.relative_to(root).as_posix()
    return OutsideProject(
        f"{shown} is a symlink to outside the project ({target}); nothing was read or written",
        f"replace it with a real {'directory' if directory else 'file'} (or remove it), "
        "then run the command again",
    )


def confined(root: Path, relative: str) -> Path:
    """``root / relative``, refused when it or a folder on the way to it is a symlink
    leading outside ``root`` (an absolute, already resolved path)."""
    current = root
    parts = PurePosixPath(relative).parts
    for index, part in enumerate(parts, start=1):
        current = current / part
        if current.is_symlink():
            target = _escape(root, current)
            if target is not None:
                raise _refuse(root, current, target, directory=index < len(parts))
        elif not current.exists():
            break  # nothing further down exists yet: it will be created inside
    return root / relative


def check_confined(root: Path, paths: Iterable[str]) -> None:
    """Refuse (OutsideProject) if any of ``paths`` leads outside ``root``."""
    resolved = root.resolve()
    for path in paths:
        confined(resolved, path)


def check_tree_confined(root: Path, folder: str) -> None:
    """Refuse if ``folder`` or anything below it is a symlink leading outside ``root``:
    what a merge into that folder (``update``) could write through."""
    resolved = root.resolve()
    top = confined(resolved, folder)
    for directory, dirs, files in os.walk(top):  # never follows a symlinked directory
        for name in (*dirs, *files):
            entry = Path(directory) / name
            if entry.is_symlink():
                target = _escape(resolved, entry)
                if target is not None:
                    raise _refuse(resolved, entry, target, directory=name in dirs)
