"""Three-way merge of a user's file with a new render, by real ``git merge-file``.

base = what the generator wrote last time, ours = the user's file now, theirs = the new
render. A clean merge keeps both sides' changes; a conflict keeps every line of both
inside standard markers (diff3 style, so the base is shown too).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git
from quickscale_toolchain.errors import GitError

OURS_LABEL = "yours"
BASE_LABEL = "last generated"
THEIRS_LABEL = "generated now"
_MARKERS = (b"<<<<<<< ", b">>>>>>> ")


@dataclass(frozen=True)
class MergeResult:
    content: bytes
    conflicts: int


def merge3(base: bytes, ours: bytes, theirs: bytes) -> MergeResult:
    """Merge ``base -> theirs`` into ``ours``; conflicts are counted, never raised."""
    with tempfile.TemporaryDirectory(prefix="quickscale-merge-") as work:
        folder = Path(work)
        paths = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = folder / name
            path.write_bytes(content)
            paths.append(str(path))
        proc = subprocess.run(
            [
                git.git_executable(),
                "merge-file",
                "-p",
                "--diff3",
                "-L",
                OURS_LABEL,
                "-L",
                BASE_LABEL,
                "-L",
                THEIRS_LABEL,
                *paths,
            ],
            cwd=folder,
            env={**os.environ, "LC_ALL": "C"},
            capture_output=True,
            check=False,
        )
    # merge-file exits with the number of conflicts (capped at 127); negative or >127
    # means git itself failed (bytes, not text: files are merged byte for byte).
    if proc.returncode < 0 or proc.returncode > 127:
        detail = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        raise GitError(f"'git merge-file' failed: {detail}", "check that git works, then retry")
    return MergeResult(proc.stdout, proc.returncode)


def has_conflict_markers(content: bytes) -> bool:
    """Whether ``content`` still holds unresolved conflict markers at a line start."""
    lines = content.splitlines()
    return any(line.startswith(_MARKERS[0]) for line in lines) and any(
        line.startswith(_MARKERS[1]) for line in lines
    )
