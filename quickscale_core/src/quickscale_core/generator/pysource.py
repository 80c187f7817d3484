"""Python source snippets laid out the way ``ruff format`` lays them out.

Generated projects run ``ruff format --check`` in CI, so generated modules must already
be in that style: double-quoted strings, and a bracketed list that is too long for one
line first moves its contents to one indented line, then to one item per line with a
trailing comma.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

LINE_LENGTH = 100


def literal(value: Any) -> str:
    """Python source of a YAML scalar or a list/tuple of them, double-quoted."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        if '"' in value and "'" not in value:  # ruff prefers the quote needing no escapes
            return "'" + text[1:-1].replace('\\"', '"') + "'"
        return text
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


def bracketed(
    head: str, items: Sequence[str], tail: str, indent: int = 0, *, collection: bool = False
) -> str:
    """``head + items + tail`` (e.g. ``f(`` … ``)``) wrapped to the line length.

    The result starts at column ``indent`` (the caller writes the indentation) and its
    continuation lines are indented from there. A call's arguments may share one
    indented line; a collection literal that does not fit goes one item per line.
    An item too long for any line (a long string) gets ``# noqa: E501``.
    """
    pad = " " * indent
    one_line = head + ", ".join(items) + tail
    if indent + len(one_line) <= LINE_LENGTH:
        return one_line
    inner = ", ".join(items)
    if not collection and indent + 4 + len(inner) <= LINE_LENGTH and items:
        return f"{head}\n{pad}    {inner}\n{pad}{tail}"
    lines = []
    for item in items:
        line = f"{pad}    {item},"
        lines.append(line + ("  # noqa: E501" if len(line) > LINE_LENGTH else "") + "\n")
    return f"{head}\n{''.join(lines)}{pad}{tail}"


def import_from(module: str, names: Sequence[str]) -> str:
    """``from module import a, b`` with names sorted as isort sorts them."""
    ordered = sorted(set(names))
    line = f"from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    body = "".join(f"    {name},\n" for name in ordered)
    return f"from {module} import (\n{body})"
