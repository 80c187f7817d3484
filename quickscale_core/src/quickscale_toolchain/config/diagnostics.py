"""One problem found in a quickscale.yml, located like a compiler error.

Every check (parser, schema, semantic rules) reports through :class:`Diagnostic`, so the
CLI prints one format, CI parses one JSON shape, and tests assert one structure.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

#: A location inside the document: mapping keys are ``str``, list positions ``int``.
KeyPath = tuple[str | int, ...]

#: What a diagnostic about the whole document (not one key) shows as its key path.
DOCUMENT = "<document>"


class Severity(StrEnum):
    """An error makes the file invalid (exit 1); a warning is reported but allowed."""

    ERROR = "error"
    WARNING = "warning"


def format_path(path: KeyPath) -> str:
    """``("customizations", "models", 0, "name")`` -> ``customizations.models[0].name``.

    A key that cannot be shown as written (a line break, a control character) is
    shown escaped, a long one cut short: ``environments['prod\\n']``.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not part.isprintable() or len(part) > 40:
            text += f"[{clipped(part)}]"
        else:
            text += f".{part}" if text else part
    return text or DOCUMENT


@dataclass(frozen=True)
class Diagnostic:
    """A located problem: ``FILE:LINE:COL: severity: key.path: message — hint``.

    ``line`` and ``column`` are 1-based and count characters, as editors do.
    """

    file: str
    line: int
    column: int
    severity: Severity
    path: KeyPath
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def dotted_path(self) -> str:
        return format_path(self.path)

    def format(self) -> str:
        """The one-line, grep- and editor-friendly form printed by ``quickscale validate``."""
        text = f"{self.file}:{self.line}:{self.column}: {self.severity.value}: "
        text += f"{self.dotted_path}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return " ".join(text.split("\n"))

    def to_dict(self) -> dict[str, Any]:
        """The ``--format json`` object: stable keys for CI annotations."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "path": self.dotted_path,
            "message": self.message,
            "hint": self.hint,
        }


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """In reading order (line, column), errors before warnings at one spot, no repeats."""
    unique = dict.fromkeys(diagnostics)
    return sorted(
        unique,
        key=lambda d: (d.line, d.column, d.severity is not Severity.ERROR, d.dotted_path),
    )


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def did_you_mean(word: object, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a misspelled ``word``, or None when nothing is close."""
    if not isinstance(word, str):
        return None
    options = list(choices)
    lowered: dict[str, str] = {}
    for choice in options:
        lowered.setdefault(choice.lower(), choice)
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def clipped(text: str, limit: int = 40) -> str:
    """``repr`` of ``text`` cut to ``limit`` characters: one readable line, however long
    the value or whatever control characters it holds."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "…"


def quote_list(values: Sequence[object]) -> str:
    """``['a', 'b']`` -> ``'a', 'b'`` for messages listing what is allowed."""
    return ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values)
