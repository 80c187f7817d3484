"""Safe, bounded parsing: hostile and broken inputs fail fast, located, and run nothing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from quickscale_toolchain.config import validate_file, validate_text
from quickscale_toolchain.config.loader import MAX_BYTES, MAX_DEPTH, DocumentError, decode, parse

BILLION_LAUGHS = (
    "schema_version: 2\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
)


def only(text: str) -> tuple[int, int, str, str]:
    result = validate_text(text)
    errors = [d for d in result.diagnostics if d.is_error]
    assert len(errors) == 1, [d.format() for d in result.diagnostics]
    d = errors[0]
    return d.line, d.column, d.dotted_path, d.message


def test_billion_laughs_fails_fast_at_the_expanding_key():
    started = time.perf_counter()
    line, column, path, message = only(BILLION_LAUGHS)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"alias bomb took {elapsed:.3f}s"
    assert "billion laughs" in message and "100,000 values" in message
    # lol5 (9**6 values) is the first entry whose expansion exceeds the budget.
    assert (line, column, path) == (7, 1, "lol5")


def test_recursive_alias_is_refused():
    line, _column, path, message = only("schema_version: 2\nproject: &p {name: acme, self: *p}\n")
    assert "recursive alias" in message and (line, path) == (2, "project.self")


def test_a_50_mb_file_is_refused_after_reading_one_mebibyte(tmp_path: Path):
    big = tmp_path / "quickscale.yml"
    with big.open("wb") as stream:
        stream.write(b"schema_version: 2\nproject:\n  name: acme\nnotes: |\n")
        chunk = b"  " + b"x" * 1022 + b"\n"
        for _ in range(50 * 1024):
            stream.write(chunk)
    assert big.stat().st_size > 50 * 1024 * 1024
    started = time.perf_counter()
    diagnostics = validate_file(big)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"50 MB file took {elapsed:.3f}s"
    assert [(d.line, d.column, d.dotted_path) for d in diagnostics] == [(1, 1, "<document>")]
    assert "larger than 1024 KiB" in diagnostics[0].message


def test_exactly_the_size_limit_is_still_read(tmp_path: Path):
    head = b"schema_version: 2\nproject:\n  name: acme\n# "
    path = tmp_path / "quickscale.yml"
    path.write_bytes(head + b"x" * (MAX_BYTES - len(head) - 1) + b"\n")
    assert [d.format() for d in validate_file(path, check_filesystem=False)] == []


PAYLOAD = (
    "schema_version: 2\nproject:\n  name: !!python/object/apply:os.system ['touch {marker}']\n"
)


def test_python_object_tag_is_an_error_and_runs_nothing(tmp_path: Path):
    marker = tmp_path / "pwned"
    started = time.perf_counter()
    line, column, path, message = only(PAYLOAD.format(marker=marker))
    assert time.perf_counter() - started < 0.5
    assert (line, column, path) == (3, 9, "project.name")
    assert "'!!python/object/apply:os.system' would build a Python object" in message
    assert not marker.exists()


def test_the_payload_is_live_so_the_test_above_proves_something(tmp_path: Path):
    """Positive control: PyYAML's unsafe loader really runs this payload."""
    marker = tmp_path / "pwned"
    code = "import sys, yaml; yaml.unsafe_load(open(sys.argv[1]).read())"
    config = tmp_path / "payload.yml"
    config.write_text(PAYLOAD.format(marker=marker))
    subprocess.run([sys.executable, "-c", code, str(config)], check=True, capture_output=True)
    assert marker.exists()


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("a: !!python/name:os.system x\n", (1, 4, "a"), "!!python/name:os.system"),
        ("a: !!binary aGk=\n", (1, 4, "a"), "'!!binary' is not allowed"),
        ("a: !!set {x, y}\n", (1, 4, "a"), "'!!set' is not allowed"),
        ("a: !env HOME\n", (1, 4, "a"), "'!env' is not allowed"),
        ("a: !!int twelve\n", (1, 4, "a"), "cannot be read as !!int"),
        ("a: !!str [x]\n", (1, 4, "a"), "'!!str' is not allowed"),
        (
            "a: 1\nb: 2\na: 3\n",
            (3, 1, "a"),
            "duplicate key 'a' (first defined at line 1, column 1)",
        ),
        ("<<: {a: 1}\n", (1, 1, "<document>"), "merge keys ('<<') are not supported"),
        ("? [x]\n: 1\n", (1, 3, "<document>"), "a mapping key must be a plain name"),
    ],
)
def test_loader_problems_are_located(text, where, says):
    doc = parse(text, "q.yml")
    problems = [(d.line, d.column, d.dotted_path, d.message) for d in doc.problems]
    assert len(problems) == 1 and problems[0][:3] == where and says in problems[0][3]


def test_duplicate_keys_keep_the_first_value_not_the_last():
    doc = parse("project:\n  name: first\n  name: second\n", "q.yml")
    assert doc.data == {"project": {"name": "first"}}


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        (b"", (1, 1), "the file is empty"),
        (b"# only a comment\n\n", (1, 1), "the file is empty"),
        (b"- schema_version: 2\n", (1, 1), "but it is a list"),
        (b"just words\n", (1, 1), "but it is the value 'just words'"),
        (b"a: 1\n---\nb: 2\n", (2, 1), "more than one YAML document"),
        (b"a: 1\nb: caf\xe9\n", (2, 7), "byte 0xe9 is not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", (3, 1), "NUL bytes: it is binary"),
        ("a: é".encode("utf-16"), (1, 1), "UTF-16"),
        (b"a: 1\nb: \x07\n", (2, 4), "character #x0007 is not allowed"),
        (b"a:\n\tb: 1\n", (2, 1), "(a tab)"),
        (b"a: [1, 2\n", (2, 1), "invalid YAML"),
        (b"a: b: c\n", (1, 5), "mapping values are not allowed"),
        (b"[" * 2000 + b"]" * 2000, (1, 1001), "nested far too deeply"),
        (
            ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 70))).encode(),
            (66, 131),
            "nested more than",
        ),
    ],
)
def test_unreadable_documents_get_one_clear_located_error(data, where, says):
    try:
        parse(decode(data, "q.yml"), "q.yml")
    except DocumentError as error:
        d = error.diagnostic
    else:
        pytest.fail("expected a DocumentError")
    assert (d.line, d.column) == where and says in d.format(), d.format()
    assert d.is_error and d.hint


def test_a_utf8_bom_is_accepted():
    assert parse(decode(b"\xef\xbb\xbfa: 1\n", "q.yml"), "q.yml").data == {"a": 1}


def test_columns_count_characters_not_bytes():
    doc = parse("café: ok\nb: [é, x]\n", "q.yml")
    assert doc.locate(("b", 1))[:2] == (2, 8)


def test_dates_stay_text_and_keys_are_taken_as_written():
    doc = parse("d: 2024-01-31\n1: one\nyes: y\nv: 1.0\n", "q.yml")
    assert doc.data == {"d": "2024-01-31", "1": "one", "yes": "y", "v": 1.0}


def test_depth_limit_constant_matches_message():
    assert MAX_DEPTH == 64
