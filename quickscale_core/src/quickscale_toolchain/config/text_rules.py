"""Text that names things holds no control characters: no line break, tab or NUL.

Every string of quickscale.yml, and every key, ends up somewhere a stray control
character breaks: a domain in ``ALLOWED_HOSTS`` (``"www.acme.com\\n"`` makes every request
a 400), a Caddyfile site block, a database column (PostgreSQL refuses NUL), a file name.
YAML writes them easily (``"acme\\n"``, a ``|`` block), and a schema ``pattern`` ending
in ``$`` does not catch a final line break in Python. So each one is a located error here,
except in free text: the values a schema marks ``"x-free-text": true`` (a model's
description, help texts, business rules, defaults), which the generator writes as
string literals that come back exactly (tests/generator/test_free_text.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from quickscale_toolchain.config.diagnostics import Diagnostic, KeyPath, clipped
from quickscale_toolchain.config.loader import Document

#: The schema keyword that marks free text (and everything nested under it).
FREE_TEXT = "x-free-text"

_NAMED = {
    "\n": "line break",
    "\r": "carriage return",
    "\t": "tab",
    "\0": "NUL character",
    "\x1b": "escape character",
}


def text_diagnostics(doc: Document, schema: dict[str, Any]) -> Iterator[Diagnostic]:
    """An error for each key or string value of ``doc`` holding a control character,
    outside free text; ``schema`` is the assembled schema with its ``$ref``s inlined."""
    yield from _walk(doc, doc.data, schema, ())


def _walk(doc: Document, value: Any, schema: Any, path: KeyPath) -> Iterator[Diagnostic]:
    schema = schema if isinstance(schema, dict) else {}
    if schema.get(FREE_TEXT) is True:  # free text, and whatever it nests (a JSON default)
        return
    if isinstance(value, str):
        problem = _problem(value, key=False)
        if problem:
            yield doc.error(path, *problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = _problem(key, key=True)
            if problem:
                yield doc.error((*path, key), *problem, key=True)
            yield from _walk(doc, item, _child(schema, key), (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(doc, item, schema.get("items"), (*path, index))


def _child(schema: dict[str, Any], key: str) -> Any:
    """The schema of mapping entry ``key``: its property, else the additional ones."""
    properties = schema.get("properties")
    if isinstance(properties, dict) and key in properties:
        return properties[key]
    return schema.get("additionalProperties")


def _problem(text: str, *, key: bool) -> tuple[str, str] | None:
    """(message, fix) for the first control character of ``text``, or None."""
    found = next((c for c in text if unicodedata.category(c) == "Cc"), None)
    if found is None:
        return None
    name = _NAMED.get(found, "control character")
    what = f"{_a(name)} (U+{ord(found):04X})"
    if key:
        return f"the key {clipped(text)} contains {what}", f"remove the {name} from the key"
    if found == "\n" and text.index("\n") == len(text) - 1:
        return (
            f"{clipped(text)} ends with a line break",
            "remove it: write the value on the key's line (a '|' block keeps the final "
            "line break; '|-' drops it)",
        )
    return (
        f"{clipped(text)} contains {what}",
        f"remove the {name}: only free text (descriptions, help_text, business_rules, "
        "defaults) may hold control characters",
    )


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"
