"""Atomic file writes: a reader (or a SIGKILL) sees the old file or the new, never half.

Each write goes to a temporary file in the target's own directory (same filesystem, so
the rename is atomic), is flushed to disk, then renamed over the target. A killed run can
leave a temporary file behind; :func:`remove_stale_temporaries` clears them next time.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

TEMP_SUFFIX = ".qs-tmp"


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems refuse to open directories
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(target: Path, content: bytes, *, executable: bool = False) -> None:
    """Replace ``target`` by ``content`` in one step (creating parent directories)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / f".{target.name}.{os.getpid()}{TEMP_SUFFIX}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(content)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fchmod(fd, 0o755 if executable else 0o644)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def remove_file(target: Path, stop_at: Path) -> None:
    """Delete ``target`` and then each parent directory it leaves empty (below stop_at)."""
    target.unlink(missing_ok=True)
    _fsync_directory(target.parent)
    parent = target.parent
    while parent != stop_at and stop_at in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def remove_stale_temporaries(directories: Iterable[Path]) -> None:
    """Delete temporary files a killed run left in ``directories``."""
    for directory in sorted(set(directories)):
        if directory.is_dir():
            for stale in directory.glob(f".*{TEMP_SUFFIX}"):
                stale.unlink(missing_ok=True)
