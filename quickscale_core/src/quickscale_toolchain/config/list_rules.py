"""Rules across the items of a list, declared in a schema, that JSON Schema cannot state.

A component's option schema (from its manifest) may mark a list or a mapping with:

- ``"x-unique-by": "<key>"`` on a list of mappings: no two items share that key's value;
- ``"x-exactly-one": "<key>"`` on a list of mappings: exactly one item has ``<key>: true``;
- ``"x-exclusive": ["<a>", "<b>", ...]`` on a mapping: at most one of those keys is set.

Validators ignore ``x-`` keywords, so editors still read the schema; this module walks
the config beside the schema and reports each broken rule where it is broken (the
second item of a duplicate, the second default), so core checks a component's rules
without knowing the component.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from quickscale_toolchain.config.diagnostics import Diagnostic, KeyPath
from quickscale_toolchain.config.loader import Document


def list_rule_diagnostics(doc: Document, schema: dict[str, Any]) -> Iterator[Diagnostic]:
    """Every broken ``x-`` list rule of ``schema`` in ``doc``, located."""
    yield from _walk(doc, schema, doc.data, ())


def _walk(doc: Document, schema: Any, value: Any, path: KeyPath) -> Iterator[Diagnostic]:
    if not isinstance(schema, dict):
        return
    if isinstance(value, dict):
        yield from _exclusive(doc, schema.get("x-exclusive"), value, path)
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            yield from _walk(doc, sub, item, (*path, key))
    elif isinstance(value, list):
        items = [i for i in value if isinstance(i, dict)]
        if items:
            yield from _unique(doc, schema.get("x-unique-by"), value, path)
            yield from _exactly_one(doc, schema.get("x-exactly-one"), value, path)
        for index, item in enumerate(value):
            yield from _walk(doc, schema.get("items"), item, (*path, index))


def _exclusive(
    doc: Document, keys: Any, value: dict[str, Any], path: KeyPath
) -> Iterator[Diagnostic]:
    if not isinstance(keys, list):
        return
    present = [k for k in keys if k in value]
    for key in present[1:]:
        yield doc.error(
            (*path, key),
            f"'{key}' and '{present[0]}' are both set; they mean the same thing",
            f"keep one of {', '.join(repr(k) for k in keys)}",
            key=True,
        )


def _unique(doc: Document, key: Any, items: list[Any], path: KeyPath) -> Iterator[Diagnostic]:
    if not isinstance(key, str):
        return
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(key), str | int):
            continue
        found = item[key]
        if found in seen:
            first = doc.locate((*path, seen[found], key))
            yield doc.error(
                (*path, index, key),
                f"{key} {found!r} is used twice in '{path[-1]}' (first at line {first.line})",
                f"give each item of '{path[-1]}' its own {key}",
            )
        else:
            seen[found] = index


def _exactly_one(doc: Document, key: Any, items: list[Any], path: KeyPath) -> Iterator[Diagnostic]:
    if not isinstance(key, str):
        return
    marked = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get(key) is True]
    if not marked:
        yield doc.error(
            path,
            f"no item of '{path[-1]}' is marked '{key}: true'; exactly one must be",
            f"add '{key}: true' to the one item that applies when nothing else does",
        )
    for index in marked[1:]:
        first = doc.locate((*path, marked[0], key))
        yield doc.error(
            (*path, index, key),
            f"a second item of '{path[-1]}' is marked '{key}: true' (first at line "
            f"{first.line}); exactly one may be",
            f"remove '{key}: true' from all but one item",
            key=True,
        )
