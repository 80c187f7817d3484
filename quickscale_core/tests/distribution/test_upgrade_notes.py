"""Upgrade notes and required stops, between release tags ``publish --tag`` made.

Each source gets releases 1, 2 and 3 of a component, each with a CHANGELOG.md whose
``### Upgrade`` section says what a project must do, tagged by the real ``publish
--tag``; a client made at release 1 then runs the real ``quickscale update``. One
source starts from the oldest supported core (commit 18fbf44, the first release,
from before changelogs and the toolchain package): notes and stops are read by the
CLI's installed toolchain, so such a project is told too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Lab, append, set_version
from quickscale_testing.repos import make_source_repo, monorepo_root

#: The first release of every component (tag core-v0.1.0 in the monorepo).
OLDEST = "18fbf4465e886bf0b3faa096a2e2deabd82e9644"
DATES = {"0.1.0": "2026-12-06", "0.2.0": "2026-12-07", "0.3.0": "2026-12-08"}
SETTING = "Add `WIDGETS_LIMIT = 10` to settings.py."
MIGRATE = "Check the data migration 0002, then run 'python manage.py migrate'."
NAMES = "quickscale_core/src/quickscale_toolchain/names.py"
REASON = "the sessions table moves to a new format, which 0.3.0 no longer reads."


@dataclass(frozen=True)
class Spec:
    """Which component, where, and the ``update`` options a user would type for it."""

    component: str  # core | modules/widgets
    prefix: str
    select: tuple[str, ...]  # --component ... [--name ...] as the printed command has them


CORE = Spec("core", "quickscale_core", ("--component", "core"))
WIDGETS = Spec(
    "modules/widgets", "quickscale_modules/widgets", ("--component", "modules", "--name", "widgets")
)


def changelog(upgrades: dict[str, list[str]]) -> str:
    """A Keep a Changelog file, newest release first, each with its Upgrade bullets."""
    text = "# Changelog\n\n## [Unreleased]\n\n"
    for version in sorted(upgrades, key=lambda v: tuple(map(int, v.split("."))), reverse=True):
        text += f"## [{version}] - {DATES[version]}\n\n"
        if upgrades[version]:
            text += "### Upgrade\n\n" + "".join(f"- {b}\n" for b in upgrades[version]) + "\n"
        text += "### Changed\n\n- release " + version + "\n\n"
    return text


def release(lab: Lab, source: Path, spec: Spec, upgrades: dict[str, list[str]]) -> None:
    """The newest version of ``upgrades`` of ``spec``, committed and tagged by publish."""
    version = max(upgrades, key=lambda v: tuple(map(int, v.split("."))))
    root = source / spec.prefix
    (root / "CHANGELOG.md").write_text(changelog(upgrades), encoding="utf-8")
    set_version(root, version)
    lab.commit_all(source, f"release {spec.component} {version}")
    published = lab.qs("publish", "--tag", cwd=source)
    assert published.returncode == 0, published.stdout + published.stderr
    assert lab.git(source, "tag", "-l", f"{spec.component}-v{version}")


def lab_source(lab: Lab, spec: Spec) -> Path:
    """A source at release 0.1.0 of ``spec`` (and core), published and tagged."""
    source = lab.source(extra=("modules/widgets",) if spec is WIDGETS else ())
    if spec is WIDGETS:  # one publish tags both
        (source / spec.prefix / "CHANGELOG.md").write_text(changelog({"0.1.0": []}))
    release(lab, source, CORE, {"0.1.0": []})
    return source


def oldest_source(lab: Lab) -> Path:
    """A source holding core and the starter theme as release 0.1.0 made them (commit
    18fbf44: no changelog, no quickscale_toolchain package), tagged; release 0.2.0 then
    puts today's core in its place (as the real 0.2.0 does)."""
    source = lab.root / "oldest"
    source.mkdir()
    paths = ["quickscale_core/src", "quickscale_core/pyproject.toml", "quickscale_themes/starter"]
    archive = subprocess.run(
        ["git", "archive", "--format=tar", OLDEST, *paths], cwd=monorepo_root(), capture_output=True
    )
    if archive.returncode != 0:
        pytest.fail(f"commit {OLDEST[:7]} is not in this checkout: run 'git fetch --unshallow'")
    subprocess.run(["tar", "-x"], cwd=source, input=archive.stdout, check=True)
    lab.git(source, "init", "-q", "-b", "main")
    lab.commit_all(source, "release 0.1.0 (18fbf44)")
    assert lab.qs("publish", "--tag", cwd=source).returncode == 0
    return source


