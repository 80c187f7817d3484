"""Upgrade notes: the ``### Upgrade`` sections of a component's CHANGELOG.md.

Every component keeps a Keep a Changelog file at its root, so it travels in the subtree
and sits at the root of each component commit ``update`` merges. QuickScale adds one
section, ``### Upgrade``: one bullet per action a project must take when it updates past
that release, and a bullet starting ``**Required stop:**`` when a project must update to
exactly that release before any later one (docs/releases.md).

The parser is written out here rather than taken from a Markdown library because the
format is line-oriented and narrow, and these rules are the whole contract:

* a release heading is ``## [<version>]``, optionally followed by `` - YYYY-MM-DD``;
  ``## [Unreleased]``, a version PEP 440 cannot read and any other ``## `` line are not
  releases (nothing under them is read);
* a section is a ``### <Name>`` line inside a release; only ``### Upgrade`` is read;
* each top-level bullet (``- `` at column 0) of it is one note, its indented
  continuation lines joined with single spaces; a line at column 0 that is not a bullet
  ends the note;
* a ``**Required stop:**`` bullet makes the release a required stop, the rest of the
  bullet being the reason (not an action).

:func:`upgrade` then picks, for an update from version E to T, the releases E < R <= T
oldest first (their notes are shown), and the lowest required stop strictly between E
and T (the update is refused until the project has passed through it).

This runs where ``quickscale update`` runs: the CLI's installed toolchain, never the
project's embedded one, so a project made before changelogs existed gets its notes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quickscale_toolchain import git

if TYPE_CHECKING:
    from packaging.version import Version

FILE = "CHANGELOG.md"
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$")
_STOP = "**Required stop:**"


@dataclass(frozen=True)
class Release:
    """One release's upgrade notes."""

    version: str  # as PEP 440 normalises it ("0.2.0")
    date: str | None  # YYYY-MM-DD, when the heading gives one
    actions: tuple[str, ...] = ()
    required_stop: str | None = None  # the reason, when the release is a required stop

    @property
    def key(self) -> Version:
        from packaging.version import Version

        return Version(self.version)

    @property
    def has_notes(self) -> bool:
        return bool(self.actions) or self.required_stop is not None

    def label(self) -> str:
        """``0.2.0 (2026-12-07)``, or ``0.2.0`` without a date."""
        return f"{self.version} ({self.date})" if self.date else self.version

    def as_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "date": self.date,
            "actions": list(self.actions),
            "required_stop": self.required_stop,
        }


def _version(text: str) -> str | None:
    """The normalised version of a heading, or None for Unreleased and bad strings."""
    from packaging.version import InvalidVersion, Version

    if text.strip().lower() == "unreleased":
        return None
    try:
        return str(Version(text.strip()))
    except InvalidVersion:
        return None


class _Reader:
    """The state of one pass over the lines: the release and section being read, and
    the bullet being joined."""

    def __init__(self) -> None:
        self.releases: dict[str, Release] = {}
        self.release: tuple[str, str | None] | None = None  # (version, date) being read
        self.in_upgrade = False
        self.bullet: list[str] | None = None
        self.actions: list[str] = []
        self.stops: list[str] = []

    def feed(self, line: str) -> None:
        line = line.rstrip()
        if line.startswith("## ") or line == "##":
            self.close_release()
            heading = _HEADING.match(line)
            version = _version(heading["version"]) if heading else None
            if heading and version and version not in self.releases:
                self.release = (version, heading["date"])
        elif self.release is None:
            return
        elif line.startswith("### ") or line == "###":
            self.close_bullet()
            self.in_upgrade = line[4:].strip() == "Upgrade"
        elif not self.in_upgrade:
            return
        elif line.startswith("- "):
            self.close_bullet()
            self.bullet = [line[2:].strip()]
        elif line[:1].isspace():
            if self.bullet is not None and line.strip():
                self.bullet.append(line.strip())
        elif line:  # text at column 0 that is not a bullet ends the note
            self.close_bullet()

    def close_bullet(self) -> None:
        if self.bullet is None:
            return
        text = " ".join(part for part in self.bullet if part)
        self.bullet = None
        if text.startswith(_STOP):
            self.stops.append(text.removeprefix(_STOP).strip())
        elif text:
            self.actions.append(text)

    def close_release(self) -> None:
        self.close_bullet()
        if self.release is not None:
            version, date = self.release
            stop = " ".join(self.stops) if self.stops else None
            self.releases[version] = Release(version, date, tuple(self.actions), stop)
        self.release, self.in_upgrade = None, False
        self.actions, self.stops = [], []


def parse(text: str) -> list[Release]:
    """Every release of a changelog, oldest first (whatever the file's order); a
    version given twice keeps its first entry."""
    reader = _Reader()
    for line in text.splitlines():
        reader.feed(line)
    reader.close_release()
    return sorted(reader.releases.values(), key=lambda release: release.key)


def read(repo: Path, commit: str) -> list[Release]:
    """The releases in ``CHANGELOG.md`` at the root of component commit ``commit``
    (none when it has no changelog, as releases made before changelogs)."""
    shown = git.run(["show", f"{commit}:{FILE}"], repo, check=False)
    return parse(shown.stdout) if shown.returncode == 0 else []


@dataclass(frozen=True)
class Upgrade:
    """What a project is told when it updates one component from ``embedded`` to
    ``target``."""

    embedded: str
    target: str
    notes: tuple[Release, ...]  # E < R <= T with something to say, oldest first
    stop: Release | None  # the lowest required stop with E < R < T: pass through it first


def upgrade(releases: list[Release], embedded: str | None, target: str | None) -> Upgrade | None:
    """The notes and the blocking stop of an update from ``embedded`` to ``target``;
    None when either version is unknown, unreadable, or the target is not newer."""
    from packaging.version import InvalidVersion, Version

    if not embedded or not target:
        return None
    try:
        low, high = Version(embedded), Version(target)
    except InvalidVersion:
        return None
    if high <= low:
        return None
    crossed = [r for r in releases if low < r.key <= high]
    stops = [r for r in crossed if r.required_stop is not None and r.key < high]
    return Upgrade(
        embedded,
        target,
        tuple(r for r in crossed if r.has_notes),
        stops[0] if stops else None,
    )
