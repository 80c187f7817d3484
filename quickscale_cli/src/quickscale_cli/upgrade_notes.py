"""How ``quickscale update`` shows upgrade notes and a required stop, in text and JSON.

The notes come from the target's CHANGELOG.md (``quickscale_toolchain.distribution.
changelog``), read by the CLI's installed toolchain: ``update`` never runs the project's
embedded one, so a project whose core predates changelogs is told too.

Text is one line per note under the component, ``  0.2.0 (2026-12-07): <action>``: plain
when piped (for grep), and at a terminal a Rich grid that wraps a long note under its
text instead of under the version. JSON adds ``notes`` and ``required_stop`` to each
component (docs/cli.md).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from quickscale_toolchain.distribution.changelog import Upgrade
    from quickscale_toolchain.distribution.update import RequiredStop

#: Notes are indented this much under their component.
INDENT = 2


def as_json(upgrade: Upgrade | None, stop: RequiredStop | None) -> dict[str, object]:
    """``notes`` (oldest release first) and ``required_stop`` (or None) of a component."""
    notes = [release.as_json() for release in upgrade.notes] if upgrade else []
    return {"notes": notes, "required_stop": stop.as_json() if stop else None}


def rows(upgrade: Upgrade | None, stop: RequiredStop | None) -> list[tuple[str, str]]:
    """(label, text) per line: each release's stop reason and actions, then the stop
    this update may not skip with the command that passes through it."""
    found: list[tuple[str, str]] = []
    for release in upgrade.notes if upgrade else ():
        label = f"{release.label()}:"
        if release.required_stop is not None:
            found.append((label, f"required stop: {release.required_stop}".rstrip()))
        found += [(label, action) for action in release.actions]
    if stop is not None:
        found.append(
            (
                f"cannot skip {stop.version}:",
                f"run '{stop.command}', then update again",
            )
        )
    return found


def echo(lines: Sequence[tuple[str, str]]) -> None:
    """Print the rows under a component: a Rich grid at a terminal, else plain lines."""
    if not lines:
        return
    if not sys.stdout.isatty():
        for label, text in lines:
            click.echo(f"{' ' * INDENT}{label} {text}")
        return
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    previous = None
    for label, text in lines:
        # A release with several notes shows its version once.
        grid.add_row(Text("" if label == previous else label, style="bold"), Text(text))
        previous = label
    Console(highlight=False).print(Padding(grid, (0, 0, 0, INDENT)))
