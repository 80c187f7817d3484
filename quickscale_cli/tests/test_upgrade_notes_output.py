"""How ``update`` prints upgrade notes: as docs/releases.md shows them, and at a terminal.

docs/releases.md's example changelog (its ```markdown block) goes through the real
parser; the lines its section "What a project sees when it updates" shows for release
0.3.0, and its refusal line, must be what the CLI prints for it. At a terminal the same
notes are a Rich grid (piped output, the plain lines, is what the other tests read).
"""

from __future__ import annotations

import re

import pytest
from quickscale_cli.upgrade_notes import INDENT, rows
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.components import Component
from quickscale_toolchain.distribution.changelog import Release, Upgrade, parse
from quickscale_toolchain.distribution.update import RequiredStop

DOC = monorepo_root() / "docs" / "releases.md"


def test_the_section_shows_what_update_prints_for_the_example_changelog() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(.*?)```", text, re.S)
    assert example, "docs/releases.md lost its example changelog"
    [three] = [r for r in parse(example.group(1)) if r.version == "0.3.0"]
    assert three.required_stop and len(three.actions) == 2
    section = text.split("## What a project sees when it updates", 1)[1]
    shown = section.splitlines()

    four = Release("0.4.0", "2027-02-01", ("Remove `WIDGETS_OLD_FORMAT` from settings.py.",))
    stop = RequiredStop(
        Component("modules", "widgets"),
        "0.2.0",
        "0.3.0",
        "0.4.0",
        three.required_stop,
        "quickscale update --component modules --name widgets --ref 0.3.0",
    )
    for label, note in rows(Upgrade("0.2.0", "0.4.0", (three, four), three), stop):
        assert f"{' ' * INDENT}{label} {note}" in shown
    assert f"error: {stop.error().one_line()}" in shown


def test_at_a_terminal_a_long_note_wraps_under_its_text_and_the_version_shows_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from quickscale_cli.upgrade_notes import echo

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    long = "Check the data migration 0002, then run 'python manage.py migrate'."
    release = Release("0.3.0", "2027-01-15", ("Add `WIDGETS_LIMIT = 10`.", long))

    echo(rows(Upgrade("0.2.0", "0.3.0", (release,), None), None))

    plain = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)  # the bold version
    lines = [line.rstrip() for line in plain.splitlines()]
    label = "  0.3.0 (2027-01-15): "
    assert lines[0] == label + "Add `WIDGETS_LIMIT = 10`."
    assert all(len(line) <= 60 for line in lines)
    assert all(line.startswith(" " * len(label)) for line in lines[1:])  # under the text
    assert " ".join(line.strip() for line in lines[1:]) == long  # no word split
