"""Components as distribution sees them: parsed from options, found in a commit's tree.

The type itself (id, prefix, branch, tag) is :mod:`quickscale_toolchain.components`, shared
with generation. Release tags are ``<component>-v<version>`` (``core-v0.2.0``).
"""

from __future__ import annotations

from pathlib import Path

from quickscale_toolchain import git
from quickscale_toolchain.components import KINDS, Component, validate_name
from quickscale_toolchain.errors import UsageError

__all__ = ["Component", "has_path", "parse", "present", "select", "validate_name"]


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
