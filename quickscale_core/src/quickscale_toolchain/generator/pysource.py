"""Python source snippets laid out the way ``ruff format`` lays them out.

Generated projects run ``ruff format --check`` in CI, so generated modules must already
be in that style: double-quoted strings, and a bracketed list that is too long for one
line first moves its contents to one indented line, then to one item per line with a
trailing comma.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

LINE_LENGTH = 100
NOQA_LONG_LINE = "  # noqa: E501"


def literal(value: Any) -> str:
    """Python source of a YAML value: text, a number, a boolean, null, or lists/mappings of them.

    Whatever the value holds, the result is one literal that evaluates back to it: config
    text is data, and never becomes code of the generated project.
    """
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        # repr(nan) is the name ``nan``, not a literal; float("nan") is the expression.
        return repr(value) if math.isfinite(value) else f'float("{value!r}")'
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Python literal for a {type(value).__name__} value")


def string_literal(text: str) -> str:
    """``repr(text)``, quoted the way ruff format quotes it.

    Every character is escaped by ``repr`` itself (backslashes, line breaks, control and
    separator characters such as U+2028); only the choice of quote is ours: double
    quotes, unless the text holds more double than single quotes.
    """
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + "".join(_escaped(char, quote) for char in text) + quote


def _escaped(char: str, quote: str) -> str:
    if char == quote:
        return "\\" + char
    if char in "'\"":
        return char
    return repr(char)[1:-1]  # one character's repr never depends on its neighbours


def width(text: str) -> int:
    """Columns ``text`` takes on screen, as ruff counts them against the line length.

    Wide East Asian characters take two columns, combining marks none. Only printable
    characters occur: literals escape everything else.
    """
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if char.isascii():
        return 1
    if unicodedata.category(char) in {"Mn", "Me"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def text_assignment(name: str, text: str, indent: int) -> str:
    """``name = "text"`` as ruff formats it, starting at column ``indent``.

    Text too long for one line becomes an implicit concatenation, one piece per line,
    split after whitespace; a piece that still does not fit gets ``# noqa: E501``.
    """
    value = string_literal(text)
    pad, inner = " " * indent, " " * (indent + 4)
    if indent + width(f"{name} = {value}") <= LINE_LENGTH:
        return f"{name} = {value}"
    if indent + 4 + width(value) <= LINE_LENGTH:  # ruff moves it into parentheses
        return f"{name} = (\n{inner}{value}\n{pad})"
    pieces = [string_literal(piece) for piece in text_pieces(text, LINE_LENGTH - indent - 4)]
    if len(pieces) == 1:  # one long word: no layout makes it fit
        return f"{name} = {value}{NOQA_LONG_LINE}"
    lines = [inner + piece + noqa_if_long(indent + 4, piece) for piece in pieces]
    return f"{name} = (\n" + "\n".join(lines) + f"\n{pad})"


def text_pieces(text: str, room: int) -> list[str]:
    """``text`` cut after whitespace into pieces whose literals fit in ``room`` columns."""
    pieces: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if current and width(string_literal(current + word)) > room:
            pieces.append(current)
            current = ""
        current += word
    return [*pieces, current] if current else pieces


def noqa_if_long(column: int, code: str) -> str:
    """``# noqa: E501`` for a generated line that a long literal makes too long."""
    return NOQA_LONG_LINE if column + width(code) > LINE_LENGTH else ""


def laid_out(value: Any, indent: int, prefix: str = "", after: int = 0) -> str:
    """``prefix + literal(value)`` as ruff formats it, on a line indented by ``indent``.

    ``after`` is the width of what follows on the same line (1 for a trailing comma). A
    list, tuple or mapping that does not fit goes one item per line, each item laid out
    the same way; the caller adds ``# noqa: E501`` to a flat result that is still too long.
    """
    flat = prefix + literal(value)
    if indent + width(flat) + after <= LINE_LENGTH or not value:
        return flat
    if isinstance(value, dict):
        opening, closing = "{", "}"
        items = [(f"{literal(key)}: ", item) for key, item in value.items()]
    elif isinstance(value, list | tuple):
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        items = [("", item) for item in value]
    else:
        return flat
    lines = []
    for key, item in items:
        code = laid_out(item, indent + 4, key, after=1) + ","
        last = code.rsplit("\n", 1)[-1]
        noqa = noqa_if_long(indent + 4, last) if "\n" not in code else ""
        lines.append(" " * (indent + 4) + code + noqa + "\n")
    return f"{prefix}{opening}\n{''.join(lines)}{' ' * indent}{closing}"


def bracketed(
    head: str, items: Sequence[str], tail: str, indent: int = 0, *, collection: bool = False
) -> str:
    """``head + items + tail`` (e.g. ``f(`` … ``)``) wrapped to the line length.

    The result starts at column ``indent`` (the caller writes the indentation) and its
    continuation lines are indented from there. A call's arguments may share one
    indented line; a collection literal that does not fit, or an item that is already
    several lines (see laid_out), goes one item per line. An item too long for any line
    (a long string) gets ``# noqa: E501``.
    """
    pad = " " * indent
    one_line = head + ", ".join(items) + tail
    several = any("\n" in item for item in items)
    if indent + width(one_line) <= LINE_LENGTH and not several:
        return one_line
    inner = ", ".join(items)
    if not (collection or several) and indent + 4 + width(inner) <= LINE_LENGTH and items:
        return f"{head}\n{pad}    {inner}\n{pad}{tail}"
    lines = []
    for item in items:
        line = f"{pad}    {item},"
        lines.append(line + ("" if "\n" in item else noqa_if_long(0, line)) + "\n")
    return f"{head}\n{''.join(lines)}{pad}{tail}"


def import_from(module: str, names: Sequence[str], comment: str = "") -> str:
    """``from module import a, b`` with names sorted as isort sorts them.

    ``comment`` (a pragma such as ``# noqa: F401``) ends the statement's first line,
    where ruff reads it for the whole statement and leaves it out of the line length.
    """
    ordered = sorted(set(names))
    line = f"from {module} import {', '.join(ordered)}"
    after = f"  {comment}" if comment else ""
    if len(line) <= LINE_LENGTH:
        return line + after
    body = "".join(f"    {name},\n" for name in ordered)
    return f"from {module} import ({after}\n{body})"
