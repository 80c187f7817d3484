"""Safe, bounded reading of quickscale.yml into plain data plus the location of every key.

PyYAML's loaders build Python objects as they go, which is how ``!!python/...`` tags run
code and how a "billion laughs" file eats all memory. Here PyYAML only *composes* a node
graph (with libyaml when available) and this module builds the data itself, so that:

* no tag outside the YAML core set (str, int, float, bool, null, seq, map) is ever
  constructed — an object-building tag is a located error, never code;
* a duplicate key is an error naming both places, not last-one-wins;
* aliases are expanded under a budget of :data:`MAX_NODES` values, and recursive aliases
  are refused, so an alias bomb fails in milliseconds;
* the file is read up to :data:`MAX_BYTES` + 1 bytes only, so a 50 MB file costs 1 MiB;
* non-UTF-8, binary, empty and non-mapping documents get a clear error each.

Every key path is mapped to the 1-based line/column of its key and of its value, which is
what makes every later diagnostic (schema or semantic) point at the exact spot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quickscale_toolchain.config.diagnostics import Diagnostic, KeyPath, Severity

MAX_BYTES = 1024 * 1024
"""Largest quickscale.yml accepted: a real one is a few KiB; 1 MiB leaves room for 500+
customization models while refusing anything absurd before parsing it."""

MAX_NODES = 100_000
"""Budget of values built, counting every expansion of an alias."""

MAX_DEPTH = 64
"""Deepest nesting accepted (the schema itself needs 6 levels)."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP, TIMESTAMP, MERGE = (_CORE + t for t in ("seq", "map", "timestamp", "merge"))

_SAFE = yaml.SafeLoader("")
_SCALARS: dict[str, Callable[[ScalarNode], Any]] = {
    INT: _SAFE.construct_yaml_int,
    FLOAT: _SAFE.construct_yaml_float,
    BOOL: _SAFE.construct_yaml_bool,
    NULL: lambda node: None,
    STR: lambda node: node.value,
    # YAML 1.1 resolves 2024-01-31 to a timestamp; configs treat dates as text
    # (a field default is checked as an ISO date string by the semantic rules).
    TIMESTAMP: lambda node: node.value,
    # A plain "<<" value (not a key) is just text.
    MERGE: lambda node: node.value,
}


class Span(NamedTuple):
    """Where a node is written: 1-based line/column of its start, 0-based char offsets."""

    line: int
    column: int
    start: int = 0
    end: int = 0


@dataclass
class Document:
    """The data of one YAML document and where each piece of it is written.

    ``keys`` maps a key path to the node of the key itself (``name`` in ``name: x``);
    ``values`` maps it to the node of its value. List items only have a value node.
    Spans are computed from the nodes on demand: most are never asked for.
    ``problems`` are non-fatal errors found while reading (duplicate keys, refused tags);
    values under a path in ``suppressed`` were dropped by such a problem, so later checks
    must not report them again.
    """

    file: str
    text: str
    data: dict[str, Any]
    keys: dict[KeyPath, Node] = field(default_factory=dict)
    values: dict[KeyPath, Node] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    suppressed: set[KeyPath] = field(default_factory=set)

    def locate(self, path: KeyPath, *, key: bool = False) -> Span:
        """The span of ``path`` (its key if ``key``), else of its nearest written ancestor."""
        while True:
            if key and path in self.keys:
                return _span(self.keys[path])
            if path in self.values:
                return _span(self.values[path])
            if not path:
                return Span(1, 1)
            path = path[:-1]

    def is_suppressed(self, path: KeyPath) -> bool:
        return any(path[: len(s)] == s for s in self.suppressed)

    def source(self, path: KeyPath) -> str:
        """The text of the value at ``path`` as the user wrote it (e.g. ``1.0``)."""
        if path not in self.values:
            return ""
        span = _span(self.values[path])
        return self.text[span.start : span.end].strip()

    def error(
        self, path: KeyPath, message: str, hint: str = "", *, key: bool = False
    ) -> Diagnostic:
        """An error at ``path``: at its key if ``key`` (for "remove this key"), else its value."""
        return self._diagnostic(Severity.ERROR, path, message, hint, key)

    def warning(
        self, path: KeyPath, message: str, hint: str = "", *, key: bool = False
    ) -> Diagnostic:
        return self._diagnostic(Severity.WARNING, path, message, hint, key)

    def _diagnostic(
        self, severity: Severity, path: KeyPath, message: str, hint: str, key: bool
    ) -> Diagnostic:
        span = self.locate(path, key=key)
        return Diagnostic(self.file, span.line, span.column, severity, path, message, hint)


