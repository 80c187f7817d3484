"""Embedding does not grow with history: component commits are built from a tree.

``init``, ``update`` and ``update --check`` used to run ``git subtree split`` over the
whole source history; now a component commit is the component's tree alone, with a
fixed author and date and the source commit in a trailer. These tests pin that down:
the commit is the same for the same source commit, has no parents, names its source,
is the same for a long and a one-commit history, and no ``subtree split`` runs.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import Lab, append
from history import add_history
from quickscale_toolchain.source import (
    component_commit_id,
    recorded_source_commit,
    write_component_commit,
)
from quickscale_toolchain.subtree import component_commit_object

CORE = "quickscale_core"
NAMES = "quickscale_core/src/quickscale_toolchain/names.py"
PINS = "quickscale_core/src/quickscale_toolchain/pins.py"


def _embedded(lab: Lab, client: Path, prefix: str = CORE) -> str:
    """The component commit recorded by the latest squash of ``prefix``."""
    body = lab.git(client, "log", "-1", f"--grep=^git-subtree-dir: {prefix}/*$", "--format=%b")
    return body.split("git-subtree-split:")[1].split()[0]


def _parents(lab: Lab, repo: Path, commit: str) -> list[str]:
    return lab.git(repo, "rev-list", "--parents", "-n", "1", commit).split()[1:]


def _objects(lab: Lab, repo: Path) -> str:
    counts = lab.git(repo, "count-objects", "-v").splitlines()
    return " ".join(line for line in counts if line.startswith(("count:", "in-pack:")))


@pytest.fixture
def git_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``git`` shim first on PATH that records every command, then runs the real git."""
    real = shutil.which("git")
    assert real
    shim_dir = tmp_path / "shim"
    shim_dir.mkdir()
    log = tmp_path / "git-calls.log"
    shim = shim_dir / "git"
    shim.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{shim_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def _acme_in(lab: Lab, parent: Path, source: Path) -> Path:
    """``quickscale init acme`` under ``parent``: same name, so same generated files."""
    parent.mkdir()
    made = lab.qs("init", "acme", "--source", str(source), cwd=parent)
    assert made.returncode == 0, made.stderr
    return parent / "acme"


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_the_object_id_is_computed_like_git_writes_it(lab: Lab) -> None:
    source = lab.source()
    head = lab.git(source, "rev-parse", "HEAD")
    tree = lab.git(source, "rev-parse", f"HEAD:{CORE}")
    scratch = lab.root / "scratch"
    lab.git(lab.root, "init", "-q", str(scratch))
    lab.git(scratch, "fetch", "-q", str(source), "HEAD")
    root = write_component_commit(scratch, CORE, tree, head)
    child = write_component_commit(scratch, CORE, tree, head, parent=root)
    assert component_commit_id(CORE, tree, head) == root
    assert component_commit_id(CORE, tree, head, root) == child
    assert lab.git(scratch, "cat-file", "-p", root).encode() + b"\n" == component_commit_object(
        CORE, tree, head
    )
    assert recorded_source_commit(scratch, child) == head
    assert recorded_source_commit(scratch, head) is None
    lab.git(scratch, "fsck", "--strict", "--no-dangling")


def test_init_builds_the_same_parentless_commit_and_writes_nothing_to_the_source(
    lab: Lab,
) -> None:
    source = lab.source()
    head = lab.git(source, "rev-parse", "HEAD")
    refs, objects = lab.state(source), _objects(lab, source)
    one = lab.client(source, "one")
    two = lab.client(source, "two")
    commit = _embedded(lab, one)

    assert _embedded(lab, two) == commit
    assert _parents(lab, one, commit) == []
    assert lab.git(one, "rev-parse", f"{commit}^{{tree}}") == lab.git(
        source, "rev-parse", f"HEAD:{CORE}"
    )
    assert f"Source-commit: {head}" in lab.git(one, "log", "-1", "--format=%B", commit)
    assert commit == component_commit_id(CORE, lab.git(source, "rev-parse", f"HEAD:{CORE}"), head)
    starter = _embedded(lab, one, "quickscale_themes/starter")
    assert _parents(lab, one, starter) == [] and _embedded(lab, two, "quickscale_themes/starter")
    # Not a ref, not an object: the source is only read.
    assert lab.state(source) == refs and _objects(lab, source) == objects


def test_a_long_history_embeds_the_same_tree_as_a_one_commit_source(lab: Lab) -> None:
    short = lab.source("short")
    long = lab.source("long")
    long_head = add_history(long, 300)
    assert lab.git(long, "rev-list", "--count", "HEAD") == "303"
    assert lab.git(long, "rev-parse", "HEAD^{tree}") == lab.git(short, "rev-parse", "HEAD^{tree}")

    from_short = _acme_in(lab, lab.root / "a", short)
    from_long = _acme_in(lab, lab.root / "b", long)

    # Every tracked file of the two projects is identical, embedded code included.
    assert lab.git(from_short, "rev-parse", "HEAD^{tree}") == lab.git(
        from_long, "rev-parse", "HEAD^{tree}"
    )
    commit = _embedded(lab, from_long)
    assert _parents(lab, from_long, commit) == []
    tree = lab.git(long, "rev-parse", f"HEAD:{CORE}")
    assert commit == component_commit_id(CORE, tree, long_head)
    # The client holds the component's files, not the source's 300 commits.
    assert lab.git(from_long, "cat-file", "-t", long_head, check=False) == ""


def test_no_subtree_split_on_the_paths_of_init_check_update_and_publish(
    lab: Lab, git_log: Path
) -> None:
    source = lab.source()
    add_history(source, 50)
    client = lab.client(source)
    # init writes what `git subtree add --squash` records, with plumbing (no script).
    assert any(call.startswith("commit-tree") for call in _calls(git_log))
    lab.release(source, "0.2.0")
    check = lab.qs("update", "--check", "--source", str(source), cwd=client)
    assert check.returncode == 3, check.stderr
    done = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert done.returncode == 0, done.stderr
    older = lab.git(source, "rev-parse", "HEAD~1")
    back = lab.qs("update", "-c", "core", "--ref", older, "--source", str(source), cwd=client)
    assert back.returncode == 0, back.stderr
    assert lab.qs("publish", cwd=source).returncode == 0
    lab.release(source, "0.3.0")
    assert lab.qs("publish", cwd=source).returncode == 0

    calls = _calls(git_log)
    assert any(call.startswith("subtree merge") for call in calls)
    assert [call for call in calls if call.startswith("subtree split")] == []
    assert [call for call in calls if call.startswith("rev-list")] == []


def test_update_merges_between_unrelated_parentless_commits(lab: Lab) -> None:
    """`git subtree merge --squash` needs no shared history between the old and new
    component commits: the squash commits carry the merge base."""
    source = lab.source()
    client = lab.client(source)
    first = _embedded(lab, client)
    append(client / PINS, "# acme: local tweak")
    lab.commit_all(client, "acme: tweak")
    for version in ("0.2.0", "0.3.0"):
        lab.release(source, version)
        done = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
        assert done.returncode == 0, done.stderr
    last = _embedded(lab, client)
    assert _parents(lab, client, first) == [] and _parents(lab, client, last) == []
    assert lab.git(client, "merge-base", first, last, check=False) == ""
    names = (client / NAMES).read_text()
    assert "# release 0.2.0" in names and "# release 0.3.0" in names
    assert "# acme: local tweak" in (client / PINS).read_text()
    assert lab.git(client, "status", "--porcelain") == ""


def test_update_ref_to_a_monorepo_commit_builds_its_commit(lab: Lab) -> None:
    source = lab.source()
    old = lab.git(source, "rev-parse", "HEAD")
    lab.release(source, "0.2.0")
    client = lab.client(source)
    done = lab.qs("update", "-c", "core", "--ref", old, "--source", str(source), cwd=client)
    assert done.returncode == 0, done.stderr
    assert "0.2.0 -> 0.1.0" in done.stdout
    commit = _embedded(lab, client)
    assert _parents(lab, client, commit) == []
    assert commit == component_commit_id(CORE, lab.git(source, "rev-parse", f"{old}:{CORE}"), old)


def test_a_fresh_clone_of_the_project_rebuilds_the_embedded_commit(lab: Lab) -> None:
    """A clone never has the unreachable component commit, and the source never had it:
    update finds the source commit that reproduces its id and writes it again."""
    source = lab.source()
    client = lab.client(source)
    twin = lab.root / "twin"
    lab.git(lab.root, "clone", "-q", "--no-local", str(client), str(twin))
    embedded = _embedded(lab, twin)
    assert lab.git(twin, "cat-file", "-t", embedded, check=False) == ""
    add_history(source, 20)
    lab.release(source, "0.2.0")
    done = lab.qs("update", "-c", "core", "--source", str(source), cwd=twin)
    assert done.returncode == 0, done.stderr
    assert "0.1.0 -> 0.2.0" in done.stdout
    assert lab.git(twin, "cat-file", "-t", embedded) == "commit"


def test_a_fresh_clone_rebuilds_it_from_the_project_history_not_the_source_history(
    lab: Lab, git_log: Path
) -> None:
    """The merge that brought a built commit records its source commit, so a clone (the
    update bot's) rebuilds it with no walk of the source's history: even once that
    history no longer holds the commit, as after a rebase of the developer's checkout."""
    source = lab.source()
    add_history(source, 30)
    client = lab.client(source)
    embedded = _embedded(lab, client)
    origin = lab.git(source, "rev-parse", "HEAD")
    assert f"Quickscale-split-source: {embedded} {origin}" in lab.git(
        client, "log", "-1", "--format=%B", "HEAD~1"
    )
    # The source commit the project was made from leaves the source's history.
    lab.git(source, "commit", "-q", "--amend", "-m", "history: reworded")
    # The update records its own built commit too: a clone of the clone updates again.
    for name, old, new in (("twin", "0.1.0", "0.2.0"), ("triplet", "0.2.0", "0.3.0")):
        lab.release(source, new)
        clone = lab.root / name
        lab.git(lab.root, "clone", "-q", "--no-local", str(client), str(clone))
        assert lab.git(clone, "cat-file", "-t", _embedded(lab, clone), check=False) == ""
        git_log.write_text("")
        done = lab.qs("update", "-c", "core", "--source", str(source), cwd=clone)
        assert done.returncode == 0, done.stderr
        assert f"{old} -> {new}" in done.stdout
        assert not [call for call in _calls(git_log) if call.startswith("rev-list --all")]
        client = clone


def test_publish_adds_one_commit_per_change_and_starts_with_the_init_commit(lab: Lab) -> None:
    source = lab.source()
    add_history(source, 100)
    client = lab.client(source)
    assert lab.qs("publish", "-c", "core", cwd=source).returncode == 0
    first = lab.git(source, "rev-parse", "refs/heads/core")
    # A branch published for the first time holds the very commit init built.
    assert first == _embedded(lab, client)
    assert lab.git(source, "rev-list", "--count", "core") == "1"

    head = lab.release(source, "0.2.0")
    assert lab.qs("publish", "-c", "core", cwd=source).returncode == 0
    second = lab.git(source, "rev-parse", "refs/heads/core")
    assert _parents(lab, source, second) == [first]
    assert recorded_source_commit(source, second) == head
    assert lab.git(source, "rev-parse", f"{second}^{{tree}}") == lab.git(
        source, "rev-parse", f"HEAD:{CORE}"
    )
    # Current again: init and update embed the published commit itself.
    check = lab.qs("update", "--check", "--source", str(source), cwd=client)
    assert check.returncode == 3, check.stderr
    done = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert done.returncode == 0, done.stderr
    assert _embedded(lab, client) == second


def test_publish_continues_a_branch_made_by_git_subtree_split(lab: Lab) -> None:
    source = lab.source()
    lab.git(source, "subtree", "split", "-q", f"--prefix={CORE}", "-b", "core")
    legacy = lab.git(source, "rev-parse", "refs/heads/core")
    lab.release(source, "0.2.0")
    done = lab.qs("publish", "-c", "core", cwd=source)
    assert done.returncode == 0, done.stderr
    now = lab.git(source, "rev-parse", "refs/heads/core")
    assert _parents(lab, source, now) == [legacy]
    assert recorded_source_commit(source, now) == lab.git(source, "rev-parse", "HEAD")
