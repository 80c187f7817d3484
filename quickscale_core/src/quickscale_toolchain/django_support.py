"""Do the modules and themes a project embeds support the Django its core pins?

A project installs one Django: core's exact pin (``pins.DJANGO``, written into
requirements.txt). Each module and theme declares the Django series it supports as a
range in its own pyproject.toml (``Django>=5.2.19,<5.3``, docs/distribution.md) and is
installed editable from the same requirements.txt, so pip must satisfy both. A range
that leaves the pin out would surface later as a resolver error from pip; checked when
generating, it is one line naming the component and the update that fixes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quickscale_toolchain import pins
from quickscale_toolchain.components import Component
from quickscale_toolchain.core_support import running_core_version
from quickscale_toolchain.errors import QuickScaleError
from quickscale_toolchain.manifest import MANIFEST_FILE, ManifestError

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from quickscale_toolchain.catalog import Entry

# Operators whose version is a floor: above the pin, the component needs a newer Django.
_FLOORS = frozenset({">=", ">", "~=", "==", "==="})


class DjangoUnsupported(QuickScaleError):
    """An embedded module or theme does not support the Django core pins (exit 1)."""


@dataclass(frozen=True)
class Mismatch:
    """One component whose declared Django range leaves core's pin out."""

    component: Component
    version: str
    declared: str  # as the component writes it, e.g. "Django>=5.2.19,<5.3"
    embedded: bool  # in the project already (else offered by the source, to embed)
    needs_newer: bool  # its floor is above the pin: core is the one behind


def component_requirement(pinned: str = pins.DJANGO) -> str:
    """The Django requirement a module or theme declares, by the rule of
    docs/distribution.md: from the patch release it is tested with (core's pin when it is
    released) up to, not including, the next feature release of that series."""
    from packaging.version import Version

    version = Version(pinned)
    return f"Django>={pinned},<{version.major}.{version.minor + 1}"


def declared_django(entry: Entry) -> tuple[str, SpecifierSet] | None:
    """The component's Django requirement (text without markers, specifier), if any."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    texts, specifier = [], SpecifierSet()
    for text in entry.manifest.dependencies:
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            where = f"{entry.component.prefix}/{MANIFEST_FILE}"
            raise ManifestError(
                f"{where}: dependency '{text}' is not a requirement pip reads ({error})",
                "write it as PEP 508 says, e.g. 'Django>=5.2.19,<5.3'",
            ) from None
        if canonicalize_name(requirement.name) != "django":
            continue
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        texts.append("".join(text.partition(";")[0].split()))
        specifier &= requirement.specifier
    return (", ".join(texts), specifier) if texts else None


def needs_newer(specifier: SpecifierSet, version: Version) -> bool:
    """Whether a floor of ``specifier`` is above ``version``: the range wants something
    newer than it (core is the one behind), not something older."""
    from packaging.version import InvalidVersion, Version

    for clause in specifier:
        if clause.operator not in _FLOORS:
            continue
        try:
            floor = Version(clause.version.removesuffix(".*"))
        except InvalidVersion:
            continue
        if floor > version:
            return True
    return False


def mismatches(entries: Iterable[Entry], pinned: str = pins.DJANGO) -> list[Mismatch]:
    """The components among ``entries`` whose Django range does not admit ``pinned``."""
    from packaging.version import Version

    version = Version(pinned)
    found = []
    for entry in entries:
        declared = declared_django(entry)
        if declared is None or declared[1].contains(version, prereleases=True):
            continue
        found.append(
            Mismatch(
                entry.component,
                entry.manifest.version,
                declared[0],
                entry.origin == "project",
                needs_newer(declared[1], version),
            )
        )
    return found


def _fix(found: list[Mismatch]) -> str:
    """The hint: the update that brings a range admitting the pin, first in run '...'."""
    first = found[0]
    if first.needs_newer:
        return "run 'quickscale update --component core'"
    if not first.embedded:
        instead = "name another theme" if first.component.kind == "themes" else "leave it out"
        return (
            f"the source has no release of {first.component.id} for that Django yet: "
            f"{instead} in quickscale.yml until it does"
        )
    kinds = dict.fromkeys(m.component.kind for m in found if m.embedded and not m.needs_newer)
    commands = [f"'quickscale update --component {kind}'" for kind in kinds]
    return "run " + ", then ".join(commands)


def check_supported(
    entries: Iterable[Entry], pinned: str = pins.DJANGO, core_version: str | None = None
) -> None:
    """Refuse (DjangoUnsupported) when an embedded or chosen component's Django range
    leaves out the Django core pins; nothing is written before this runs."""
    found = mismatches(entries, pinned)
    if not found:
        return
    first = found[0]
    message = (
        f"{first.component.id} {first.version} supports {first.declared} "
        f"but core {core_version or running_core_version()} pins Django {pinned}"
    )
    if len(found) > 1:
        others = ", ".join(m.component.id for m in found[1:])
        message += f"; {others} {'does' if len(found) == 2 else 'do'} not support it either"
    raise DjangoUnsupported(message, _fix(found))
