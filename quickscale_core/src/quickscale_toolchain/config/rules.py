"""Rules a JSON Schema cannot express: versions, the filesystem, Python names, cross-references.

Each check reads only values the schema found well-typed (anything else was already
reported), and none of them imports or executes project code: ``backend_extensions`` is
resolved to a file by path, exactly as Python would find it, without importing it.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from quickscale_toolchain.config.diagnostics import Diagnostic, KeyPath, clipped, did_you_mean
from quickscale_toolchain.config.environments import environment_diagnostics
from quickscale_toolchain.config.loader import Document, probe
from quickscale_toolchain.config.model import (
    DEFAULT_DECIMAL_PLACES,
    DEFAULT_MAX_DIGITS,
    DEFAULT_MAX_LENGTH,
)
from quickscale_toolchain.config.schema import LATEST_VERSION, SCHEMA_VERSIONS
from quickscale_toolchain.errors import InvalidProjectName
from quickscale_toolchain.names import validate_project_name

_PROJECT_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_CLASS_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_VARIANT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")

#: Class names a customization model may not take: they would shadow Python builtins or
#: the Django names and project models the generated models.py imports or defines.
RESERVED_MODEL_NAMES = frozenset(
    {n for n in dir(builtins) if n[:1].isupper()}
    | {"None", "True", "False"}
    | {"Model", "Meta", "Manager", "QuerySet", "Field", "Q", "F", "Value", "Count", "Sum"}
    | {"User", "AbstractUser", "AbstractBaseUser", "Group", "Permission", "ContentType"}
    | {"Session", "Site", "LogEntry"}
)

#: Field names Django refuses or that clash with what every model already has.
RESERVED_FIELD_NAMES = frozenset({"id", "pk", "objects", "meta"})

#: Whole numbers each integer type can store in every supported database (PostgreSQL's
#: integer and bigint; SQLite stores 64 bits).
INTEGER_RANGES = {"integer": (-(2**31), 2**31 - 1), "big_integer": (-(2**63), 2**63 - 1)}


def version_of(doc: Document) -> tuple[int, list[Diagnostic]]:
    """The schema version to validate ``doc`` with, and the errors about schema_version.

    A missing or unknown version is an error; the rest of the file is then checked
    against the latest schema so that every other problem is still reported.
    """
    key: KeyPath = ("schema_version",)
    if "schema_version" not in doc.data:
        return LATEST_VERSION, [
            doc.error(
                key,
                "required key 'schema_version' is missing",
                f"add 'schema_version: {LATEST_VERSION}' as the first line (1 is the MVP format)",
            )
        ]
    value = doc.data["schema_version"]
    if type(value) is int and value in SCHEMA_VERSIONS:
        return value, []
    if doc.is_suppressed(key):
        return LATEST_VERSION, []
    supported = ", ".join(map(str, SCHEMA_VERSIONS))
    text = str(value).strip() if isinstance(value, str | float) else ""
    if text in {str(v) for v in SCHEMA_VERSIONS} or text in {f"{v}.0" for v in SCHEMA_VERSIONS}:
        hint = f"write a whole number without quotes: 'schema_version: {text[0]}'"
    else:
        hint = f"supported versions: {supported}"
    shown = doc.source(key) or repr(value)
    return LATEST_VERSION, [doc.error(key, f"unknown schema_version {shown}", hint)]


def semantic_diagnostics(
    doc: Document, version: int, project_dir: Path | None
) -> Iterator[Diagnostic]:
    """Every rule beyond the schema; the rules that look at files need ``project_dir``."""
    data = doc.data
    if version == 1:
        for key in ("modules", "customizations"):
            if key in data:
                yield doc.warning(
                    (key,),
                    f"'{key}' is not supported in schema_version 1 and is ignored",
                    "run 'quickscale config upgrade' to move to schema_version 2, or remove it",
                    key=True,
                )
    yield from _project_name(doc)
    yield from _backend_extensions(doc, project_dir)
    yield from _frontend(doc, project_dir)
    if version >= 2:
        yield from _customizations(doc)
        yield from environment_diagnostics(doc, project_dir)


def _get(data: Any, *path: str | int) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        else:
            if not isinstance(data, dict):
                return None
            data = data.get(part)
    return data


def _project_name(doc: Document) -> Iterator[Diagnostic]:
    name = _get(doc.data, "project", "name")
    if isinstance(name, str) and _PROJECT_NAME.match(name):
        try:
            validate_project_name(name)
        except InvalidProjectName as error:
            yield doc.error(("project", "name"), error.message, error.hint)


def _backend_extensions(doc: Document, project_dir: Path | None) -> Iterator[Diagnostic]:
    dotted = doc.data.get("backend_extensions")
    path: KeyPath = ("backend_extensions",)
    if not isinstance(dotted, str) or not _DOTTED.match(dotted):
        return
    parts = dotted.split(".")
    bad = [p for p in parts if keyword.iskeyword(p)]
    if bad:
        yield doc.error(
            path,
            f"'{bad[0]}' is a Python keyword and cannot be part of a module path",
            "rename that package or module",
        )
        return
    if project_dir is None:
        return
    relative = Path(*parts)
    candidates = [relative.with_suffix(".py"), relative / "__init__.py"]
    for candidate in candidates:
        target = project_dir / candidate
        if probe(target.is_file):
            if not _is_inside(target, project_dir):
                yield doc.error(
                    path,
                    f"module '{dotted}' is a symlink to {target.resolve()}, outside the project",
                    "keep backend extensions in a real file inside the project",
                )
            return
    yield doc.error(
        path,
        f"module '{dotted}' not found: neither {candidates[0].as_posix()} nor "
        f"{candidates[1].as_posix()} exists in the project",
        "create the file, or correct the dotted path (default: "
        "'<project name>.backend_extensions')",
    )


def _is_inside(target: Path, root: Path) -> bool:
    return target.resolve().is_relative_to(root.resolve())


def _frontend(doc: Document, project_dir: Path | None) -> Iterator[Diagnostic]:
    """The path rules always; existence, symlinks and the variant with ``project_dir``."""
    frontend = doc.data.get("frontend")
    if not isinstance(frontend, dict):
        return
    source = frontend.get("source")
    if not isinstance(source, str) or not source.strip():
        return
    path: KeyPath = ("frontend", "source")
    posix, windows = PurePosixPath(source), PureWindowsPath(source)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or source.startswith("~"):
        yield doc.error(
            path,
            f"'{source}' is an absolute path; the frontend must live inside the project",
            "give a path relative to the project directory, e.g. './custom_frontend/'",
        )
        return
    if ".." in posix.parts or ".." in windows.parts:
        yield doc.error(
            path,
            f"'{source}' uses '..' to leave the project directory",
            "keep the frontend inside the project, e.g. './custom_frontend/'",
        )
        return
    if project_dir is None:
        return
    directory = project_dir / source
    exists = probe(directory.exists) or probe(directory.is_symlink)
    if exists and not _is_inside(directory, project_dir):
        yield doc.error(
            path,
            f"'{source}' is a symlink to {directory.resolve()}, outside the project",
            "replace the symlink with a real directory inside the project",
        )
        return
    if not probe(directory.is_dir):
        what = (
            f"'{source}' is a file, not a directory"
            if exists
            else f"frontend directory '{source}' does not exist in the project"
        )
        yield doc.error(
            path,
            what,
            "create it (templates/, static/, variants/default/), or correct the path",
        )
        return
    variant = frontend.get("variant", "default")
    if not isinstance(variant, str) or not _VARIANT.match(variant):
        return
    where: KeyPath = ("frontend", "variant") if "variant" in frontend else ("frontend",)
    variant_dir = directory / "variants" / variant
    shown = (PurePosixPath(source) / "variants" / variant).as_posix()
    if probe(variant_dir.is_dir) and not _is_inside(variant_dir, project_dir):
        yield doc.error(
            where,
            f"variant directory '{shown}/' is a symlink outside the project",
            "replace the symlink with a real directory inside the project",
        )
    elif not probe(variant_dir.is_dir):
        existing = sorted(p.name for p in (directory / "variants").glob("*/") if p.is_dir())
        hint = f"create '{shown}/'"
        hint += f", or choose one of: {', '.join(existing)}" if existing else ""
        yield doc.error(where, f"variant '{variant}' has no directory '{shown}/'", hint)


def _customizations(doc: Document) -> Iterator[Diagnostic]:
    models = _get(doc.data, "customizations", "models")
    if not isinstance(models, list):
        return
    seen: dict[str, KeyPath] = {}
    names: list[str] = [
        m["name"]
        for m in models
        if isinstance(m, dict) and isinstance(m.get("name"), str) and _CLASS_NAME.match(m["name"])
    ]
    for index, model in enumerate(models):
        if not isinstance(model, dict):
            continue
        base: KeyPath = ("customizations", "models", index)
        name = model.get("name")
        if isinstance(name, str) and _CLASS_NAME.match(name):
            if name in RESERVED_MODEL_NAMES:
                yield doc.error(
                    (*base, "name"),
                    f"'{name}' is reserved (a Python builtin, a Django name or a model "
                    "QuickScale defines)",
                    f"choose another name, e.g. '{name}Record'",
                )
            elif name.lower() in seen:
                first = doc.locate((*seen[name.lower()], "name"))
                yield doc.error(
                    (*base, "name"),
                    f"model '{name}' is defined twice (first at line {first.line}); Django "
                    "model names must be unique, ignoring case",
                    "rename one of them, or merge their fields",
                )
            else:
                seen[name.lower()] = base
        fields = model.get("fields")
        if isinstance(fields, list):
            yield from _fields(doc, base, fields, names)


def _fields(
    doc: Document, model: KeyPath, fields: list[Any], model_names: list[str]
) -> Iterator[Diagnostic]:
    seen: dict[str, KeyPath] = {}
    for index, spec in enumerate(fields):
        if not isinstance(spec, dict):
            continue
        base: KeyPath = (*model, "fields", index)
        name = spec.get("name")
        if isinstance(name, str) and _FIELD_NAME.match(name):
            problem = _field_name_problem(name)
            if problem:
                yield doc.error((*base, "name"), *problem)
            elif name in seen:
                first = doc.locate((*seen[name], "name"))
                yield doc.error(
                    (*base, "name"),
                    f"field '{name}' is defined twice in this model (first at line {first.line})",
                    "rename or remove one of them",
                )
            else:
                seen[name] = base
        yield from _field_attributes(doc, base, spec, model_names)


def _field_name_problem(name: str) -> tuple[str, str] | None:
    if keyword.iskeyword(name):
        return f"'{name}' is a Python keyword", f"try '{name}_value'"
    if name in RESERVED_FIELD_NAMES:
        return (
            f"'{name}' is reserved: every Django model already has it",
            f"try '{name}_value' or another name",
        )
    if name.endswith("_") or "__" in name:
        return (
            f"'{name}' ends with '_' or contains '__', which Django forbids in field names",
            f"try '{re.sub('_+', '_', name).strip('_')}'",
        )
    return None


def _field_attributes(
    doc: Document, base: KeyPath, spec: dict[str, Any], model_names: list[str]
) -> Iterator[Diagnostic]:
    kind = spec.get("type")
    if not isinstance(kind, str):
        return

    def only_for(attribute: str, types: str) -> Diagnostic:
        return doc.error(
            (*base, attribute),
            f"'{attribute}' does not apply to {_a(kind)} field (only {types})",
            f"remove '{attribute}', or change the type",
            key=True,
        )

    if "max_length" in spec and kind not in DEFAULT_MAX_LENGTH:
        yield only_for("max_length", ", ".join(DEFAULT_MAX_LENGTH))
    if "choices" in spec and kind != "string":
        yield only_for("choices", "string")
    if isinstance(spec.get("choices"), list):
        yield from _choices(doc, base, spec)
    for attribute in ("max_digits", "decimal_places"):
        if attribute in spec and kind != "decimal":
            yield only_for(attribute, "decimal")
    for attribute in ("to", "on_delete"):
        if attribute in spec and kind != "foreign_key":
            yield only_for(attribute, "foreign_key")
    if kind == "decimal":
        digits = spec.get("max_digits", DEFAULT_MAX_DIGITS)
        places = spec.get("decimal_places", DEFAULT_DECIMAL_PLACES)
        if type(digits) is int and type(places) is int and places > digits:
            yield doc.error(
                (*base, "decimal_places"),
                f"decimal_places ({places}) is larger than max_digits ({digits})",
                "make max_digits at least decimal_places",
            )
    if kind == "foreign_key":
        yield from _foreign_key(doc, base, spec, model_names)
    if "default" in spec:
        yield from _default(doc, base, spec, kind)


def _foreign_key(
    doc: Document, base: KeyPath, spec: dict[str, Any], model_names: list[str]
) -> Iterator[Diagnostic]:
    if "to" not in spec:
        yield doc.error(
            (*base, "to"),
            "a foreign_key field needs 'to': the model it refers to",
            "add 'to: <Model>' naming a model of customizations.models, or 'to: User'",
            key=True,
        )
    target = spec.get("to")
    targets = [*model_names, "User"]
    if isinstance(target, str) and _CLASS_NAME.match(target) and target not in targets:
        guess = did_you_mean(target, targets)
        yield doc.error(
            (*base, "to"),
            f"model '{target}' is not defined in customizations.models",
            f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(targets)}",
        )
    if spec.get("on_delete") == "set_null" and spec.get("required", True) is not False:
        yield doc.error(
            (*base, "on_delete"),
            "on_delete: set_null needs an optional field",
            "add 'required: false', or choose another on_delete",
        )


def _choices(doc: Document, base: KeyPath, spec: dict[str, Any]) -> Iterator[Diagnostic]:
    """Choices are stored in the database: they must be storable and fit max_length."""
    limit = spec.get("max_length", DEFAULT_MAX_LENGTH["string"])
    for index, choice in enumerate(spec["choices"]):
        if not isinstance(choice, str):
            continue
        path: KeyPath = (*base, "choices", index)
        if "\0" in choice:
            yield _nul_error(doc, path)
        elif type(limit) is int and len(choice) > limit:
            yield doc.error(
                path,
                f"choice {clipped(choice)} is {len(choice)} characters, more than max_length "
                f"{limit}",
                "shorten the choice, or raise max_length",
            )


def _default(doc: Document, base: KeyPath, spec: dict[str, Any], kind: str) -> Iterator[Diagnostic]:
    value = spec["default"]
    path: KeyPath = (*base, "default")
    if value is None and spec.get("required", True) is False:
        return
    expected = _default_problem(kind, value)
    if expected:
        yield doc.error(
            path,
            f"default {_shown(doc, path, value)} does not suit {_a(kind)} field",
            f"give {expected}",
        )
        return
    unstorable = list(_unstorable(doc, path, value, kind))
    if unstorable:
        yield from unstorable
        return
    limit = spec.get("max_length", DEFAULT_MAX_LENGTH.get(kind))
    if isinstance(value, str) and type(limit) is int and len(value) > limit:
        yield doc.error(path, f"default is {len(value)} characters, more than max_length {limit}")
    choices = spec.get("choices")
    if kind == "string" and isinstance(choices, list) and value not in choices:
        yield doc.error(
            path, f"default {clipped(value)} is not one of the choices", "pick one of them"
        )


def _unstorable(doc: Document, path: KeyPath, value: Any, kind: str) -> Iterator[Diagnostic]:
    """Defaults of the right type that a database still cannot store as written."""
    for where, text, is_key in _texts(path, value):
        if "\0" in text:
            yield _nul_error(doc, where, key=is_key)
    for where, number in _numbers(path, value, kind):
        if not math.isfinite(number):
            yield doc.error(
                where,
                f"default {_shown(doc, where, number)} is not a finite number; SQLite, JSON "
                "and decimal columns cannot store it",
                "give a finite number such as 9.99",
            )
    low, high = INTEGER_RANGES.get(kind, (None, None))
    if low is not None and high is not None and type(value) is int and not low <= value <= high:
        yield doc.error(
            path,
            f"default {value} is outside the range of {_a(kind)} field ({low} to {high})",
            "give a smaller number" + (", or use type: big_integer" if kind == "integer" else ""),
        )


def _texts(path: KeyPath, value: Any) -> Iterator[tuple[KeyPath, str, bool]]:
    """Every string in a default (JSON defaults nest them): ``(path, text, is_a_key)``."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts((*path, index), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), str(key), True
            yield from _texts((*path, key), item)


