"""Component versions and core-compatibility ranges, read from committed pyproject.toml.

A component's version is ``[project] version``; a module or theme may declare the core
versions it works with as ``[tool.quickscale] core-compatibility`` (a PEP 440 specifier,
e.g. ``">=0.1,<1.0"``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quickscale_toolchain import git


@dataclass(frozen=True)
class Metadata:
    """What QuickScale needs from a component's pyproject.toml."""

    version: str | None
    core_compatibility: str | None


def read_metadata(repo: Path, rev: str, root: str = "") -> Metadata:
    """Metadata of the component at ``root`` inside commit ``rev`` ('' = the commit's root)."""
    path = f"{root}/pyproject.toml" if root else "pyproject.toml"
    shown = git.run(["show", f"{rev}:{path}"], repo, check=False)
    if shown.returncode != 0:
        return Metadata(None, None)
    try:
        data: dict[str, Any] = tomllib.loads(shown.stdout)
    except tomllib.TOMLDecodeError:
        return Metadata(None, None)
    project = data.get("project", {})
    tool = data.get("tool", {}).get("quickscale", {})
    version = project.get("version") if isinstance(project, dict) else None
    compat = tool.get("core-compatibility") if isinstance(tool, dict) else None
    return Metadata(
        str(version) if version else None,
        str(compat) if compat else None,
    )


def compare(old: str | None, new: str | None) -> int:
    """-1, 0 or 1 as ``new`` is older, equal or newer than ``old`` (unknown counts equal)."""
    if not old or not new:
        return 0
    from packaging.version import InvalidVersion, Version

    try:
        a, b = Version(old), Version(new)
    except InvalidVersion:
        return 0
    return (b > a) - (b < a)


def is_stable(version: str) -> bool:
    """Release tags mark stable versions only (no pre-, post- or dev releases)."""
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    return not (parsed.is_prerelease or parsed.is_devrelease or parsed.is_postrelease)


def core_allows(compatibility: str | None, core_version: str | None) -> bool:
    """Whether ``core_version`` satisfies a component's declared range (none = any).

    A development core (``0.3.0.dev0``, a checkout between releases) counts as the
    version it leads to: ``>=0.2,<1.0`` admits it, ``>=0.3`` does not (write
    ``>=0.3.0.dev0`` for a component that needs what that development brings)."""
    if not compatibility or not core_version:
        return True
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(compatibility).contains(Version(core_version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False
