"""Give a throwaway source repository a long history, fast, with ``git fast-import``.

Thousands of ``git commit`` processes would take minutes; one fast-import stream takes
about a second. Each commit edits a few files spread across the whole tree (a line
appended, as a developer's small commits do), so the history touches every component.
The last commit puts the original tree back, byte for byte: a long-history source then
holds exactly the same files at HEAD as the one-commit source it grew from, and
anything that differs between them can only come from the history.

Used by the distribution tests and by ``bench/bench_init.py``; it imports nothing from
pytest.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

_BASE_DATE = 1_700_000_000
_IDENTITY = "QuickScale History <history@quickscale.invalid>"


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", *args], cwd=repo, input=data, capture_output=True, check=True
    ).stdout


def _blobs(repo: Path, paths: list[str]) -> dict[str, bytes]:
    """Contents of ``paths`` at HEAD, read in one ``cat-file --batch`` call."""
    raw = _git(repo, "cat-file", "--batch", data="".join(f"HEAD:{p}\n" for p in paths).encode())
    contents: dict[str, bytes] = {}
    pos = 0
    for path in paths:
        header_end = raw.index(b"\n", pos)
        size = int(raw[pos:header_end].split()[2])
        contents[path] = raw[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return contents


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def add_history(repo: Path, commits: int, *, files_per_commit: int = 3, seed: int = 7) -> str:
    """Add ``commits`` small commits on top of ``repo``'s current branch, then one that
    restores HEAD's original tree; return the new HEAD commit id."""
    branch = _git(repo, "symbolic-ref", "HEAD").decode().strip()
    head = _git(repo, "rev-parse", "HEAD").decode().strip()
    text_files = [
        p
        for p in _git(repo, "ls-files").decode().splitlines()
        if p.endswith((".py", ".md", ".toml", ".txt", ".html", ".j2", ".css", ".cfg"))
    ]
    current = _blobs(repo, text_files)
    pick = random.Random(seed)
    stream = bytearray()
    for i in range(commits):
        when = _BASE_DATE + 60 * i
        message = f"history: small change {i + 1}\n".encode()
        stream += f"commit {branch}\n".encode()
        stream += f"author {_IDENTITY} {when} +0000\ncommitter {_IDENTITY} {when} +0000\n".encode()
        stream += _data(message)
        if i == 0:
            stream += f"from {head}\n".encode()
        for path in pick.sample(text_files, min(files_per_commit, len(text_files))):
            current[path] += f"\n# change {i + 1}\n".encode()
            stream += f"M 100644 inline {path}\n".encode() + _data(current[path])
        stream += b"\n"
    # Put HEAD's original tree back, one top-level entry at a time.
    when = _BASE_DATE + 60 * commits
    stream += f"commit {branch}\n".encode()
    stream += f"author {_IDENTITY} {when} +0000\ncommitter {_IDENTITY} {when} +0000\n".encode()
    stream += _data(b"history: back to the original tree\n")
    if commits == 0:
        stream += f"from {head}\n".encode()
    stream += b"deleteall\n"
    for line in _git(repo, "ls-tree", "HEAD").decode().splitlines():
        meta, _, name = line.partition("\t")
        mode, _kind, oid = meta.split()
        stream += f"M {mode} {oid} {name}\n".encode()
    stream += b"\n"
    _git(repo, "fast-import", "--quiet", data=bytes(stream))
    return _git(repo, "rev-parse", "HEAD").decode().strip()