class DocumentError(Exception):
    """The file cannot be read as a config at all; carries the one located reason."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def _error(file: str, span: Span, path: KeyPath, message: str, hint: str) -> Diagnostic:
    return Diagnostic(file, span.line, span.column, Severity.ERROR, path, message, hint)


def read_limited(path: Path, file: str, limit: int = MAX_BYTES) -> bytes:
    """Read at most ``limit`` bytes of ``path``; a bigger file is a located error.

    OSError (missing, unreadable, a directory) propagates: that is a usage problem the
    caller reports with its own exit code, not a problem *in* the config.
    """
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentError(
            _error(
                file,
                Span(1, 1),
                (),
                f"the file is larger than {limit // 1024} KiB, the most a quickscale.yml may be",
                "check that this is the right file; a real quickscale.yml is a few KiB",
            )
        )
    return data


def probe(check: Callable[[], bool]) -> bool:
    """A filesystem test (``path.is_dir`` ...) of a path the config names: False, not a
    traceback, when the system refuses the path itself (a name longer than 255 bytes,
    no permission): such a file cannot be the one meant, and the rule says what it found.
    """
    try:
        return check()
    except OSError:
        return False


def decode(data: bytes, file: str) -> str:
    """UTF-8 text of ``data`` (a BOM is allowed); binary or other encodings are errors."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(
            _error(
                file,
                Span(1, 1),
                (),
                "the file is UTF-16 encoded",
                "save it as UTF-8 (the encoding YAML files use by default)",
            )
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DocumentError(
            _error(
                file,
                _offset_span(data, nul),
                (),
                "the file contains NUL bytes: it is binary, not YAML text",
                "point quickscale at the quickscale.yml text file",
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            _error(
                file,
                _offset_span(data, error.start),
                (),
                f"byte 0x{data[error.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ) from None


def _offset_span(data: bytes, offset: int) -> Span:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return Span(data.count(b"\n", 0, offset) + 1, column, offset, offset)


def _text_span(text: str, offset: int) -> Span:
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return Span(text.count("\n", 0, offset) + 1, offset - line_start + 1, offset, offset)


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, start.index, end.index)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


_SYNTAX_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("(a tab)", "indent with spaces, not tabs"),
    (
        "mapping values are not allowed",
        "check the indentation, and quote a value that contains ': '",
    ),
    ("could not find expected ':'", "each line needs 'key: value'; check the indentation"),
    ("found undefined alias", "define the anchor ('&name') before using '*name'"),
    ("maximum nesting depth", "the document is nested far too deeply; flatten it"),
    ("found duplicate anchor", "give each anchor ('&name') a different name"),
)


def _syntax_error(error: yaml.YAMLError, text: str, file: str) -> DocumentError:
    """A YAML syntax error as a located diagnostic, in the parser's own words."""
    if isinstance(error, yaml.reader.ReaderError):
        span = _text_span(text, error.position)
        message = f"character #x{error.character:04x} is not allowed in YAML"
        return DocumentError(_error(file, span, (), message, "remove the control character"))
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    span = Span(mark.line + 1, mark.column + 1, mark.index) if mark else Span(1, 1)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    if isinstance(error, yaml.composer.ComposerError) and "single document" in str(context):
        return DocumentError(
            _error(
                file,
                span,
                (),
                "the file holds more than one YAML document",
                "remove the '---' separator: quickscale.yml is a single document",
            )
        )
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    if text[span.start : span.start + 1] == "\t":
        message += " (a tab)"
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in message), "fix the YAML syntax")
    return DocumentError(_error(file, span, (), message, hint))


