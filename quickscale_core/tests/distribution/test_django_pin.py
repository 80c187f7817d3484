"""A Django release moves through core alone: the mechanism of docs/distribution.md,
"Moving to Django's next LTS", with a patch release standing in for the next LTS.

Real source and project repositories and the real CLI: the source releases a core whose
pins.py moves Django, with an ``### Upgrade`` note; the project runs ``update --component
core`` and ``generate``. Its modules declare the series they support, so a patch release
needs none of them updated; a pin outside a module's range is refused in one line naming
the module and the update to run, before anything is written. Nothing is installed.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from conftest import Lab, set_version
from packaging.requirements import Requirement
from packaging.version import Version
from quickscale_testing.repos import make_source_repo

PINS = "quickscale_core/src/quickscale_toolchain/pins.py"
CHANGELOG = "quickscale_core/CHANGELOG.md"
INSTALL = ".venv/bin/pip install -r requirements-dev.txt"
CHANGELOG_HEAD = (
    "# Changelog\n\nAll notable changes to quickscale_core are documented here.\n\n"
    "## [Unreleased]\n"
)


def release_core(lab: Lab, source: Path, django: str) -> str:
    """A core release of the source whose only change is Django's pin, with the upgrade
    note such a release carries; returns its version."""
    pins = source / PINS
    text = pins.read_text(encoding="utf-8")
    moved = re.sub(r'(?m)^DJANGO = "[^"]*"', f'DJANGO = "{django}"', text, count=1)
    assert moved != text
    pins.write_text(moved, encoding="utf-8")
    core = tomllib.loads((source / "quickscale_core/pyproject.toml").read_text())["project"]
    current = Version(core["version"])
    version = f"{current.major}.{current.minor + 1}.0"
    set_version(source / "quickscale_core", version)
    changelog = source / CHANGELOG
    old = changelog.read_text(encoding="utf-8") if changelog.exists() else CHANGELOG_HEAD
    entry = (
        f"## [{version}] - 2026-12-08\n\n### Upgrade\n\n"
        f"- Django {django}: after 'quickscale generate', reinstall the project's venv:\n"
        f"  run '{INSTALL}'.\n\n### Security\n\n- Django {django}.\n\n"
    )
    # Below what is still unreleased at HEAD, which this release does not carry.
    unreleased = old.index("## [Unreleased]\n")
    after = old.find("\n## [", unreleased + 1)
    at = len(old) if after == -1 else after + 1
    changelog.write_text(old[:at] + ("" if old[:at].endswith("\n\n") else "\n") + entry + old[at:])
    lab.commit_all(source, f"release core {version}: Django {django}")
    return version


def django_pins(project: Path) -> dict[str, str]:
    """Generated requirement file -> the Django version it pins (files pinning one)."""
    found = {}
    for path in (
        "requirements.txt",
        "requirements-dev.txt",
        ".github/quickscale-cli-constraints.txt",
    ):
        for line in (project / path).read_text().splitlines():
            if line.lower().startswith("django=="):
                found[path] = line.partition("==")[2]
    return found


def editable_ranges(project: Path) -> dict[str, str]:
    """Embedded component -> the Django requirement its pyproject.toml declares, for every
    ``-e ./X`` line of requirements.txt: what pip must reconcile with the pin."""
    ranges = {}
    for line in (project / "requirements.txt").read_text().splitlines():
        if line.startswith("-e ./"):
            data = tomllib.loads((project / line[5:] / "pyproject.toml").read_text())
            for text in data["project"].get("dependencies", []):
                if Requirement(text).name.lower() == "django":
                    ranges[line[5:]] = text
    return ranges


def test_a_django_pin_bump_moves_through_core_alone_and_a_pin_outside_a_range_is_refused(
    lab: Lab,
) -> None:
    source = make_source_repo(
        lab.root / "monorepo",
        ("quickscale_core", "quickscale_themes/starter", "quickscale_modules/auth"),
    )
    project = lab.client(source)
    with (project / "quickscale.yml").open("a") as config:
        config.write("modules:\n  auth:\n")
    lab.commit_all(project, "acme: the auth module")
    embedded = lab.qs("generate", "--no-migrations", "--source", str(source), cwd=project)
    assert embedded.returncode == 0, embedded.stderr
    before = django_pins(project)
    assert set(before) >= {"requirements.txt"} and len(set(before.values())) == 1
    old = Version(before["requirements.txt"])
    # requirements-dev.txt pins Django through requirements.txt (its first line).
    assert "-r requirements.txt" in (project / "requirements-dev.txt").read_text()
    auth = (project / "quickscale_modules/auth/pyproject.toml").read_bytes()

    # 1. A Django patch release: core's pins.py alone moves.
    patch = f"{old.major}.{old.minor}.{old.micro + 1}"
    version = release_core(lab, source, patch)
    check = lab.qs("update", "--check", "--source", str(source), cwd=project)
    assert check.returncode == 3, check.stdout + check.stderr
    note = f"Django {patch}: after 'quickscale generate', reinstall the project's venv: "
    note += f"run '{INSTALL}'."
    assert f"  {version} (2026-12-08): {note}" in check.stdout.splitlines()
    as_json = lab.qs("update", "--check", "--format", "json", "--source", str(source), cwd=project)
    report = {c["component"]: c for c in json.loads(as_json.stdout)["components"]}
    assert [n["actions"] for n in report["core"]["notes"]] == [[note]]
    assert report["modules/auth"]["status"] == report["themes/starter"]["status"] == "up-to-date"
    updated = lab.qs("update", "--component", "core", "--source", str(source), cwd=project)
    assert updated.returncode == 0, updated.stderr
    assert f"M {PINS}" in updated.stdout and note in updated.stdout  # shown again
    generated = lab.qs("generate", "--no-migrations", "--source", str(source), cwd=project)
    assert generated.returncode == 0, generated.stdout + generated.stderr

    assert django_pins(project) == dict.fromkeys(before, patch)
    assert "updated          requirements.txt" in generated.stdout
    # No module or theme moved: their ranges admit the new pin, so pip can resolve.
    assert (project / "quickscale_modules/auth/pyproject.toml").read_bytes() == auth
    ranges = editable_ranges(project)
    assert set(ranges) == {"quickscale_themes/starter", "quickscale_modules/auth"}
    assert all(Version(patch) in Requirement(r).specifier for r in ranges.values()), ranges
    nothing = lab.qs("update", "--check", "--source", str(source), cwd=project)
    assert nothing.returncode == 0, nothing.stdout

    # 2. A core pinning a Django outside the module's series: refused in one line.
    outside = f"{old.major + 1}.0.1"
    newer = release_core(lab, source, outside)
    moved = lab.qs("update", "--component", "core", "--source", str(source), cwd=project)
    assert moved.returncode == 0, moved.stderr
    state = lab.state(project)
    for command in (("generate", "--source", str(source)), ("status",)):
        refused = lab.qs(*command, "--no-migrations", cwd=project)
        assert refused.returncode == 1, (command, refused.stdout, refused.stderr)
        assert refused.stderr.splitlines() == [
            f"error: themes/starter {version_of(project, 'quickscale_themes/starter')} "
            f"supports {ranges['quickscale_themes/starter']} but core {newer} pins Django "
            f"{outside}; modules/auth does not support it either — run 'quickscale update "
            "--component themes', then 'quickscale update --component modules'"
        ], command
    assert lab.state(project) == state  # nothing written
    assert django_pins(project) == dict.fromkeys(before, patch)


def version_of(project: Path, prefix: str) -> str:
    data = tomllib.loads((project / prefix / "pyproject.toml").read_text())
    return str(data["project"]["version"])
