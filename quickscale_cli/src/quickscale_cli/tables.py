"""Tables for people, with no word ever split: every command that prints one uses this.

At a terminal, a Rich table whose columns are each at least as wide as their longest
word, so Rich only wraps between words; piped (or at a terminal too narrow for that),
plain lines with each column padded to its widest cell, one line per row, for grep and
less. Rich is imported only when a table is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.table import Table

#: Between two columns.
GAP = 2


def print_table(table: Sequence[Sequence[str]], *, one_word: int = 0) -> None:
    """Print ``table`` (its header first); a cell's lines are separated by newlines,
    joined by '; ' in plain lines. The first ``one_word`` columns are never wrapped."""
    from rich.console import Console

    console = Console(highlight=False)
    # The layout follows where the lines go (FORCE_COLOR asks for colours, not a table).
    widths = fit(table, console.width, one_word) if sys.stdout.isatty() else None
    if widths is None:
        for line in aligned([[cell.replace("\n", "; ") for cell in row] for row in table]):
            click.echo(line)
        return
    console.print(grid(table, widths, one_word), soft_wrap=False)


def grid(table: Sequence[Sequence[str]], widths: Sequence[int], one_word: int = 0) -> Table:
    """The Rich table of ``table`` with columns of ``widths`` (from :func:`fit`)."""
    from rich.table import Table
    from rich.text import Text

    result = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for index, (title, width) in enumerate(zip(table[0], widths, strict=True)):
        result.add_column(title, width=width, no_wrap=index < one_word, overflow="fold")
    for row in table[1:]:
        result.add_row(*(Text(cell) for cell in row))
    return result


def fit(table: Sequence[Sequence[str]], available: int, one_word: int = 0) -> list[int] | None:
    """Column widths that fit ``available`` columns with no word split, or None.

    Each column gets at least its longest word (the ``one_word`` columns their longest
    cell). Of the space left, the other columns share half, those that lack least
    first (so a short column stays whole), and the last column (the free text) takes
    the rest.
    """
    from rich.cells import cell_len

    columns = list(zip(*table, strict=True))
    lines = [[line for cell in column for line in cell.splitlines()] for column in columns]
    highs = [max(map(cell_len, column)) for column in lines]
    lows = [
        high if index < one_word else max(cell_len(w) for line in column for w in line.split())
        for index, (column, high) in enumerate(zip(lines, highs, strict=True))
    ]
    budget = available - GAP * (len(columns) - 1)
    if sum(highs) <= budget:
        return highs
    if sum(lows) > budget:
        return None
    spare = budget - sum(lows)
    lacking = [high - low for low, high in zip(lows, highs, strict=True)]
    widths = list(lows)
    last = len(widths) - 1
    order = sorted(range(last), key=lacking.__getitem__)
    pool = spare // 2
    for done, index in enumerate(order):
        given = min(lacking[index], pool // (len(order) - done))
        widths[index] += given
        pool -= given
        spare -= given
    for index in (last, *order):  # the free text, then whatever still lacks
        given = min(highs[index] - widths[index], spare)
        widths[index] += given
        spare -= given
    return widths


def aligned(table: Sequence[Sequence[str]]) -> list[str]:
    """Plain lines, each column padded to its widest cell (the last one not padded)."""
    from rich.cells import cell_len

    widths = [max(map(cell_len, column)) for column in zip(*table, strict=True)]
    lines = []
    for row in table:
        pairs = zip(row, widths, strict=True)
        padded = [cell + " " * (width - cell_len(cell)) for cell, width in pairs]
        lines.append((" " * GAP).join(padded).rstrip())
    return lines
