"""One name for a piece of shared code — core, a module or a theme — and where it lives.

Generation (which subtrees a project embeds) and distribution (which branches the
source publishes, what ``update`` pulls) speak of the same things, so they share this
type: one id (``core``, ``modules/auth``), one prefix rule (the same directory in the
source and in every project) and one "is it embedded here" check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain.errors import UsageError

KINDS = ("core", "modules", "themes")
#: The kinds a project chooses in quickscale.yml (core is always there).
SHARED_KINDS = ("themes", "modules")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, order=True)
class Component:
    """One distributable unit of shared code."""

    kind: str  # "core" | "modules" | "themes"
    name: str = ""  # empty for core

    @classmethod
    def parse(cls, text: str) -> Component:
        """``core``, ``modules/auth`` or ``themes/todo`` -> a Component."""
        if text == "core":
            return cls("core")
        kind, _, name = text.partition("/")
        if kind in SHARED_KINDS and _NAME.match(name):
            return cls(kind, name)
        raise UsageError(f"unknown component '{text}'", "use core, modules/NAME or themes/NAME")

    @property
    def id(self) -> str:
        """``core`` or ``<kind>/<name>``; also the name of its published split branch."""
        return "core" if self.kind == "core" else f"{self.kind}/{self.name}"

    @property
    def prefix(self) -> str:
        """Its directory, the same in the source and in client projects."""
        return "quickscale_core" if self.kind == "core" else f"quickscale_{self.kind}/{self.name}"

    @property
    def branch(self) -> str:
        return self.id

    @property
    def slug(self) -> str:
        """The id with '/' replaced, for use inside other names."""
        return self.id.replace("/", "-")

    @property
    def singular(self) -> str:
        """``module``, ``theme`` or ``core``: how a manifest names its kind."""
        return self.kind.removesuffix("s")

    def tag(self, version: str) -> str:
        return f"{self.id}-v{version}"

    def embedded_in(self, root: Path) -> bool:
        """Whether a project (or checkout) at ``root`` holds this component."""
        return (root / self.prefix / "pyproject.toml").is_file()

    def __str__(self) -> str:
        return self.id


def embedded(root: Path) -> list[Component]:
    """The modules and themes present under ``root`` (themes first, then modules)."""
    found: list[Component] = []
    for kind in SHARED_KINDS:
        base = root / f"quickscale_{kind}"
        if base.is_dir():
            found += sorted(
                Component(kind, d.name)
                for d in base.iterdir()
                if _NAME.match(d.name) and Component(kind, d.name).embedded_in(root)
            )
    return found


def validate_name(name: str, what: str = "name") -> str:
    """A module/theme name must be a Python identifier in lowercase (it is a package)."""
    if not _NAME.match(name):
        raise UsageError(
            f"invalid {what} '{name}'",
            "use lowercase letters, digits and '_', starting with a letter (e.g. 'invoices')",
        )
    return name
