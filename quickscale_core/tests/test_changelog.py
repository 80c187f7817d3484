"""The ``### Upgrade`` parser and the notes/stop choice of an update, case by case.

Each row is a changelog (or part of one) and what the rules of docs/releases.md make
of it: (version, date, actions, required-stop reason) per release, oldest first.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from quickscale_testing.repos import TEST_IDENTITY
from quickscale_toolchain.changes import ComponentChange, ComponentStatus
from quickscale_toolchain.components import Component
from quickscale_toolchain.distribution.changelog import Release, Upgrade, parse, read, upgrade
from quickscale_toolchain.distribution.update import required_stop

HEADER = """# Changelog

All notable changes to widgets are documented here.

## [Unreleased]

### Upgrade

- Never shown: not released yet.

"""

Row = tuple[str, str | None, tuple[str, ...], str | None]

PARSE_CASES: list[tuple[str, str, list[Row]]] = [
    (
        "heading with and without a date",
        HEADER
        + "## [0.3.0]\n\n### Upgrade\n\n- three\n\n"
        + "## [0.2.0] - 2026-12-07\n\n### Upgrade\n\n- two\n",
        [("0.2.0", "2026-12-07", ("two",), None), ("0.3.0", None, ("three",), None)],
    ),
    ("Unreleased is never a release", HEADER, []),
    (
        "continuation lines join with single spaces; blank lines between bullets",
        "## [0.2.0] - 2026-12-07\n### Upgrade\n"
        "- Add `WIDGETS_LIMIT = 10` to\n  settings.py, then\n\trun 'python manage.py migrate'\n"
        "\n- second   note \n",
        [
            (
                "0.2.0",
                "2026-12-07",
                (
                    "Add `WIDGETS_LIMIT = 10` to settings.py, then run 'python manage.py migrate'",
                    "second   note",
                ),
                None,
            )
        ],
    ),
    (
        "a required stop: its reason is not an action",
        "## [0.2.0] - 2026-12-07\n### Upgrade\n"
        "- **Required stop:** the sessions table moves;\n  0.3.0 drops the old one.\n"
        "- run 'python manage.py migrate'\n",
        [
            (
                "0.2.0",
                "2026-12-07",
                ("run 'python manage.py migrate'",),
                "the sessions table moves; 0.3.0 drops the old one.",
            )
        ],
    ),
    (
        "no Upgrade section: a release with nothing to say",
        "## [0.2.0] - 2026-12-07\n### Added\n- a widget\n### Fixed\n- a bug\n",
        [("0.2.0", "2026-12-07", (), None)],
    ),
    (
        "only ### Upgrade is read, and only inside its release",
        "## [0.2.0]\n### Added\n- added\n### Upgrade\n- act\n### Changed\n- changed\n"
        "## Notes\n### Upgrade\n- not a release\n",
        [("0.2.0", None, ("act",), None)],
    ),
    (
        "versions out of order come back oldest first (PEP 440, not text order)",
        "## [0.10.0]\n### Upgrade\n- ten\n## [0.9.0]\n### Upgrade\n- nine\n"
        "## [0.11.0]\n### Upgrade\n- eleven\n",
        [
            ("0.9.0", None, ("nine",), None),
            ("0.10.0", None, ("ten",), None),
            ("0.11.0", None, ("eleven",), None),
        ],
    ),
    (
        "bad version strings are ignored with everything under them",
        "## [next]\n### Upgrade\n- no\n## [0.2.0 - 2026-12-07]\n### Upgrade\n- no\n"
        "## [0.2.0] - 7 Dec 2026\n### Upgrade\n- no\n## [0.3.0]\n### Upgrade\n- yes\n",
        [("0.3.0", None, ("yes",), None)],
    ),
    (
        "text at column 0 ends a note; nested bullets and '*' bullets are not notes",
        "## [0.2.0]\n### Upgrade\n- first\nsome prose\n  not joined\n* star\n"
        "- second\n  - nested\n",
        [("0.2.0", None, ("first", "second - nested"), None)],
    ),
    (
        "a version given twice keeps its first entry; v-prefixed versions normalised",
        "## [v0.2.0]\n### Upgrade\n- first\n## [0.2.0]\n### Upgrade\n- second\n",
        [("0.2.0", None, ("first",), None)],
    ),
    ("an empty file", "", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in PARSE_CASES], ids=[c[0] for c in PARSE_CASES]
)
def test_parse(text: str, expected: list[Row]) -> None:
    got = [(r.version, r.date, r.actions, r.required_stop) for r in parse(text)]
    assert got == expected


def _release(version: str, *actions: str, stop: str | None = None) -> Release:
    return Release(version, None, actions, stop)


RELEASES = [
    _release("0.1.0", "never shown: the embedded release"),
    _release("0.2.0", "two", stop="the data moves"),
    _release("0.2.1"),  # nothing to say: not in the notes
    _release("0.3.0", "three"),
    _release("0.4.0", stop="the old table goes"),
]

UPGRADE_CASES: list[tuple[str, str | None, str | None, list[str] | None, str | None]] = [
    # (why, embedded, target, versions with notes, the stop that blocks)
    ("one release ahead", "0.1.0", "0.2.0", ["0.2.0"], None),
    ("a stop strictly between refuses", "0.1.0", "0.3.0", ["0.2.0", "0.3.0"], "0.2.0"),
    ("the lowest stop between is named", "0.1.0", "0.4.1", ["0.2.0", "0.3.0", "0.4.0"], "0.2.0"),
    ("the target being a stop is fine", "0.2.0", "0.4.0", ["0.3.0", "0.4.0"], None),
    ("past the stop: no refusal", "0.2.0", "0.3.0", ["0.3.0"], None),
    ("same version", "0.3.0", "0.3.0", None, None),
    ("a downgrade", "0.3.0", "0.2.0", None, None),
    ("unknown embedded version", None, "0.3.0", None, None),
    ("unreadable version", "main", "0.3.0", None, None),
]


@pytest.mark.parametrize(
    ("embedded", "target", "versions", "stop"),
    [c[1:] for c in UPGRADE_CASES],
    ids=[c[0] for c in UPGRADE_CASES],
)
def test_upgrade_between_two_versions(
    embedded: str | None, target: str | None, versions: list[str] | None, stop: str | None
) -> None:
    found = upgrade(RELEASES, embedded, target)
    if versions is None:
        assert found is None
        return
    assert found is not None
    assert [r.version for r in found.notes] == versions
    assert (found.stop.version if found.stop else None) == stop


def test_read_at_a_commit_and_a_commit_without_a_changelog(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=tmp_path,
            env={**os.environ, **TEST_IDENTITY},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    git("init", "-q")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    git("add", "-A")
    git("commit", "-q", "-m", "no changelog")
    before = git("rev-parse", "HEAD")
    (tmp_path / "CHANGELOG.md").write_text("## [0.2.0]\n### Upgrade\n- act\n")
    git("add", "-A")
    git("commit", "-q", "-m", "changelog")

    assert read(tmp_path, before) == []
    assert read(tmp_path, "HEAD") == [Release("0.2.0", None, ("act",), None)]


def _plan(component: Component) -> ComponentChange:
    stop = Release("0.2.0", None, (), "the data moves")
    return ComponentChange(
        component,
        ComponentStatus.UPDATE_AVAILABLE,
        upgrade=Upgrade("0.1.0", "0.3.0", (stop,), stop),
    )


@pytest.mark.parametrize(
    ("component", "folder", "expected"),
    [
        (Component("core"), None, ["--component", "core", "--ref", "0.2.0"]),
        (
            Component("modules", "auth"),
            None,
            ["--component", "modules", "--name", "auth", "--ref", "0.2.0"],
        ),
        (Component("themes", "todo"), "plain", ["--component", "themes", "--name", "todo"]),
        (Component("core"), "with space", ["--component", "core"]),
        (Component("core"), '$HOME "quoted" `x` \\', ["--component", "core"]),
    ],
)
def test_the_stop_command_is_what_the_user_types_and_sh_reads_back(
    tmp_path: Path, component: Component, folder: str | None, expected: list[str]
) -> None:
    """The command goes inside run '...': sh -c must read back the same words, the
    source (when one was given) as the absolute path it resolved to."""
    source = None
    if folder is not None:
        source = tmp_path / folder
        source.mkdir()
    stop = required_stop(_plan(component), str(source) if source else None)

    assert stop is not None and "'" not in stop.command
    words = subprocess.run(
        ["sh", "-c", 'printf "%s\\n" ' + stop.command.removeprefix("quickscale update ")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    tail = ["--ref", "0.2.0"] if "--ref" not in expected else []
    tail += ["--source", str(source)] if source else []
    assert words == expected + tail
    assert stop.error().one_line() == (
        f"{component.id} 0.1.0 cannot skip 0.2.0 on the way to 0.3.0: the data moves — "
        f"run '{stop.command}', then update again"
    )
