"""The subtree format read back from real histories: what ``git subtree`` itself writes
(``add --squash``, ``merge --squash`` as ``update`` runs it, a full-history ``add``) and
what ``init``/``generate`` write with plumbing, read by the functions update, sync and
status call. Plain repositories, no project: a few git calls per test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Lab
from quickscale_toolchain import subtree
from quickscale_toolchain.distribution import repo as repos
from quickscale_toolchain.distribution.components import Component
from quickscale_toolchain.distribution.errors import RefusedError
from quickscale_toolchain.distribution.upstream import _squash_of
from quickscale_toolchain.generator.embed import subtree_add
from quickscale_toolchain.source import (
    recorded_source_commit,
    recorded_split_source,
    write_component_commit,
)

WIDGETS = Component("modules", "widgets")


@dataclass
class Histories:
    """An upstream component branch and a client project that embeds it."""

    lab: Lab
    upstream: Path
    client: Path

    def git(self, repo: Path, *args: str) -> str:
        return self.lab.git(repo, *args)

    def release(self, text: str) -> str:
        (self.upstream / "widgets.py").write_text(text, encoding="utf-8")
        return self.lab.commit_all(self.upstream, f"widgets: {text.strip()}")

    def fetch(self) -> None:
        self.git(self.client, "fetch", "-q", str(self.upstream), "main")

    def message(self, commit: str) -> str:
        """The raw message of ``commit``, byte for byte."""
        return self.git(self.client, "cat-file", "commit", commit).split("\n\n", 1)[1] + "\n"


@pytest.fixture
def histories(lab: Lab) -> Histories:
    upstream = lab.root / "widgets"
    client = lab.root / "client"
    for repo in (upstream, client):
        repo.mkdir()
        lab.git(repo, "init", "-q")
    (client / "README").write_text("client\n", encoding="utf-8")
    lab.commit_all(client, "client: start")
    made = Histories(lab, upstream, client)
    made.release("VERSION = 1\n")
    return made


def test_git_subtree_add_and_merge_squash_are_read_as_git_subtree_reads_them(
    histories: Histories,
) -> None:
    """latest_squash is the newest squash commit and its split; the squash that names a
    split gives that split's prefix and tree (what rebuilding a lost commit needs); the
    merge update writes (its -m) keeps its split-source record."""
    h, prefix = histories, WIDGETS.prefix
    first = h.git(h.upstream, "rev-parse", "HEAD")
    h.git(
        h.client, "subtree", "add", "-q", f"--prefix={prefix}", "--squash", str(h.upstream), "main"
    )
    added = repos.latest_squash(h.client, WIDGETS)
    assert added.split == first
    assert h.git(h.client, "rev-parse", "HEAD^2") == added.squash
    second = h.release("VERSION = 2\n")
    h.fetch()
    origin = subtree.SplitSource(second, "c" * 40)
    update = subtree.update_message(prefix, "1", "2", second, origin)
    h.git(
        h.client, "subtree", "merge", "-q", f"--prefix={prefix}", "--squash", "-m", update, second
    )
    assert h.message("HEAD") == (
        f"Update {prefix} 1 -> 2 (git subtree, squashed) from {second[:12]}\n\n"
        f"Quickscale-split-source: {second} {'c' * 40}\n"
    )
    assert recorded_split_source(h.client, second) == origin.source
    merged = repos.latest_squash(h.client, WIDGETS)
    assert (merged.split, h.git(h.client, "rev-parse", "HEAD^2")) == (second, merged.squash)
    assert h.git(h.client, "rev-parse", f"{merged.squash}^") == added.squash
    for squash, split in ((added.squash, first), (merged.squash, second)):
        assert subtree.parse_squash(h.message(squash)) == subtree.SquashRecord(split, prefix)
        assert _squash_of(h.client, split) == (
            prefix,
            h.git(h.upstream, "rev-parse", f"{split}^{{tree}}"),
        )
    assert _squash_of(h.client, "0" * 40) is None


def test_a_full_history_add_is_refused_and_a_copy_has_no_history(histories: Histories) -> None:
    h, prefix = histories, WIDGETS.prefix
    with pytest.raises(RefusedError, match="is not embedded"):
        repos.latest_squash(h.client, WIDGETS)
    copied = h.client / prefix / "pyproject.toml"
    copied.parent.mkdir(parents=True)
    copied.write_text("[project]\n", encoding="utf-8")
    h.lab.commit_all(h.client, "copied by hand")
    with pytest.raises(RefusedError, match="no git subtree history"):
        repos.latest_squash(h.client, WIDGETS)
    h.git(h.client, "rm", "-r", "-q", prefix)
    h.lab.commit_all(h.client, "drop the copy")
    h.git(h.client, "subtree", "add", "-q", f"--prefix={prefix}", str(h.upstream), "main")
    with pytest.raises(RefusedError, match="added with full history"):
        repos.latest_squash(h.client, WIDGETS)
    mainline = h.git(h.client, "rev-parse", "HEAD^1")
    split = h.git(h.upstream, "rev-parse", "HEAD")
    assert subtree.parse_squash(h.message("HEAD")) == subtree.SquashRecord(split, prefix, mainline)


def test_the_plumbing_add_writes_what_git_subtree_add_writes(histories: Histories) -> None:
    """init/generate's squash commit is git subtree's, byte for byte; its merge records the
    built commit's source commit, which update reads back to rebuild a lost commit."""
    h, prefix = histories, WIDGETS.prefix
    source_commit = h.git(h.upstream, "rev-parse", "HEAD")
    tree = h.git(h.upstream, "rev-parse", "HEAD^{tree}")
    h.fetch()
    built = write_component_commit(h.client, prefix, tree, source_commit)
    assert recorded_source_commit(h.client, built) == source_commit
    assert recorded_source_commit(h.client, "HEAD") is None
    twin = h.lab.root / "twin"
    h.git(h.lab.root, "clone", "-q", str(h.client), str(twin))
    h.git(twin, "fetch", "-q", str(h.client), built)
    h.git(twin, "subtree", "add", "-q", f"--prefix={prefix}", "--squash", built)
    subtree_add(h.client, prefix, built, {}, clean_index=True)
    ours, theirs = repos.latest_squash(h.client, WIDGETS), repos.latest_squash(twin, WIDGETS)
    assert ours.split == theirs.split == built
    assert h.message(ours.squash) == Histories(h.lab, h.upstream, twin).message(theirs.squash)
    assert h.message(ours.squash) == subtree.squash_message(prefix, built)
    assert subtree.split_sources(h.message("HEAD")) == [subtree.SplitSource(built, source_commit)]
    assert h.message("HEAD") == (
        f"Embed {prefix} (git subtree, squashed) from {built[:12]}\n\n"
        f"Quickscale-split-source: {built} {source_commit}\n"
    )
    assert recorded_split_source(h.client, built) == source_commit
    assert recorded_split_source(twin, built) is None
    assert recorded_split_source(h.client, "not-a-commit") is None
