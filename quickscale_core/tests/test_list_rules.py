"""x-unique-by, x-exactly-one and x-exclusive: cross-item rules a component's option
schema declares, reported where they are broken (core knows no component)."""

from __future__ import annotations

from quickscale_toolchain.config.list_rules import list_rule_diagnostics
from quickscale_toolchain.config.loader import parse

SCHEMA = {
    "properties": {
        "things": {
            "type": "array",
            "x-unique-by": "name",
            "x-exactly-one": "main",
            "items": {"type": "object", "x-exclusive": ["a", "b"]},
        }
    }
}


def _found(text: str) -> list[tuple[int, str, str]]:
    return [
        (d.line, d.dotted_path, d.message)
        for d in list_rule_diagnostics(parse(text, "x.yml"), SCHEMA)
    ]


def test_a_good_list_passes() -> None:
    assert _found("things:\n  - {name: a, main: true}\n  - {name: b, a: 1}\n") == []


def test_a_duplicate_is_reported_at_the_second_item_naming_the_first_line() -> None:
    [(line, path, message)] = _found("things:\n  - {name: a, main: true}\n  - name: a\n")
    assert (line, path) == (3, "things[1].name")
    assert "'a' is used twice in 'things' (first at line 2)" in message


def test_none_marked_is_reported_at_the_list_two_at_the_second() -> None:
    [(line, path, message)] = _found("things:\n  - name: a\n")
    assert (line, path) == (2, "things") and "no item" in message
    [(line, path, message)] = _found(
        "things:\n  - {name: a, main: true}\n  - name: b\n    main: true\n"
    )
    assert (line, path) == (4, "things[1].main") and "first at line 2" in message


def test_exclusive_keys_are_reported_at_the_second_key() -> None:
    [(line, path, message)] = _found("things:\n  - name: a\n    main: true\n    a: 1\n    b: 2\n")
    assert (line, path) == (5, "things[0].b") and "both set" in message


def test_values_the_schema_rejects_are_left_to_the_schema() -> None:
    assert _found("things: 3\n") == []
    assert _found("things:\n  - 3\n  - {name: a, main: true}\n") == []
