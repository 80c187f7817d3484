"""The plan: what ``generate`` would do to each file, computed without writing anything.

For every path the generator produces now or produced last time, three versions are
compared: the last render (base, from ``.quickscale/``), the file on disk (the user's)
and the new render. The decision table, in order:

- not recorded, missing on disk          -> new
- equal to the new render                 -> unchanged (also after a killed run)
- recorded, missing on disk               -> deleted-by-user (kept deleted)
- still holding conflict markers          -> conflict (left for the user to resolve)
- equal to the base (user never touched)  -> updated
- user edited, render did not change      -> unchanged (the edit stands)
- user edited, render changed             -> merged, or conflict (markers written)
- no longer generated, untouched          -> removed
- no longer generated, edited by the user -> kept (now the user's file)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from quickscale_toolchain.changes import ComponentChange
from quickscale_toolchain.errors import QuickScaleError
from quickscale_toolchain.generator import ownership
from quickscale_toolchain.generator.confine import check_confined
from quickscale_toolchain.generator.merge import has_conflict_markers, merge3
from quickscale_toolchain.generator.render import RenderedFile


class Status(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"
    UPDATED = "updated"
    MERGED = "merged"
    CONFLICT = "conflict"
    DELETED_BY_USER = "deleted-by-user"
    REMOVED = "removed"
    KEPT = "kept"  # no longer generated, but edited by the user: left in place


@dataclass(frozen=True)
class FileOp:
    """One file's fate: its status, the bytes on disk now and the bytes it will hold."""

    path: str
    status: Status
    old: bytes | None  # on disk now (None: missing)
    new: bytes | None  # after apply (None: absent)
    executable: bool = False
    user_modified: bool = False  # the file on disk differs from the last render

    @property
    def writes(self) -> bool:
        """Whether applying this operation changes the file on disk."""
        return self.old != self.new and self.status is not Status.DELETED_BY_USER

    def diff(self) -> str:
        """Unified diff of the file on disk against what it will hold."""
        if not self.writes:
            return ""
        old = (self.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = (self.new or b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines = difflib.unified_diff(
            old,
            new,
            fromfile=f"a/{self.path}" if self.old is not None else "/dev/null",
            tofile=f"b/{self.path}" if self.new is not None else "/dev/null",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class Plan:
    """Every file operation of one ``generate``, plus the records to write after them."""

    root: Path
    ops: list[FileOp]
    records: dict[str, bytes]  # path -> new render, for every generated path
    previous: ownership.Records
    warnings: list[str] = field(default_factory=list)
    # Subtrees (themes, modules) to embed or remove before the files are written.
    components: list[ComponentChange] = field(default_factory=list)

    def by_status(self, status: Status) -> list[FileOp]:
        return [op for op in self.ops if op.status is status]

    @property
    def conflicts(self) -> list[FileOp]:
        return self.by_status(Status.CONFLICT)

    @property
    def changes(self) -> list[FileOp]:
        """Operations that change a file on disk."""
        return [op for op in self.ops if op.writes]

    @property
    def records_current(self) -> bool:
        return ownership.records_match(self.root, self.records, self.previous)

    @property
    def nothing_to_do(self) -> bool:
        return (
            not self.changes and not self.conflicts and self.records_current and not self.components
        )

    def counts(self) -> dict[str, int]:
        return {s.value: len(self.by_status(s)) for s in Status if self.by_status(s)}

    def as_json(self) -> dict[str, object]:
        return {
            "root": str(self.root),
            "nothing_to_do": self.nothing_to_do,
            "counts": self.counts(),
            "warnings": self.warnings,
            "components": [op.as_json() for op in self.components],
            "files": [
                {
                    "path": op.path,
                    "status": op.status.value,
                    "user_modified": op.user_modified,
                    "diff": op.diff(),
                }
                for op in self.ops
            ],
        }


def _read(root: Path, path: str) -> bytes | None:
    target = root / path
    if target.is_dir() and not target.is_symlink():
        raise QuickScaleError(
            f"'{path}' is a directory, but QuickScale generates a file there",
            "move that directory away, then run the command again",
        )
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


def _plan_file(
    path: str, new: RenderedFile | None, base: bytes | None, cur: bytes | None
) -> FileOp:
    executable = new.executable if new else False
    if new is None:
        if cur is None:
            return FileOp(path, Status.REMOVED, None, None)
        if base is None or cur == base:
            return FileOp(path, Status.REMOVED, cur, None)
        return FileOp(path, Status.KEPT, cur, cur, user_modified=True)
    content = new.content
    if cur is None:
        status = Status.NEW if base is None else Status.DELETED_BY_USER
        return FileOp(path, status, None, content if base is None else None, executable)
    if cur == content:
        return FileOp(path, Status.UNCHANGED, cur, cur, executable)
    if base is not None and has_conflict_markers(cur) and not has_conflict_markers(base):
        return FileOp(path, Status.CONFLICT, cur, cur, executable, user_modified=True)
    if cur == base:
        return FileOp(path, Status.UPDATED, cur, content, executable)
    if base == content:
        return FileOp(path, Status.UNCHANGED, cur, cur, executable, user_modified=True)
    if b"\0" in cur or b"\0" in content or b"\0" in (base or b""):
        # Binary: no line merge is meaningful. Keep the user's file, report the conflict.
        return FileOp(path, Status.CONFLICT, cur, cur, executable, user_modified=True)
    merged = merge3(base or b"", cur, content)
    if merged.conflicts:
        return FileOp(path, Status.CONFLICT, cur, merged.content, executable, user_modified=True)
    status = Status.UNCHANGED if merged.content == cur else Status.MERGED
    return FileOp(path, status, cur, merged.content, executable, user_modified=True)


def compute_plan(root: Path, rendered: Mapping[str, RenderedFile]) -> Plan:
    """The plan for making the project at ``root`` match ``rendered``. Writes nothing.

    Refuses (OutsideProject) when a path to read or write, or its record, leads outside
    the project through a symlink: before anything is read from it or written."""
    check_confined(root, [ownership.RECORDS_DIR, ownership.MANIFEST, ownership.BASE_DIR])
    previous = ownership.load(root)
    paths = sorted(set(rendered) | previous.paths)
    check_confined(root, [*paths, *(ownership.base_relative(path) for path in paths)])
    ops = []
    kept: dict[str, RenderedFile] = {}
    for path in paths:
        cur = _read(root, path)
        base = previous.bases.get(path)
        if base is None and cur is not None and previous.hashes.get(path) == ownership.sha256(cur):
            base = cur  # the base copy is missing, but the manifest vouches for the file
        new = rendered.get(path)
        if new is not None and base is not None and is_migration(path):
            # Written once: a database may have applied it, so a newer model arrives as
            # a new migration (generate's makemigrations), never as an edit of this one.
            new = kept[path] = replace(new, content=base)
        ops.append(_plan_file(path, new, base, cur))
    records = {path: kept.get(path, rendered[path]).content for path in sorted(rendered)}
    return Plan(root, ops, records, previous)


def is_migration(path: str) -> bool:
    """A migration the project template writes (its app's ``migrations/0001_initial.py``)."""
    folder, _, name = path.rpartition("/")
    return folder.endswith("migrations") and name.endswith(".py") and name != "__init__.py"


_MODEL_CLASS = re.compile(rb"^class (\w+)\(models\.Model\):", re.MULTILINE)


def removed_models(base: bytes | None, new: bytes | None) -> list[str]:
    """Model classes present in the last generated models module but not in the new one."""
    before = set(_MODEL_CLASS.findall(base or b""))
    after = set(_MODEL_CLASS.findall(new or b""))
    return sorted(name.decode() for name in before - after)
