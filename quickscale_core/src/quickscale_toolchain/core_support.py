"""Do the modules and themes a project embeds accept the core this toolchain belongs to?

Each module and theme declares the core releases it works with (``core-compatibility``
in its pyproject.toml, a PEP 440 range). Its manifest may use keys only a newer
toolchain reads (the feature switches of core 0.3), and its code what only a newer
runtime provides. Checked before anything is written, a range that leaves this core out
is one line naming the component and the way out, where otherwise a manifest would fail
to read with a schema message or the project's tests would fail after generating.

``update`` checks the same ranges against the core a project embeds
(quickscale_toolchain.distribution.update).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from quickscale_toolchain.distribution.versions import core_allows
from quickscale_toolchain.errors import QuickScaleError

if TYPE_CHECKING:
    from quickscale_toolchain.catalog import Entry


class CoreUnsupported(QuickScaleError):
    """An embedded or chosen module or theme does not accept this core (exit 1)."""


def running_core_version() -> str:
    """The version of the core this toolchain is part of, as ``update`` reports it: its
    pyproject.toml's (in a checkout or a project), else the package's own."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        project = {}
    if project.get("name") == "quickscale-core" and project.get("version"):
        return str(project["version"])
    from quickscale_core import __version__

    return __version__


def _needs_newer(declared: str, core: str) -> bool:
    """Whether the range's floor is above ``core`` (the core is the one behind)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    from quickscale_toolchain.django_support import needs_newer

    try:
        return needs_newer(SpecifierSet(declared), Version(core))
    except (InvalidSpecifier, InvalidVersion):
        return False


def refusal(component: str, version: str, declared: str, core: str) -> CoreUnsupported:
    """The error for ``component`` (``modules/auth``) whose range leaves ``core`` out."""
    message = f"{component} {version} needs core '{declared}' but this quickscale is core {core}"
    if _needs_newer(declared, core):
        hint = "run 'quickscale update --component core'"  # the CLI runs the project's core
    else:
        hint = f"run 'quickscale update --component {component.partition('/')[0]}'"
    return CoreUnsupported(message, hint)


def check_compatible(entries: Iterable[Entry], core_version: str | None = None) -> None:
    """Refuse (CoreUnsupported) when a module's or theme's core-compatibility leaves out
    this core; nothing is written before this runs."""
    core = core_version or running_core_version()
    for entry in entries:
        declared = entry.manifest.core_compatibility
        if not core_allows(declared, core):
            raise refusal(entry.component.id, entry.manifest.version, str(declared), core)
