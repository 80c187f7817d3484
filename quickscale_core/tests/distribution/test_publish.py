"""`quickscale publish`: split branches are reproducible; tags mark stable versions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Lab, add_component, append, set_version
from quickscale_testing.repos import monorepo_root

BRANCHES = ["core", "modules/widgets", "themes/plain", "themes/starter"]
#: Release 0.1.0 of every component: the monorepo as it was before changelogs.
FIRST_RELEASE = "18fbf4465e886bf0b3faa096a2e2deabd82e9644"


def _published(lab: Lab, repo_dir: Path, *args: str) -> dict[str, str]:
    done = lab.qs("publish", "--format", "json", *args, cwd=repo_dir)
    assert done.returncode == 0, done.stderr
    return {row["branch"]: row["commit"] for row in json.loads(done.stdout)}


def test_split_branches_are_reproducible(lab: Lab) -> None:
    source = lab.source(extra=("modules/widgets", "themes/plain"))
    first = _published(lab, source)
    second = _published(lab, source)
    assert sorted(first) == sorted(BRANCHES)
    assert first == second
    for branch in BRANCHES:
        assert lab.git(source, "rev-parse", f"refs/heads/{branch}") == first[branch]
        prefix = "quickscale_" + branch
        assert lab.git(source, "rev-parse", f"{branch}^{{tree}}") == lab.git(
            source, "rev-parse", f"HEAD:{prefix}"
        )
    # From scratch, and in another clone: the same ids (they depend on history only).
    for branch in BRANCHES:
        lab.git(source, "branch", "-q", "-D", branch)
    assert _published(lab, source) == first
    clone = lab.root / "clone"
    lab.git(lab.root, "clone", "-q", str(source), str(clone))
    assert _published(lab, clone) == first


def test_publish_moves_branches_forward_and_tags_stable_versions(lab: Lab) -> None:
    source = lab.source(extra=("modules/widgets",))
    one = _published(lab, source, "--tag")
    assert lab.git(source, "rev-parse", "core-v0.1.0") == one["core"]
    assert lab.git(source, "rev-parse", "modules/widgets-v0.1.0") == one["modules/widgets"]

    lab.release(source, "0.2.0")
    two = _published(lab, source, "--tag")
    assert two["modules/widgets"] == one["modules/widgets"]
    assert two["core"] != one["core"]
    assert lab.git(source, "merge-base", "--is-ancestor", one["core"], two["core"]) == ""
    assert lab.git(source, "rev-parse", "core-v0.2.0") == two["core"]
    assert lab.git(source, "rev-parse", "core-v0.1.0") == one["core"]

    set_version(source / "quickscale_core", "0.3.0rc1")
    lab.commit_all(source, "pre-release")
    done = lab.qs("publish", "--tag", cwd=source)
    assert done.returncode == 0
    assert "tag - skipped" in done.stdout
    assert lab.git(source, "tag", "-l", "core-v0.3.0*") == ""


def test_tag_for_an_unbumped_version_refuses_and_writes_nothing(lab: Lab) -> None:
    source = lab.source(extra=("themes/plain",))
    assert lab.qs("publish", "--tag", cwd=source).returncode == 0
    append(source / "quickscale_core/src/quickscale_toolchain/names.py", "# changed, no bump")
    lab.commit_all(source, "change without bump")
    refs = lab.git(source, "for-each-ref", "--format=%(refname) %(objectname)")

    done = lab.qs("publish", "--tag", cwd=source)

    assert done.returncode == 1
    assert "tag core-v0.1.0 already marks other content" in done.stderr
    assert "bump [project] version in quickscale_core/pyproject.toml" in done.stderr
    assert lab.git(source, "for-each-ref", "--format=%(refname) %(objectname)") == refs


def test_publish_only_one_component_and_rewritten_history_is_refused(lab: Lab) -> None:
    source = lab.source(extra=("modules/widgets",))
    only = _published(lab, source, "-c", "modules", "-n", "widgets")
    assert list(only) == ["modules/widgets"]
    assert lab.git(source, "branch", "--list", "core") == ""
    # Rewrite the monorepo history: the published branch can no longer move forward.
    _published(lab, source)
    add_component(source, "modules/widgets", "0.1.1")
    lab.commit_all(source, "widgets 0.1.1")
    _published(lab, source)
    lab.git(source, "reset", "-q", "--hard", "HEAD~1")
    add_component(source, "modules/widgets", "0.1.2")
    lab.commit_all(source, "widgets 0.1.2 instead")
    refs = lab.git(source, "for-each-ref")
    done = lab.qs("publish", cwd=source)
    assert done.returncode == 1
    assert "is not an ancestor" in done.stderr and "git branch -D modules/widgets" in done.stderr
    assert lab.git(source, "for-each-ref") == refs


def test_publish_outside_a_monorepo(lab: Lab) -> None:
    empty = lab.root / "other"
    empty.mkdir()
    lab.git(empty, "init", "-q")
    (empty / "x.txt").write_text("x\n")
    lab.commit_all(empty, "x")
    done = lab.qs("publish", cwd=empty)
    assert done.returncode == 1 and "run publish in the QuickScale monorepo" in done.stderr
    shutil.rmtree(empty)


#: (case, core's CHANGELOG.md at the release commit, or None for no file; tagged?).
#: ``{v}`` is the release's version. Only a ``## [<version>]`` heading is an entry.
CHANGELOG_CASES: list[tuple[str, str | None, bool]] = [
    ("entry with a date", "# Changelog\n\n## [Unreleased]\n\n## [{v}] - 2026-12-07\n", True),
    ("entry without a date", "# Changelog\n\n## [{v}]\n\n### Fixed\n\n- a bug\n", True),
    ("no CHANGELOG.md at all (a commit from before changelogs)", None, True),
    ("only under Unreleased", "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- {v}\n", False),
    ("older releases only", "# Changelog\n\n## [0.1.0] - 2026-12-06\n", False),
    ("a pre-release of it", "# Changelog\n\n## [{v}rc1] - 2026-12-07\n", False),
    ("not a release heading", "# Changelog\n\n### [{v}] - 2026-12-07\n\n## {v}\n", False),
    ("empty file", "", False),
]


def test_tag_needs_the_version_s_changelog_entry_unless_there_is_no_changelog(lab: Lab) -> None:
    source = lab.source()
    assert lab.qs("publish", "--tag", cwd=source).returncode == 0  # core-v0.1.0
    changelog = source / "quickscale_core/CHANGELOG.md"
    for number, (case, text, tagged) in enumerate(CHANGELOG_CASES, start=2):
        version = f"0.{number}.0"
        set_version(source / "quickscale_core", version)
        if text is None:
            changelog.unlink(missing_ok=True)
        else:
            changelog.write_text(text.format(v=version))
        lab.commit_all(source, f"core {version}: {case}")
        refs = lab.git(source, "for-each-ref", "--format=%(refname) %(objectname)")

        done = lab.qs("publish", "--tag", cwd=source)

        if tagged:
            assert done.returncode == 0, f"{case}: {done.stderr}"
            assert lab.git(source, "rev-parse", f"core-v{version}") == lab.git(
                source, "rev-parse", "core"
            ), case
            continue
        assert done.returncode == 1, f"{case}: {done.stdout}"
        expected = (
            f"error: quickscale_core/CHANGELOG.md has no entry for {version}, the version tag "
            f"core-v{version} would mark — add a '## [{version}] - DATE' entry to "
            "quickscale_core/CHANGELOG.md, commit, and publish again"
        )
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert [re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", line) for line in errors] == [expected], case
        assert "Traceback" not in done.stderr, case
        # Nothing written: neither the tag nor the core branch moved.
        assert lab.git(source, "for-each-ref", "--format=%(refname) %(objectname)") == refs, case
        # Without --tag the branch is still published.
        assert lab.qs("publish", cwd=source).returncode == 0, case


def test_a_module_without_its_entry_refuses_the_whole_run(lab: Lab) -> None:
    source = lab.source(extra=("modules/widgets",))
    widgets = source / "quickscale_modules/widgets"
    (widgets / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    lab.release(source, "0.2.0")  # core's entry is there
    refs = lab.git(source, "for-each-ref", "--format=%(refname) %(objectname)")

    done = lab.qs("publish", "--tag", cwd=source)

    assert done.returncode == 1
    assert "quickscale_modules/widgets/CHANGELOG.md has no entry for 0.1.0" in done.stderr
    assert "modules/widgets-v0.1.0" in done.stderr
    assert lab.git(source, "for-each-ref", "--format=%(refname) %(objectname)") == refs
    assert lab.git(source, "tag", "-l") == ""


def test_the_first_release_commit_is_tagged_again_as_it_was(lab: Lab) -> None:
    """Re-publishing release 0.1.0 (monorepo commit 18fbf44, before changelogs) with --tag
    tags every component, each tag the same commit as the monorepo's own tag."""
    root = monorepo_root()
    known = subprocess.run(
        ["git", "cat-file", "-e", f"{FIRST_RELEASE}^{{commit}}"], cwd=root, check=False
    )
    if known.returncode != 0:
        pytest.fail(
            f"commit {FIRST_RELEASE[:7]} is not in this checkout: run 'git fetch --unshallow'"
        )
    clone = lab.root / "monorepo"
    lab.git(lab.root, "clone", "-q", "--no-checkout", "--no-tags", str(root), str(clone))

    done = lab.qs("publish", "--tag", "--ref", FIRST_RELEASE, "--format", "json", cwd=clone)

    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 10 and {row["tag_action"] for row in rows} == {"created"}
    for row in rows:
        tag = f"{row['branch']}-v0.1.0"
        assert lab.git(clone, "rev-parse", tag) == row["commit"]
        theirs = lab.git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}", check=False)
        assert theirs in ("", row["commit"]), tag
