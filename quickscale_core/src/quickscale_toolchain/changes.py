"""What would happen to one component: the single plan/status type of generation and
distribution.

``generate`` compares the config with the subtrees present (embed, remove); ``update``
compares an embedded subtree with the source (up to date, an update available, ...).
Both answer the same question about the same :class:`Component`, so they share one
record, one status vocabulary and one JSON shape, which ``preview``, ``generate``,
``status`` and ``update --check`` print alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from quickscale_toolchain.components import Component

if TYPE_CHECKING:
    from quickscale_toolchain.distribution.changelog import Upgrade
    from quickscale_toolchain.distribution.upstream import Upstream


class ComponentStatus(StrEnum):
    # generate: the config against the subtrees the project holds
    EMBED = "embed"  # asked for by the config, not embedded yet
    REMOVE = "remove"  # embedded, no longer asked for
    # update: the embedded subtree against the source
    UP_TO_DATE = "up-to-date"
    UPDATE_AVAILABLE = "update-available"
    CHANGED = "changed"  # same version, different content (unreleased changes)
    OLDER = "older"  # the source holds an older version than the one embedded
    INCOMPATIBLE = "incompatible"  # newer, but outside a core-compatibility range
    UNMANAGED = "unmanaged"  # present, but not a squashed subtree

    @property
    def actionable(self) -> bool:
        """Whether carrying the plan out would change the project."""
        return self in _ACTIONABLE


_ACTIONABLE = frozenset(
    {
        ComponentStatus.EMBED,
        ComponentStatus.REMOVE,
        ComponentStatus.UPDATE_AVAILABLE,
        ComponentStatus.CHANGED,
    }
)


@dataclass
class ComponentChange:
    """One component's fate, with the versions and commits on either side when known."""

    component: Component
    status: ComponentStatus
    detail: str = ""
    embedded_version: str | None = None
    available_version: str | None = None
    embedded_commit: str = ""
    available_commit: str = ""
    # update only: where the newer commit comes from, and why it may not be applied
    upstream: Upstream | None = field(default=None, repr=False)
    problem: tuple[str, str] | None = None  # (message, fix)
    # the upgrade notes between the two versions, and a required stop on the way
    upgrade: Upgrade | None = field(default=None, repr=False)

    @property
    def prefix(self) -> str:
        return self.component.prefix

    @property
    def actionable(self) -> bool:
        return self.status.actionable

    def describe(self) -> str:
        """One line for preview/generate: what happens to the subtree, and how."""
        if self.status is ComponentStatus.EMBED:
            return f"embed   {self.prefix}/ (git subtree add --squash, {self.component})"
        if self.status is ComponentStatus.REMOVE:
            return f"remove  {self.prefix}/ (git rm -r; its wiring goes with it)"
        return f"{self.status.value:<7} {self.prefix}/"

    def as_json(self) -> dict[str, object]:
        return {
            "component": self.component.id,
            "prefix": self.prefix,
            "path": self.prefix + "/",
            "status": self.status.value,
            "detail": self.detail,
            "embedded": {"version": self.embedded_version, "commit": self.embedded_commit},
            "available": {"version": self.available_version, "commit": self.available_commit},
        }
