"""``quickscale components`` never splits a word: a table at a terminal (here a real
pseudo-terminal of 80 columns), one aligned line per component when piped.

Every word the piped listing prints must come out whole, and all of them, in the
terminal's table; a component id cut at the column edge ("modules/notificat" / "ions")
would be two words that the piped listing never prints.
"""

from __future__ import annotations

import json
import os
import pty
import re
import struct
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from cli_support import minimal_project
from hypothesis import given, settings
from hypothesis import strategies as st
from quickscale_cli.tables import GAP, fit, grid

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CONFIG = (
    "schema_version: 2\nproject:\n  name: acme\n  version: 0.1.0\ntheme: starter\n"
    "backend_extensions: acme.backend_extensions\n"
    "frontend:\n  source: ./custom_frontend/\n  variant: default\n"
    "modules:\n  notifications:\n    provider: console\n  analytics:\n"
)


def _env(source: Path, columns: int) -> dict[str, str]:
    env = {**os.environ, "QUICKSCALE_SOURCE": str(source), "COLUMNS": str(columns)}
    for forcing in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        env.pop(forcing, None)
    return env


def piped(quickscale_bin: str, source: Path, cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [quickscale_bin, "components", *args],
        cwd=cwd,
        env=_env(source, 80),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def in_terminal(quickscale_bin: str, source: Path, cwd: Path, columns: int) -> str:
    """``quickscale components`` with its stdout on a pseudo-terminal ``columns`` wide."""
    import fcntl
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [quickscale_bin, "components"],
        cwd=cwd,
        env={**_env(source, columns), "TERM": "xterm-256color"},
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
    return ANSI.sub("", b"".join(chunks).decode("utf-8")).replace("\r\n", "\n")


def words(text: str) -> Counter[str]:
    """The words of a listing; a cell's lines are joined by '; ' when piped."""
    return Counter(word.rstrip(";") for word in text.split())


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Outside any project, and inside one (which adds the 'in this project' column)."""
    outside = tmp_path_factory.mktemp("outside")
    inside = minimal_project(tmp_path_factory.mktemp("inside") / "acme", CONFIG)
    return {"outside": outside, "inside": inside}


@pytest.mark.parametrize("place", ["outside", "inside"])
def test_piped_it_is_one_aligned_line_per_component_with_every_word(
    quickscale_bin: str, source_repo: Path, places: dict[str, Path], place: str
):
    rows = json.loads(piped(quickscale_bin, source_repo, places[place], "--format", "json"))
    text = piped(quickscale_bin, source_repo, places[place])
    header, *lines = text.splitlines()
    assert header.split()[:3] == ["component", "version", "in" if place == "inside" else "options"]
    listed = lines[: len(rows)]
    assert [line.split()[0] for line in listed] == [row["id"] for row in rows]
    for row, line in zip(rows, listed, strict=True):
        assert line.endswith(row["description"]), line  # the whole description, last
        assert line.index(row["version"]) == header.index("version")  # aligned
        for option in (row["schema"] or {}).get("properties", {}):
            assert option in line  # the list names each module's options
        if place == "inside":
            assert line.split()[2] == ("enabled" if row["enabled"] else "-")
    assert lines[len(rows) :] == [
        "* the default provider",
        "quickscale components NAME: one component's options, providers and an example",
    ]


@pytest.mark.parametrize(("place", "columns"), [("outside", 80), ("inside", 80), ("inside", 40)])
def test_at_a_terminal_no_word_is_split_or_lost(
    quickscale_bin: str, source_repo: Path, places: dict[str, Path], place: str, columns: int
):
    plain = piped(quickscale_bin, source_repo, places[place])
    shown = in_terminal(quickscale_bin, source_repo, places[place], columns)
    assert words(shown) == words(plain)
    if columns == 80:  # a table that fits: the id column is one word per line
        assert all(len(line.rstrip()) <= columns for line in shown.splitlines())
        ids = [line.split()[0] for line in plain.splitlines()[1:] if "/" in line.split()[0]]
        starts = [line.split()[0] for line in shown.splitlines() if line[:1].strip()]
        assert [s for s in starts if "/" in s] == ids
        assert shown != plain  # a table, wrapped to the terminal
    else:  # too narrow to keep words whole in columns: the plain lines
        assert shown == plain


WORD = st.text(alphabet="abcdefghij/_-.*0123456789", min_size=1, max_size=24)
CELL = st.lists(st.lists(WORD, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(
    table=st.integers(2, 6).flatmap(
        lambda n: st.lists(st.lists(CELL.map("\n".join), min_size=n, max_size=n), min_size=2)
    ),
    available=st.integers(20, 160),
    one_word=st.integers(0, 2),
)
def test_a_fitted_table_wraps_only_between_words_and_loses_none(
    table: list[list[str]], available: int, one_word: int
):
    """Any table, any width: either the columns fit with every word whole, or fit()
    says no (and the plain lines are printed)."""
    from io import StringIO

    from rich.console import Console

    one_word = min(one_word, len(table[0]) - 1)
    table = [[" ".join(c.split()) if i < one_word else c for i, c in enumerate(r)] for r in table]
    widths = fit(table, available, one_word)
    columns = list(zip(*table, strict=True))
    longest = [max(len(w) for cell in column for w in cell.split()) for column in columns]
    if widths is None:
        lows = [max(len(c) for c in column) for column in columns][:one_word]
        assert sum(lows + longest[one_word:]) + GAP * (len(longest) - 1) > available
        return
    assert all(w >= low for w, low in zip(widths, longest, strict=True))
    assert sum(widths) + GAP * (len(widths) - 1) <= available
    out = StringIO()
    Console(file=out, width=available, color_system=None).print(grid(table, widths, one_word))
    rendered = out.getvalue()
    assert all(len(line.rstrip()) <= available for line in rendered.splitlines())
    assert Counter(rendered.split()) == Counter(w for row in table for c in row for w in c.split())
