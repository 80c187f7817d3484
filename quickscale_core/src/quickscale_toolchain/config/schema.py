"""The shipped JSON Schemas and the translation of their errors into located diagnostics.

jsonschema reports *what* failed in schema vocabulary ("Additional properties are not
allowed ('nmae' was unexpected)"); a user needs *where* and *what to do*. Each error is
mapped to the key or value it concerns, reworded, and given a fix (a "did you mean" for a
misspelt key or enum value, quotes for a version read as a number, ...).

A ``pattern`` means here what it means in an editor: ECMA-262's ``$`` is the end of the
text, while Python's also matches before a final line break (``^[a-z]+$`` would accept
``"abc\\n"``), so patterns are compiled with ``$`` read as ``\\Z``. The shipped patterns
stay ECMA-262 (a test compiles each one in Node): editors read these files too.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quickscale_toolchain.config.diagnostics import (
    Diagnostic,
    KeyPath,
    clipped,
    did_you_mean,
    format_path,
    quote_list,
)
from quickscale_toolchain.config.loader import Document

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    from quickscale_toolchain.catalog import Catalog

SCHEMA_VERSIONS = (1, 2)
LATEST_VERSION = SCHEMA_VERSIONS[-1]

#: Keys the spec deprecated in every version (frontend keys other than source/variant too).
DEPRECATED_KEYS: dict[str, str] = {
    "features": "remove it; choose modules under 'modules:' (schema_version 2) instead",
    "components": "remove it; choose modules under 'modules:' (schema_version 2) instead",
    "technologies": "remove it; the stack is fixed (Django, PostgreSQL, htmx)",
    "primary": "remove it; the theme is set with 'theme:'",
}

#: Key names that look like a secret (an environment must not hold one).
_SECRET_LIKE = re.compile(r"(?i)secret|password|passwd|token|api_?key|private|credential|dsn")

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def schema_path(version: int) -> Path:
    """Where the JSON Schema file of ``version`` is installed (for editors, docs)."""
    # Next to this module (not importlib.resources: that costs start-up time, and the
    # package is always installed as files so that editors can point at the schemas).
    return Path(__file__).with_name("schemas") / f"v{version}.json"


@functools.cache
def load_schema(version: int) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of ``version`` as a dict."""
    schema: dict[str, Any] = json.loads(schema_path(version).read_text(encoding="utf-8"))
    return schema


def assembled_schema(version: int, components: Catalog | None = None) -> dict[str, Any]:
    """The schema of ``version`` with its ``theme`` and ``modules`` parts built from the
    manifests of ``components`` (None: the shipped file, made from the first-party ones).

    The shipped ``v2.json`` is this function's output for the monorepo's own
    components (a test keeps them equal), so editors see what ``validate`` checks.
    """
    schema = load_schema(version)
    if components is None:
        return schema
    schema = copy.deepcopy(schema)
    properties = schema["properties"]
    default = components.default_theme()
    properties["theme"] = {
        "enum": components.themes,
        "description": "Theme the project builds on (quickscale_themes/<name>)."
        + (f" Default {default}." if default else ""),
    }
    if "properties" in properties.get("modules", {}):
        properties["modules"]["properties"] = {
            entry.component.name: entry.manifest.options_schema()
            for entry in components.of_kind("modules")
        }
    return schema


def schema_key(version: int, components: Catalog | None = None) -> str:
    """The assembled schema as canonical text: the cache key of what is built from it."""
    return json.dumps(assembled_schema(version, components), sort_keys=True)


@functools.lru_cache(maxsize=8)
def inlined_schema(key: str) -> dict[str, Any]:
    """The schema of :func:`schema_key` text with every local ``$ref`` replaced by its
    target (for walks that follow the data, as the validator does)."""
    schema = json.loads(key)
    inlined: dict[str, Any] = _inline_refs(schema, schema)
    return inlined


