"""What a component is (core, a module, a theme) and where it lives.

The monorepo and every client project use the same prefixes (design decision 1): the
published branch of a component is named like the component, and its release tags are
``<component>-v<version>`` (``core-v0.2.0``, ``modules/auth-v0.1.0``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quickscale_core import git
from quickscale_core.errors import UsageError

KINDS = ("core", "modules", "themes")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, order=True)
class Component:
    """One distributable unit of shared code."""

    kind: str  # "core" | "modules" | "themes"
    name: str = ""  # empty for core

    @property
    def id(self) -> str:
        """Also the name of its published split branch."""
        return "core" if self.kind == "core" else f"{self.kind}/{self.name}"

    @property
    def prefix(self) -> str:
        """Directory of the component, the same in the monorepo and in client projects."""
        return "quickscale_core" if self.kind == "core" else f"quickscale_{self.kind}/{self.name}"

    @property
    def branch(self) -> str:
        return self.id

    @property
    def slug(self) -> str:
        """The id with '/' replaced, for use inside other names."""
        return self.id.replace("/", "-")

    def tag(self, version: str) -> str:
        return f"{self.id}-v{version}"


def validate_name(name: str, what: str = "name") -> str:
    """A module/theme name must be a Python identifier in lowercase (it is a package)."""
    if not _NAME.match(name):
        raise UsageError(
            f"invalid {what} '{name}'",
            "use lowercase letters, digits and '_', starting with a letter (e.g. 'invoices')",
        )
    return name


def parse(kind: str, name: str | None) -> tuple[str, str | None]:
    """Normalise ``--component`` / ``--name`` (``modules/auth`` is accepted too)."""
    if "/" in kind:
        kind, _, inline = kind.partition("/")
        if name and name != inline:
            raise UsageError(
                f"--component {kind}/{inline} and --name {name} disagree", "give the name once"
            )
        name = inline
    if kind not in KINDS:
        raise UsageError(f"unknown component '{kind}'", "use --component core, modules or themes")
    if kind == "core" and name:
        raise UsageError("core has no --name", "drop --name, or use --component modules/themes")
    if name:
        validate_name(name)
    return kind, name or None


def _subdirs(repo: Path, rev: str, parent: str) -> list[str]:
    listing = git.run(["ls-tree", "-d", "--name-only", f"{rev}:{parent}"], repo, check=False)
    return (
        sorted(line for line in listing.stdout.splitlines() if line)
        if listing.returncode == 0
        else []
    )


def has_path(repo: Path, rev: str, path: str) -> bool:
    """Whether ``path`` exists in the tree of ``rev``."""
    probe = git.run(["cat-file", "-e", f"{rev}:{path}"], repo, check=False)
    return probe.returncode == 0


def present(repo: Path, rev: str = "HEAD") -> list[Component]:
    """Every component committed at ``rev`` (core first, then modules, then themes)."""
    found: list[Component] = []
    if has_path(repo, rev, "quickscale_core"):
        found.append(Component("core"))
    for kind in ("modules", "themes"):
        found.extend(Component(kind, name) for name in _subdirs(repo, rev, f"quickscale_{kind}"))
    return found


def select(available: list[Component], kind: str | None, name: str | None) -> list[Component]:
    """The components matching a selection (``kind=None`` means all of them)."""
    return [
        c
        for c in available
        if (kind is None or c.kind == kind) and (name is None or c.name == name)
    ]
