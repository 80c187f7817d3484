"""Ownership records: what the generator last wrote, kept under ``.quickscale/``.

``.quickscale/base/<path>.base`` holds the last render of each generated file (the base
of a later 3-way merge); ``.quickscale/manifest.json`` maps each path to the sha256 of
that render, plus the generator version. Both are committed with the project, written
deterministically (sorted, no timestamps), and updated only after the project's files.

The base files are the source of truth, the manifest a summary written last: if a run is
killed between the two, the next run still merges from the newest base it can see, which
is what the user's file was derived from. The ``.base`` suffix keeps tools (git's ignore
files, pytest, ruff) from treating a stored copy as a live file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from quickscale_core import __version__
from quickscale_toolchain.errors import QuickScaleError
from quickscale_toolchain.generator.atomic import remove_file, write_atomic
from quickscale_toolchain.generator.confine import check_confined

RECORDS_DIR = ".quickscale"
BASE_DIR = f"{RECORDS_DIR}/base"
MANIFEST = f"{RECORDS_DIR}/manifest.json"
BASE_SUFFIX = ".base"
MANIFEST_FORMAT = 1


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def base_relative(path: str) -> str:
    """Where the base of generated file ``path`` is kept, relative to the project."""
    return f"{BASE_DIR}/{path}{BASE_SUFFIX}"


def base_path(root: Path, path: str) -> Path:
    return root / base_relative(path)


@dataclass
class Records:
    """The generator's memory of one project."""

    bases: dict[str, bytes] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # from the manifest
    generator: str = ""

    @property
    def paths(self) -> set[str]:
        return set(self.bases) | set(self.hashes)


def load(root: Path) -> Records:
    """Read the records of the project at ``root`` (empty when it has none yet)."""
    records = Records()
    manifest = root / MANIFEST
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            records.hashes = {str(k): str(v) for k, v in dict(data["files"]).items()}
            records.generator = str(data.get("generator", ""))
        except (ValueError, KeyError, TypeError) as error:
            raise QuickScaleError(
                f"{MANIFEST} is damaged ({error})",
                f"restore it from git (git checkout -- {MANIFEST}) and retry",
            ) from error
    bases = root / BASE_DIR
    if bases.is_dir():
        for stored in sorted(bases.rglob(f"*{BASE_SUFFIX}")):
            if stored.is_symlink():  # never read from outside the project through one
                check_confined(root, [stored.relative_to(root).as_posix()])
            if stored.is_file():
                relative = stored.relative_to(bases).as_posix()[: -len(BASE_SUFFIX)]
                records.bases[relative] = stored.read_bytes()
    return records


def manifest_bytes(files: Mapping[str, bytes]) -> bytes:
    """The manifest for generated ``files`` (path -> last rendered content)."""
    data = {
        "format": MANIFEST_FORMAT,
        "generator": f"quickscale_core {__version__}",
        "files": {path: sha256(files[path]) for path in sorted(files)},
    }
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write(
    root: Path, files: Mapping[str, bytes], previous: Records, *, atomic: bool = True
) -> None:
    """Record ``files`` as the last render: bases first, the manifest last.

    Only bases that changed are rewritten, and bases of paths no longer generated are
    deleted, so an unchanged project's records are not touched at all. ``atomic=False``
    is for a directory nobody sees yet (init's build directory, renamed into place
    when complete): there a flush per file buys nothing and costs most of init's time.
    """
    put = write_atomic if atomic else _write_plain
    for path in sorted(files):
        if previous.bases.get(path) != files[path]:
            put(base_path(root, path), files[path])
    for path in sorted(set(previous.bases) - set(files)):
        remove_file(base_path(root, path), root / BASE_DIR)
    manifest = manifest_bytes(files)
    target = root / MANIFEST
    if not target.is_file() or target.read_bytes() != manifest:
        put(target, manifest)


def _write_plain(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def records_match(root: Path, files: Mapping[str, bytes], previous: Records) -> bool:
    """Whether the records on disk already describe ``files`` exactly."""
    if previous.bases != dict(files):
        return False
    target = root / MANIFEST
    return target.is_file() and target.read_bytes() == manifest_bytes(files)
