"""`quickscale publish`: split branches are reproducible; tags mark stable versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import Lab, add_component, append, set_version

BRANCHES = ["core", "modules/widgets", "themes/plain", "themes/starter"]


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
