"""Which project a command acts on: the directory holding its quickscale.yml."""

from __future__ import annotations

from pathlib import Path

from quickscale_toolchain.errors import UsageError
from quickscale_toolchain.generator.config_adapter import CONFIG_FILE


def find_project_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding a quickscale.yml."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    raise UsageError(
        f"no {CONFIG_FILE} in {start} or any parent directory",
        "run the command inside a project made by 'quickscale init', or pass --directory",
    )