def _numbers(path: KeyPath, value: Any, kind: str) -> Iterator[tuple[KeyPath, float | Decimal]]:
    """Every float in a default, and a decimal field's number given as text."""
    if isinstance(value, float):
        yield path, value
    elif kind == "decimal" and isinstance(value, str) and _parses(Decimal, value):
        yield path, Decimal(value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers((*path, index), item, kind)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers((*path, key), item, kind)


def _nul_error(doc: Document, path: KeyPath, *, key: bool = False) -> Diagnostic:
    return doc.error(
        path,
        "text with a NUL character (U+0000, written \\0 or \\x00) cannot be stored: "
        "PostgreSQL refuses it",
        "remove the NUL character",
        key=key,
    )


def _default_problem(kind: str, value: Any) -> str | None:
    """None when ``value`` suits a ``kind`` field, else what it should have been."""
    if kind == "json":
        return None
    if kind == "foreign_key":
        return "no default: a foreign key cannot have one (remove 'default')"
    if kind == "boolean":
        return None if isinstance(value, bool) else "true or false"
    if kind in ("integer", "big_integer"):
        return None if type(value) is int else "a whole number"
    if kind in ("decimal", "float"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None
        return None if _parses(Decimal, value) else "a number, e.g. 9.99"
    if not isinstance(value, str):
        return "text (in quotes if it looks like a number or a boolean)"
    checks = {
        "date": (date.fromisoformat, "a date as YYYY-MM-DD"),
        "datetime": (datetime.fromisoformat, "a date and time as YYYY-MM-DDTHH:MM:SS"),
        "time": (_local_time, "a time as HH:MM or HH:MM:SS, without an offset"),
        "uuid": (uuid.UUID, "a UUID such as 123e4567-e89b-12d3-a456-426614174000"),
    }
    if kind in checks:
        parse, expected = checks[kind]
        return None if _parses(parse, value) else expected
    if kind == "email" and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
        return "an email address such as 'info@example.com'"
    if kind == "url" and not re.match(r"^https?://\S+$", value):
        return "a URL starting with http:// or https://"
    if kind == "slug" and not re.match(r"^[-a-zA-Z0-9_]+$", value):
        return "a slug: letters, digits, '-' and '_'"
    return None


def _local_time(text: str) -> time:
    """A time of day; an offset is refused: Django stores times without a zone."""
    parsed = time.fromisoformat(text)
    if parsed.tzinfo is not None:
        raise ValueError("a time with an offset")
    return parsed


def _parses(parse: Any, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parse(value)
    except (ValueError, InvalidOperation, TypeError):
        return False
    return True


def _shown(doc: Document, path: KeyPath, value: Any) -> str:
    """A value as the user wrote it: ``1.0`` stays ``1.0``, text is quoted."""
    return clipped(value) if isinstance(value, str) else doc.source(path) or repr(value)


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"
