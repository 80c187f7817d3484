"""The subtree format round-trips: every record composed is parsed back to the same values.

Property tests over open-ended prefixes and commit ids (SHA-1 and SHA-256), plus a table
of malformed records and the typed error each one gives. Real ``git subtree`` output is
read back in tests/distribution/test_subtree_format.py.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quickscale_toolchain import subtree
from quickscale_toolchain.subtree import MalformedRecord, SplitSource, SquashRecord

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None)

commits = (
    st.sampled_from([20, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)).map(bytes.hex)
)
prefixes = st.from_regex(
    r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*){0,3}", fullmatch=True
)
versions = st.from_regex(r"\?|[0-9][0-9a-z.+-]{0,12}", fullmatch=True)
origins = st.none() | st.builds(SplitSource, commits, commits)
# Lines of a message that are no record: a subject, free text, other trailers.
noise = st.lists(
    st.text(
        st.characters(codec="utf-8", exclude_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
        max_size=30,
    ).filter(
        lambda line: (
            not line.startswith(
                ("git-subtree-", subtree.SPLIT_SOURCE_TRAILER, subtree.SOURCE_TRAILER)
            )
        )
    ),
    max_size=4,
)


def _matches(grep: str, message: str) -> bool:
    """Whether ``git log --grep=<grep>`` picks ``message`` (our patterns are plain enough
    for Python's re to read them as git does)."""
    return re.search(grep, message, re.MULTILINE) is not None


@SETTINGS
@given(prefixes, commits, noise)
def test_a_squash_message_reads_back_as_its_prefix_and_split(
    prefix: str, split: str, extra: list[str]
) -> None:
    message = subtree.squash_message(prefix, split)
    record = subtree.parse_squash("\n".join(extra) + "\n" + message)
    assert record == SquashRecord(split, prefix, None)
    assert record.prefix == prefix
    assert _matches(subtree.squash_grep(re.escape(prefix)), message)
    assert _matches(subtree.split_grep(split), message)


@SETTINGS
@given(prefixes, commits, origins, versions, versions)
def test_a_merge_message_reads_back_as_the_origin_it_records(
    prefix: str, split: str, origin: SplitSource | None, old: str, new: str
) -> None:
    for message in (
        subtree.embed_message(prefix, split, origin),
        subtree.update_message(prefix, old, new, split, origin),
    ):
        assert subtree.split_sources(message) == ([origin] if origin else [])
        assert split[:12] in message.splitlines()[0]
        if origin:
            assert SplitSource.parse(origin.trailer()) == origin
            assert _matches(subtree.split_source_grep(origin.split), message)


@SETTINGS
@given(prefixes, commits, commits, st.none() | commits)
def test_a_component_commit_reads_back_as_its_source_commit(
    prefix: str, tree: str, source_commit: str, parent: str | None
) -> None:
    raw = subtree.component_commit_object(prefix, tree, source_commit, parent).decode()
    header, _, message = raw.partition("\n\n")
    assert subtree.source_commit_of(message) == source_commit
    assert header.splitlines()[0] == f"tree {tree}"
    assert (f"parent {parent}" in header.splitlines()) == (parent is not None)
    assert message == subtree.component_message(prefix, source_commit)


SPLIT = "a" * 40
SOURCE = "b" * 40


@pytest.mark.parametrize(
    "message",
    [
        "",
        "Squashed 'x/' content from commit aaaaaaa\n\ngit-subtree-dir: x\n",
        "git-subtree-dir: x\ngit-subtree-split:\n",
        "git-subtree-dir: x\nGit-Subtree-Split: " + SPLIT,
    ],
    ids=["empty", "no split", "empty split", "wrong case"],
)
def test_a_squash_without_a_split_is_a_malformed_record(message: str) -> None:
    with pytest.raises(MalformedRecord, match="git-subtree-split"):
        subtree.parse_squash(message)


@pytest.mark.parametrize(
    "line",
    [
        f"{subtree.SPLIT_SOURCE_TRAILER}: {SPLIT}",
        f"{subtree.SPLIT_SOURCE_TRAILER}: {SPLIT} {SOURCE[:12]}",
        f"{subtree.SPLIT_SOURCE_TRAILER}: {SPLIT.upper()} {SOURCE}",
        f"{subtree.SPLIT_SOURCE_TRAILER}: {SPLIT} {SOURCE} extra",
        f"{subtree.SPLIT_SOURCE_TRAILER}:{SPLIT} {SOURCE}",
    ],
    ids=["one id", "short id", "upper case", "trailing word", "no space"],
)
def test_a_split_source_that_names_no_two_commits_is_malformed_and_skipped(line: str) -> None:
    with pytest.raises(MalformedRecord, match=subtree.SPLIT_SOURCE_TRAILER):
        SplitSource.parse(line)
    good = SplitSource(SPLIT, SOURCE)
    assert subtree.split_sources(f"Embed x\n\n{line}\n{good.trailer()}\n") == [good]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (f"x at {SOURCE[:12]}\n\n{subtree.SOURCE_TRAILER}: {SOURCE}\n", SOURCE),
        (f"{subtree.SOURCE_TRAILER}: {SPLIT}\n{subtree.SOURCE_TRAILER}: {SOURCE}\n", SOURCE),
        (f"{subtree.SOURCE_TRAILER}: {SOURCE[:12]}\n", None),
        (f"{subtree.SOURCE_TRAILER}: {SOURCE} \n", None),
        ("release core 0.1.0\n", None),
    ],
    ids=["component commit", "last wins", "short id", "trailing space", "other commit"],
)
def test_the_source_commit_of_a_message(message: str, expected: str | None) -> None:
    assert subtree.source_commit_of(message) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [(SPLIT, True), ("c" * 64, True), (SPLIT[:39], False), ("g" * 40, False), ("^a.*", False)],
)
def test_only_full_commit_ids_go_into_a_grep(text: str, expected: bool) -> None:
    assert subtree.is_commit_id(text) is expected
