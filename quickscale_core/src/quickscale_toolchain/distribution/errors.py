"""Typed refusals of the distribution commands (all exit 1 unless they are usage errors)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quickscale_toolchain.errors import QuickScaleError

if TYPE_CHECKING:
    from quickscale_toolchain.distribution.changelog import Upgrade


class RefusedError(QuickScaleError):
    """The repository is in a state where the operation would be unsafe; nothing changed."""


class IncompatibleError(QuickScaleError):
    """An update would break a module's or theme's declared core-compatibility range."""


class UpdateConflict(QuickScaleError):
    """``update`` stopped on a merge conflict; the repository is mid-merge on purpose."""

    def __init__(self, component: str, files: list[str], abort_command: str) -> None:
        super().__init__(
            f"updating {component} stopped on conflicts in {len(files)} file(s): "
            + ", ".join(files),
            f"fix them, then 'git add <files>' and 'git commit'; or undo with '{abort_command}'",
        )
        self.component = component
        self.files = files
        self.abort_command = abort_command
        # Updates of other components committed before this one conflicted.
        self.completed: list[object] = []
        # The upgrade notes of the update left to finish (shown with the conflict).
        self.upgrade: Upgrade | None = None