@functools.lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` (ECMA-262 syntax) compiled with ECMA-262's meaning of ``$``.

    Outside a character class, an unescaped ``$`` becomes ``\\Z``: the end of the text
    only, not also the place before a final line break as in Python.
    """
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        index += 1
    return re.compile("".join(out))


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's ``pattern`` keyword, with :func:`ecma_regex` instead of ``re.search``."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.lru_cache(maxsize=8)
def _validator_for(text: str) -> Draft202012Validator:
    # Imported here: jsonschema costs ~50 ms and only validation needs it.
    from jsonschema import Draft202012Validator, validators

    exact = validators.extend(Draft202012Validator, {"pattern": _pattern_keyword})
    validator: Draft202012Validator = exact(inlined_schema(text))
    return validator


def _validator(version: int, components: Catalog | None = None) -> Draft202012Validator:
    return _validator_for(schema_key(version, components))


def _inline_refs(node: Any, schema: dict[str, Any]) -> Any:
    """``node`` with each local ``{"$ref": "#/..."}`` replaced by its target.

    Same meaning (the schemas have no recursive definitions), but jsonschema no longer
    resolves a reference for every model and field: a third faster on large configs.
    """
    if isinstance(node, list):
        return [_inline_refs(item, schema) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and len(node) == 1:
        # A local JSON pointer: "#/$defs/x", or "#/properties/modules" (an environment's
        # module overrides take the same schema as the top-level modules).
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return _inline_refs(target, schema)
    return {key: _inline_refs(value, schema) for key, value in node.items()}


def schema_diagnostics(
    doc: Document, version: int, components: Catalog | None = None
) -> Iterator[Diagnostic]:
    """Every schema violation of ``doc`` against schema ``version``, located."""
    for error in _validator(version, components).iter_errors(doc.data):
        yield from _translate(error, doc)


def describe(value: Any) -> str:
    """How a value reads in a message: ``the number 1.0``, ``the text 'x'``, ``a list``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {clipped(value)}"
    return "a list" if isinstance(value, list) else "a mapping"


def capwords(name: str) -> str:
    """``order_item`` / ``order item`` -> ``OrderItem`` (a suggested class name)."""
    words = re.split(r"[^A-Za-z0-9]+", name)
    text = "".join(w[:1].upper() + w[1:] for w in words if w).lstrip("0123456789")
    return text or "MyModel"


def snake_case(name: str) -> str:
    """``UnitPrice`` / ``unit-price`` -> ``unit_price`` (a suggested field name)."""
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    text = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_").lstrip("0123456789_")
    return text or "value"


def _label(path: KeyPath) -> str:
    """What the value at ``path`` is, for messages: "field type", "provider for payments"."""
    names = [p for p in path if isinstance(p, str)]
    last = names[-1] if names else ""
    if last == "provider" and len(names) >= 2:
        return f"provider for module '{names[-2]}'"
    if last == "type" and "fields" in names:
        return "field type"
    if "social_providers" in names:
        return "social provider"
    if last in ("theme", "on_delete", "schedule"):
        return last
    return f"value for '{last}'" if last else "value"


def _translate(error: ValidationError, doc: Document) -> Iterator[Diagnostic]:
    path: KeyPath = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if kind == "required":
        known = schema.get("properties", {})
        # A misspelt required key is reported once, as "unknown key ... did you mean".
        misspelt = {did_you_mean(k, known) for k in value if k not in known}
        for key in error.validator_value:
            if key not in value and key not in misspelt:
                yield _missing(doc, path, key)
        return
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                yield _unknown_key(doc, (*path, key), allowed)
        return
    hint = str(schema.get("x-hint", ""))
    if kind == "enum":
        choices = list(error.validator_value)
        guess = did_you_mean(value, [c for c in choices if isinstance(c, str)])
        shown = clipped(value) if isinstance(value, str) else describe(value)
        if "propertyNames" in error.relative_schema_path:  # a key, not a value
            where = format_path(path)
            refused = schema.get("x-refused", {}).get(value) if isinstance(value, str) else None
            if refused:  # a real name the component turns away, and why
                yield doc.error(
                    (*path, value),
                    f"{shown} in '{where}' {refused['why']}",
                    refused["fix"],
                    key=True,
                )
                return
            # The list can be long (social login's providers): a near miss is enough.
            fix = f"did you mean '{guess}'?" if guess else f"use one of: {quote_list(choices)}"
            if not guess and len(choices) > 12 and path[:1] == ("modules",) and len(path) > 1:
                fix = f"use one of the {len(choices)} listed by 'quickscale components {path[1]}'"
            yield doc.error((*path, value), f"unknown key {shown} in '{where}'", fix, key=True)
            return
        message = f"{shown} is not a valid {_label(path)}"
        hint = f"did you mean '{guess}'? " if guess else ""
        hint += f"allowed: {quote_list(choices)}"
        yield doc.error(path, message, hint)
    elif kind == "type":
        yield doc.error(path, *_wrong_type(doc, path, error.validator_value, value, hint))
    elif kind == "pattern":
        why = schema.get("patternErrorMessage", f"must match {error.validator_value}")
        if "propertyNames" in error.relative_schema_path:  # a key, not a value
            yield doc.error((*path, value), f"{clipped(value)} {why}", hint, key=True)
            return
        yield doc.error(path, f"{clipped(value)} {why}", _pattern_hint(path, value, hint))
    elif kind == "maxLength":
        most = error.validator_value
        message = f"{clipped(value)} is {len(value)} characters long, more than the {most} allowed"
        fix = f"shorten it to at most {most} characters"
        if "propertyNames" in error.relative_schema_path:  # a key, not a value
            yield doc.error((*path, value), message, fix, key=True)
            return
        yield doc.error(path, message, fix)
    elif kind == "minLength":
        yield doc.error(path, "must not be empty", hint or "give a value, or remove the key")
    elif kind == "minItems":
        yield doc.error(
            path, f"needs at least {error.validator_value} item(s)", hint or _min_items(path)
        )
    elif kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        yield doc.error(path, f"{value} is out of range: must be {word} {error.validator_value}")
    elif kind == "dependentRequired":
        for key, needed in error.validator_value.items():
            missing = [n for n in needed if key in value and n not in value]
            if missing:
                yield doc.error(
                    (*path, key),
                    f"'{key}' needs {quote_list(missing)} beside it",
                    f"add {quote_list(missing)}, or remove '{key}'",
                    key=True,
                )
    elif kind == "uniqueItems":
        yield doc.error(path, "lists the same value more than once", "remove the repeated value")
    else:  # a keyword the schemas do not use today: keep jsonschema's words
        yield doc.error(path, error.message, hint)


def _missing(doc: Document, parent: KeyPath, key: str) -> Diagnostic:
    where = f"under '{format_path(parent)}:'" if parent else "at the top level"
    examples = {
        "project": "add 'project:' with 'name: acme' and 'version: 0.1.0' under it",
        "name": f"add 'name: ...' {where}",
        "type": "add 'type: string' (or another field type, see docs/config.md)",
        "fields": "add 'fields:' with at least one '- {name: title, type: string}'",
    }
    return doc.error(
        (*parent, key),
        f"required key '{key}' is missing",
        examples.get(key, f"add '{key}: ...' {where}"),
        key=True,
    )


def _unknown_key(doc: Document, path: KeyPath, allowed: list[str]) -> Diagnostic:
    key = str(path[-1])
    parent = path[:-1]
    if parent == ("frontend",):
        guess = did_you_mean(key, allowed)
        return doc.error(
            path,
            f"'{key}' is deprecated: frontend accepts only 'source' and 'variant'",
            f"did you mean '{guess}'?" if guess else "remove it",
            key=True,
        )
    if key in DEPRECATED_KEYS:
        return doc.error(
            path,
            f"'{key}' is deprecated and not allowed in any schema version",
            DEPRECATED_KEYS[key],
            key=True,
        )
    where = f"in '{format_path(parent)}'" if parent else "at the top level"
    guess = did_you_mean(key, allowed)
    if parent[:1] == ("environments",) and _SECRET_LIKE.search(key):
        hint = (
            "secrets never go in quickscale.yml: set it as an environment variable where "
            f"the site runs; allowed here: {quote_list(allowed)}"
        )
    elif guess and parent == ("modules",):
        # The modules are the catalogue: a near miss still shows everything there is.
        hint = f"did you mean '{guess}'? allowed here: {quote_list(allowed)}"
    elif guess:
        hint = f"did you mean '{guess}'?"
    elif allowed:
        hint = f"remove it; allowed here: {quote_list(allowed)}"
    else:
        hint = "remove it; this section takes no options"
    return doc.error(path, f"unknown key '{key}' {where}", hint, key=True)


def _wrong_type(
    doc: Document, path: KeyPath, expected: str | list[str], value: Any, hint: str
) -> tuple[str, str]:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted if w != "null")
    message = f"expected {names}, got {describe(value)}"
    if "string" in wanted and isinstance(value, int | float | bool):
        raw = doc.source(path) or str(value)
        reads = "true or false" if isinstance(value, bool) else "a number"
        return message, f'put it in quotes: "{raw}" (YAML reads {raw} as {reads})'
    if "object" in wanted and value is None:
        return message, "indent its keys under it, or remove the empty key"
    if "object" in wanted:
        return message, "write its keys on the following lines, indented under it"
    if "array" in wanted:
        return message, "write each item on its own line, starting with '- '"
    if "boolean" in wanted:
        return message, "write true or false, without quotes"
    if "integer" in wanted:
        return message, "write a whole number without quotes"
    return message, hint


def _pattern_hint(path: KeyPath, value: Any, hint: str) -> str:
    if not isinstance(value, str) or len(path) < 2:
        return hint
    container = path[-3] if len(path) >= 3 else None
    if path[-1] == "name" and container == "models":
        return f"try '{capwords(value)}'"
    if path[-1] == "to":
        return f"{hint}; try '{capwords(value)}'"
    if path[-1] == "name" and container == "fields":
        return f"try '{snake_case(value)}'"
    if path == ("project", "name"):
        return f"try '{snake_case(value)}'"
    return hint


def _min_items(path: KeyPath) -> str:
    if path and path[-1] == "fields":
        return "add a field such as '- {name: title, type: string}'"
    return "add an item, or remove the key"