def today_core(lab: Lab, source: Path) -> None:
    """Replace the source's core by this checkout's (the layout after the split)."""
    today = make_source_repo(lab.root / "today", ["quickscale_core"])
    shutil.rmtree(source / "quickscale_core")
    shutil.copytree(today / "quickscale_core", source / "quickscale_core")


def update(lab: Lab, client: Path, source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return lab.qs("update", *args, "--source", str(source), cwd=client)


def fix_command(stderr: str) -> str:
    """The first ``run '<command>'`` of an error line: the fix, to run verbatim."""
    found = re.search(r"run '([^']*)'", stderr)
    assert found, stderr
    return found.group(1)


def version_of(client: Path, spec: Spec) -> str:
    text = (client / spec.prefix / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'(?m)^version = "([^"]+)"', text)
    assert found
    return found.group(1)


def test_notes_between_two_tags_in_check_text_and_json(lab: Lab) -> None:
    source = lab_source(lab, CORE)
    client = lab.client(source)
    release(lab, source, CORE, {"0.1.0": [], "0.2.0": [SETTING]})
    release(lab, source, CORE, {"0.1.0": [], "0.2.0": [SETTING], "0.3.0": [MIGRATE]})
    state = lab.state(client)

    text = update(lab, client, source, "--check", "-c", "core")
    as_json = update(lab, client, source, "--check", "-c", "core", "--format", "json")
    to_two = update(lab, client, source, "--check", "-c", "core", "--ref", "0.2.0")

    assert (text.returncode, text.stderr) == (3, ""), text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["core", "0.1.0", "->", "0.3.0", "update", "available"]
    assert lines[1:] == [f"  0.2.0 (2026-12-07): {SETTING}", f"  0.3.0 (2026-12-08): {MIGRATE}"]
    assert as_json.returncode == 3, as_json.stderr
    [core] = json.loads(as_json.stdout)["components"]
    assert core["notes"] == [
        {"version": "0.2.0", "date": "2026-12-07", "actions": [SETTING], "required_stop": None},
        {"version": "0.3.0", "date": "2026-12-08", "actions": [MIGRATE], "required_stop": None},
    ]
    assert core["required_stop"] is None
    # --ref names the target: only the releases up to it.
    assert to_two.returncode == 3, to_two.stderr
    assert to_two.stdout.splitlines()[1:] == [f"  0.2.0 (2026-12-07): {SETTING}"]
    assert lab.state(client) == state


@pytest.mark.parametrize(
    ("spec", "start"),
    [(CORE, "oldest"), (WIDGETS, "lab")],
    ids=["core made by release 0.1.0", "module"],
)
def test_a_required_stop_refuses_the_skip_then_its_command_passes_through_it(
    lab: Lab, spec: Spec, start: str
) -> None:
    if start == "oldest":
        source = oldest_source(lab)
        client = lab.client(source)
        assert not (client / "quickscale_core/src/quickscale_toolchain").exists()
        today_core(lab, source)
    else:
        source = lab_source(lab, spec)
        client = lab.client(source)
        lab.embed(client, source, spec.component)
    two = {"0.1.0": [], "0.2.0": [f"**Required stop:** {REASON}", SETTING]}
    release(lab, source, spec, two)
    release(lab, source, spec, {**two, "0.3.0": [MIGRATE]})
    state = lab.state(client)
    stop_command = " ".join(["quickscale", "update", *spec.select, "--ref", "0.2.0"])
    stop_command += f" --source {source}"

    refused = update(lab, client, source, *spec.select)
    check = update(lab, client, source, "--check", *spec.select)
    as_json = update(lab, client, source, "--check", *spec.select, "--format", "json")

    assert (refused.returncode, refused.stdout) == (1, ""), refused.stdout + refused.stderr
    assert refused.stderr == (
        f"error: {spec.component} 0.1.0 cannot skip 0.2.0 on the way to 0.3.0: {REASON} — "
        f"run '{stop_command}', then update again\n"
    )
    assert lab.state(client) == state  # nothing merged
    assert check.returncode == 3, check.stderr
    assert check.stdout.splitlines()[1:] == [
        f"  0.2.0 (2026-12-07): required stop: {REASON}",
        f"  0.2.0 (2026-12-07): {SETTING}",
        f"  0.3.0 (2026-12-08): {MIGRATE}",
        f"  cannot skip 0.2.0: run '{stop_command}', then update again",
    ]
    [row] = [
        c for c in json.loads(as_json.stdout)["components"] if c["component"] == spec.component
    ]
    assert row["required_stop"] == {"version": "0.2.0", "reason": REASON, "command": stop_command}
    assert [note["required_stop"] for note in row["notes"]] == [REASON, None]

    # The printed command, verbatim, stops at 0.2.0 with its notes; updating again
    # reaches 0.3.0 with the notes after the stop only.
    passed = subprocess.run(
        ["sh", "-c", fix_command(refused.stderr).replace("quickscale", lab.bin, 1)],
        cwd=client,
        capture_output=True,
        text=True,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert version_of(client, spec) == "0.2.0"
    assert f"{spec.component}: upgrade notes\n" in passed.stdout
    assert passed.stdout.endswith(
        f"  0.2.0 (2026-12-07): required stop: {REASON}\n  0.2.0 (2026-12-07): {SETTING}\n"
    )
    again = update(lab, client, source, *spec.select)
    assert again.returncode == 0, again.stdout + again.stderr
    assert version_of(client, spec) == "0.3.0"
    assert again.stdout.endswith(
        f"{spec.component}: upgrade notes\n  0.3.0 (2026-12-08): {MIGRATE}\n"
    )
    if start == "oldest":
        assert (client / "quickscale_core/src/quickscale_toolchain/api.py").is_file()


@pytest.mark.parametrize("spec", [CORE, WIDGETS], ids=["core", "module"])
def test_without_a_stop_three_releases_in_one_step_with_every_note(lab: Lab, spec: Spec) -> None:
    source = lab_source(lab, spec)
    client = lab.client(source)
    if spec is WIDGETS:
        lab.embed(client, source, spec.component)
    release(lab, source, spec, {"0.1.0": [], "0.2.0": [SETTING]})
    release(lab, source, spec, {"0.1.0": [], "0.2.0": [SETTING], "0.3.0": [MIGRATE]})

    done = update(lab, client, source, *spec.select, "--format", "json")

    assert done.returncode == 0, done.stdout + done.stderr
    [row] = json.loads(done.stdout)["components"]
    assert (row["component"], row["old_version"], row["new_version"]) == (
        spec.component,
        "0.1.0",
        "0.3.0",
    )
    assert [(n["version"], n["actions"]) for n in row["notes"]] == [
        ("0.2.0", [SETTING]),
        ("0.3.0", [MIGRATE]),
    ]
    assert row["required_stop"] is None and row["changed"] is True
    assert version_of(client, spec) == "0.3.0"


def test_a_conflicted_update_shows_the_notes_of_the_merge_left_to_finish(lab: Lab) -> None:
    source = lab_source(lab, CORE)
    client = lab.client(source)
    append(client / NAMES, "# acme: a local line")
    lab.commit_all(client, "acme: edit names.py")
    append(source / NAMES, "# release 0.2.0")  # the same place: a conflict
    release(lab, source, CORE, {"0.1.0": [], "0.2.0": [SETTING]})

    done = update(lab, client, source, "-c", "core")

    assert done.returncode == 1, done.stdout + done.stderr
    assert f"merge conflicts in {NAMES}" in done.stderr
    assert done.stdout == (
        f"core: upgrade notes (once the merge is finished)\n  0.2.0 (2026-12-07): {SETTING}\n"
    )