def parse(text: str, file: str) -> Document:
    """Compose ``text`` (never construct) and build the data and its locations.

    Raises :class:`DocumentError` for a problem that leaves nothing to validate: YAML
    syntax, an empty file, a top level that is not a mapping, an alias bomb, too deep.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise _syntax_error(error, text, file) from None
    if root is None:
        raise DocumentError(
            _error(
                file,
                Span(1, 1),
                (),
                "the file is empty",
                "start it with 'schema_version: 2' and a 'project:' section "
                "(see docs/config.md), or create one with 'quickscale init --interactive'",
            )
        )
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else f"the value {root.value!r}"
        raise DocumentError(
            _error(
                file,
                _span(root),
                (),
                f"the top level must be a mapping of keys (schema_version:, project:, ...), "
                f"but it is {kind}",
                "write 'schema_version: 2' and the other keys at the start of lines, "
                "without a leading '- '",
            )
        )
    builder = _Builder(file)
    data = builder.build(root, (), 0)
    assert isinstance(data, dict)
    return Document(
        file, text, data, builder.keys, builder.values, builder.problems, builder.dropped
    )


class _Builder:
    """Turns a composed node graph into dicts/lists/scalars under the safety limits.

    This is the hot loop of validation (a 500-model config has ~20,000 nodes), so the
    common case — a plain str key, a plain scalar — takes the shortest path.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.visited = 0
        self.keys: dict[KeyPath, Node] = {}
        self.values: dict[KeyPath, Node] = {}
        self.problems: list[Diagnostic] = []
        self.dropped: set[KeyPath] = set()
        self._open: set[int] = set()  # ids of collections being built: recursion guard

    def problem(
        self, node: Node, path: KeyPath, message: str, hint: str, *, drop: bool = True
    ) -> None:
        """Record a non-fatal error; ``drop``: the value at ``path`` was not built."""
        self.problems.append(_error(self.file, _span(node), path, message, hint))
        if drop:
            self.dropped.add(path)

    def fatal(self, node: Node, path: KeyPath, message: str, hint: str) -> DocumentError:
        return DocumentError(_error(self.file, _span(node), path, message, hint))

    def build(self, node: Node, path: KeyPath, depth: int) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            # Blame the top-level entry being expanded: the inner path of an alias bomb
            # (e.g. f[0][3][3][7]) points into shared data the user never wrote there.
            top = path[:1]
            raise self.fatal(
                self.keys.get(top, node),
                top,
                f"the document expands to more than {MAX_NODES:,} values; aliases ('*name') "
                "multiply it (a 'billion laughs' document)",
                "write the values out instead of nesting aliases",
            )
        if depth > MAX_DEPTH:
            raise self.fatal(
                node, path, f"values are nested more than {MAX_DEPTH} levels deep", "flatten it"
            )
        self.values[path] = node
        if type(node) is ScalarNode:
            if node.tag == STR:
                return node.value
            return self.scalar(node, path)
        kind = type(node)
        if node.tag != (MAP if kind is MappingNode else SEQ):
            self.refuse_tag(node.tag, node, path)
            return None
        if id(node) in self._open:
            raise self.fatal(
                node,
                path,
                "an alias refers to a value that contains it (a recursive alias)",
                "a config cannot contain itself; write the value out",
            )
        self._open.add(id(node))
        try:
            if kind is SequenceNode:
                depth += 1
                return [self.build(item, (*path, i), depth) for i, item in enumerate(node.value)]
            return self.mapping(node, path, depth + 1)
        finally:
            self._open.discard(id(node))

    def mapping(self, node: Node, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if type(key_node) is ScalarNode and key_node.tag == STR:
                key = key_node.value
            else:
                key = self.key(key_node, path)
                if key is None:
                    continue
            if key in seen:
                first = _span(seen[key])
                self.problem(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}' (first defined at line {first.line}, "
                    f"column {first.column})",
                    "keep one of them: YAML does not merge repeated keys",
                    drop=False,
                )
                continue
            seen[key] = key_node
            child = (*path, key)
            self.keys[child] = key_node
            result[key] = self.build(value_node, child, depth)
        return result

    def key(self, node: Node, path: KeyPath) -> str | None:
        """A key that is not a plain string: as written if a scalar, else a problem."""
        if not isinstance(node, ScalarNode):
            self.problem(
                node,
                path,
                "a mapping key must be a plain name, not a list or a mapping",
                "write the key as a name followed by ':'",
                drop=False,
            )
            return None
        if node.tag == MERGE:
            self.problem(
                node,
                path,
                "merge keys ('<<') are not supported",
                "write the keys out in full",
                drop=False,
            )
            return None
        if node.tag not in _SCALARS:
            self.refuse_tag(node.tag, node, path, drop=False)
            return None
        # The key as written: `1:` or `yes:` is the key "1" / "yes", not a number or bool.
        return str(node.value)

    def scalar(self, node: ScalarNode, path: KeyPath) -> Any:
        construct = _SCALARS.get(node.tag)
        if construct is None:
            self.refuse_tag(node.tag, node, path)
            return None
        try:
            return construct(node)
        except (ValueError, KeyError, TypeError, yaml.YAMLError):
            self.problem(
                node,
                path,
                f"{node.value!r} cannot be read as {_short_tag(node.tag)}",
                "remove the tag or correct the value",
            )
            return None

    def refuse_tag(self, tag: str, node: Node, path: KeyPath, *, drop: bool = True) -> None:
        short = _short_tag(tag)
        if short.startswith("!!python/"):
            message = f"the YAML tag '{short}' would build a Python object; it is refused"
        else:
            message = f"the YAML tag '{short}' is not allowed"
        self.problem(
            node,
            path,
            message,
            "quickscale.yml is plain data: remove the tag (strings, numbers, booleans, null, "
            "lists and mappings only)",
            drop=drop,
        )
