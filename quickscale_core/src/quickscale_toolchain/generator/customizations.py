"""v2 ``customizations``: the models and business rules a project declares in its config.

The config describes fields in plain words (``string``, ``decimal``…); this module maps
them to Django field declarations, admin columns, form fields and test sample values.
The code is computed here, in Python, and the templates only lay it out: one place
decides what ``required: false`` means for each type, and rendering stays deterministic.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from quickscale_toolchain.config import FieldSpec, ModelSpec
from quickscale_toolchain.config.model import (
    DEFAULT_DECIMAL_PLACES,
    DEFAULT_MAX_DIGITS,
    DEFAULT_MAX_LENGTH,
)
from quickscale_toolchain.generator.pysource import (
    LINE_LENGTH,
    bracketed,
    import_from,
    laid_out,
    literal,
    noqa_if_long,
    text_assignment,
    width,
)

#: The Django field class of each config field type (v2 schema's ``type`` enum).
_DJANGO_CLASS = {
    "string": "CharField",
    "text": "TextField",
    "integer": "IntegerField",
    "big_integer": "BigIntegerField",
    "decimal": "DecimalField",
    "float": "FloatField",
    "boolean": "BooleanField",
    "date": "DateField",
    "datetime": "DateTimeField",
    "time": "TimeField",
    "email": "EmailField",
    "url": "URLField",
    "slug": "SlugField",
    "uuid": "UUIDField",
    "json": "JSONField",
    "foreign_key": "ForeignKey",
}
#: Every field type the config may declare, in the schema's order.
FIELD_TYPES = tuple(_DJANGO_CLASS)
# Types stored as strings: "not required" means blank (empty string), never NULL, as
# Django recommends; every other type gets blank=True, null=True.
_STRING_TYPES = frozenset({"string", "text", "email", "url", "slug"})
_ON_DELETE = {
    "cascade": "CASCADE",
    "protect": "PROTECT",
    "restrict": "RESTRICT",
    "set_null": "SET_NULL",
}

# The rendering below reads the validated config's own FieldSpec and ModelSpec (one
# field type for the whole toolkit); what it derives from them are plain functions.


def _max_length(field: FieldSpec) -> int | None:
    """The field's max_length; the config fills it in, the fallback guards direct use."""
    return field.max_length or DEFAULT_MAX_LENGTH.get(field.type)


def _digits(field: FieldSpec) -> tuple[int, int]:
    """``(max_digits, decimal_places)`` of a decimal field (None only on other types)."""
    digits = field.max_digits if field.max_digits is not None else DEFAULT_MAX_DIGITS
    places = field.decimal_places if field.decimal_places is not None else DEFAULT_DECIMAL_PLACES
    return digits, places


def _nullable(field: FieldSpec) -> bool:
    return not field.required and field.type not in _STRING_TYPES


#: Where a field's arguments start when its declaration takes one line per argument.
_ARGUMENT_INDENT = 8


def declaration(model: ModelSpec, field: FieldSpec) -> str:
    """The model attribute line(s), e.g. ``name = models.CharField(max_length=255)``."""
    head = f"{field.name} = models.{_DJANGO_CLASS[field.type]}("
    return bracketed(head, arguments(model, field), ")", indent=4)


def arguments(model: ModelSpec, field: FieldSpec) -> list[str]:
    """Arguments of the Django field, as source text."""
    args: list[str] = []
    if field.type == "foreign_key":
        to = field.to or ""
        target = "settings.AUTH_USER_MODEL" if to == "User" else literal(to)
        args += [target, f"on_delete=models.{_ON_DELETE[field.on_delete or 'cascade']}"]
        args.append(f"related_name={literal(related_name(model, field))}")
    length = _max_length(field)
    if length is not None:
        args.append(f"max_length={length}")
    if field.type == "decimal":
        digits, places = _digits(field)
        args += [f"max_digits={digits}", f"decimal_places={places}"]
    if field.choices:
        pairs = [(choice, choice) for choice in field.choices]
        args.append(laid_out(pairs, _ARGUMENT_INDENT, "choices=", after=1))
    if field.has_default:
        args.append(_default_argument(field))
    elif field.type == "boolean":
        args.append("default=False")
    if field.unique:
        args.append("unique=True")
    if not field.required:
        args.append("blank=True")
        if _nullable(field):
            args.append("null=True")
    if field.help_text:
        args.append(f"help_text={literal(help_text_html(field.help_text))}")
    return args


def help_text_html(text: str) -> str:
    """The config's help text as the HTML Django takes ``help_text`` to be.

    Django renders a field's help_text unescaped (in the admin and in forms), so that
    it may hold markup; config text is plain text, so ``<``, ``>`` and ``&`` become
    entities: the page shows the text as written, and no tag of it reaches the page
    (unfold's Alpine.js would run an ``x-init`` attribute in the admin).
    """
    return html.escape(text, quote=False)


def related_name(model: ModelSpec, field: FieldSpec) -> str:
    """Unique per model and field, so two foreign keys to one model never clash."""
    return f"{model.name.lower()}_{field.name}_set"


def _default_argument(field: FieldSpec) -> str:
    """``default=…``: the declared default as Python source, typed for the field.

    The config holds dates, times and UUIDs as text; the model gets the value itself
    (``datetime.date(2024, 1, 31)``), as Django's fields and forms expect. A text
    default would stay text on a new instance and in the admin form's initial data,
    where the datetime widget calls ``.utcoffset()`` on it.
    """
    value = field.default
    if field.type == "decimal":
        return f"default=Decimal({literal(str(value))})"
    if field.type in _TYPED_TEXT:
        return f"default={_typed_source(field.type, value)}"
    if field.type == "json" and value is not None:
        return _json_default(value)
    return laid_out(value, _ARGUMENT_INDENT, "default=", after=1)


#: Types whose config default is text that the model declares as a Python value.
_TYPED_TEXT = frozenset({"date", "datetime", "time", "uuid"})


def _typed_source(kind: str, text: str) -> str:
    """Python source of a validated date, datetime, time or UUID given as text.

    A datetime without an offset is UTC: a migration holds one fixed instant, whatever
    the server's ``TIME_ZONE``. One with an offset is the same instant, written in UTC.
    """
    if kind == "uuid":
        return f"uuid.UUID({literal(str(uuid.UUID(text)))})"
    if kind == "date":
        return repr(dt.date.fromisoformat(text))
    if kind == "time":
        return repr(dt.time.fromisoformat(text))  # validate refuses an offset
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    naive = repr(moment.replace(tzinfo=None))
    return naive[:-1] + ", tzinfo=datetime.UTC)"


def _json_default(value: Any) -> str:
    """A JSON default as a callable, so no two instances share one mutable value.

    Django's check fields.E010 asks for it. ``{}`` and ``[]`` are ``dict`` and ``list``;
    any other value is a deep copy of itself, a partial migrations can write down
    (a function of the module would have to live as long as the migrations naming it).
    """
    if value == {} or value == []:
        return f"default={type(value).__name__}"
    head, pad = "default=functools.partial(", " " * _ARGUMENT_INDENT
    flat = f"{head}copy.deepcopy, {literal(value)})"
    if _ARGUMENT_INDENT + width(flat) + 1 <= LINE_LENGTH:  # 1: the argument's comma
        return flat
    shared = f"copy.deepcopy, {literal(value)}"
    if _ARGUMENT_INDENT + 4 + width(shared) <= LINE_LENGTH:
        return f"{head}\n{pad}    {shared}\n{pad})"
    code = laid_out(value, _ARGUMENT_INDENT + 4, after=1) + ","
    noqa = "" if "\n" in code else noqa_if_long(_ARGUMENT_INDENT + 4, code)
    return f"{head}\n{pad}    copy.deepcopy,\n{pad}    {code}{noqa}\n{pad})"


def _default_imports(field: FieldSpec) -> tuple[str, ...]:
    """The standard-library imports the field's ``default=`` source needs."""
    if not field.has_default:
        return ()
    if field.type == "json":
        return () if field.default in ({}, [], None) else ("import copy", "import functools")
    return _VALUE_IMPORTS.get(field.type, ())


#: The standard-library imports a value of each type needs, written as Python source.
_VALUE_IMPORTS = {
    "decimal": ("from decimal import Decimal",),
    "date": ("import datetime",),
    "datetime": ("import datetime",),
    "time": ("import datetime",),
    "uuid": ("import uuid",),
}


def _listable(field: FieldSpec) -> bool:
    return field.type not in {"text", "json"}


def _admin_post_value(field: FieldSpec) -> list[tuple[str, str]]:
    """Form data the admin's add view accepts for this field (test sample, as source).

    A foreign key's value is the placeholder ``__fk__``: the test fills in the pk of
    an object it creates first.
    """
    if field.type == "foreign_key":
        return [(field.name, "__fk__")]
    if field.type == "datetime":
        return [(f"{field.name}_0", '"2026-01-02"'), (f"{field.name}_1", '"12:30:00"')]
    if field.type == "boolean":
        return [(field.name, '"on"')]
    return [(field.name, literal(_sample_text(field)))]


def _sample_text(field: FieldSpec) -> str:
    """A valid value for this field, as text a form accepts."""
    if field.choices:
        return field.choices[0]
    if field.type == "decimal":
        digits, places = _digits(field)
        whole = "1" if digits > places else "0"
        return whole + ("." + "5" * places if places else "")
    samples = {
        "string": f"Sample {field.name}",
        "text": f"Some {field.name} text.",
        "integer": "7",
        "big_integer": "7000000000",
        "float": "1.5",
        "date": "2026-01-02",
        "time": "12:30:00",
        "email": "someone@example.com",
        "url": "https://example.com/",
        "slug": f"sample-{field.name.replace('_', '-')}",
        "uuid": "12345678-1234-5678-1234-567812345678",
        "json": '{"sample": 1}',
    }
    text = samples.get(field.type, "")
    length = _max_length(field)
    if length is not None and field.type in {"string", "slug"}:
        text = text[:length]
    return text


def _orm_value(field: FieldSpec) -> str:
    """Python source of a valid value for ``Model.objects.create`` (test sample)."""
    text = _sample_text(field)
    if field.type in {"integer", "big_integer", "float"}:
        return text
    if field.type == "decimal":
        return f"Decimal({literal(text)})"
    if field.type == "boolean":
        return "True"
    if field.type == "date":
        return "datetime.date(2026, 1, 2)"
    if field.type == "datetime":
        return "datetime.datetime(2026, 1, 2, 12, 30, tzinfo=datetime.UTC)"
    if field.type == "time":
        return "datetime.time(12, 30)"
    if field.type == "uuid":
        return f"uuid.UUID({literal(text)})"
    if field.type == "json":
        return '{"sample": 1}'
    return literal(text)


def _str_field(model: ModelSpec) -> str:
    """The field ``__str__`` shows: the first string field, if any."""
    for candidate in model.fields:
        if candidate.type in {"string", "email", "slug", "url"}:
            return candidate.name
    return ""


def _has_url(model: ModelSpec) -> bool:
    return any(f.type == "url" for f in model.fields)


def model_context(model: ModelSpec) -> dict[str, Any]:
    """Template variables of one model (its declarations, admin, form and test data)."""
    description = model.description or f"{model.name} model, declared in quickscale.yml."
    list_display = ("id", *[f.name for f in model.fields if _listable(f)][:6])
    search_fields = [f.name for f in model.fields if f.type in _STRING_TYPES]
    return {
        "name": model.name,
        "lower": model.name.lower(),
        # The description is free text: a string literal, never spliced into a docstring.
        "doc": text_assignment("__doc__", description, indent=4),
        "declarations": [declaration(model, f) for f in model.fields],
        "fields": [
            {
                "name": f.name,
                "type": f.type,
                "to": f.to or "",
                "admin_post": [
                    {"key": key, "value": value, "noqa": noqa_if_long(8, f'"{key}": {value},')}
                    for key, value in _admin_post_value(f)
                ],
                "orm_value": _orm_value(f),
                "orm_noqa": noqa_if_long(8, f"{f.name}={_orm_value(f)},"),
            }
            for f in model.fields
        ],
        "list_display": bracketed(
            "list_display = [", _quoted(list_display), "]", 4, collection=True
        ),
        "search_fields": bracketed(
            "search_fields = [", _quoted(search_fields), "]", 4, collection=True
        ),
        "form_fields": bracketed(
            "fields = [", _quoted([f.name for f in model.fields]), "]", 8, collection=True
        ),
        "str_field": _str_field(model),
        "has_url": _has_url(model),
    }


def _quoted(names: Sequence[str]) -> list[str]:
    return [literal(name) for name in names]


def models_context(project: str, models: Sequence[ModelSpec]) -> dict[str, Any]:
    """Template variables of the generated models, admin, forms and tests modules."""
    names = [model.name for model in models]
    fields = [f for model in models for f in model.fields]
    return {
        "models": [model_context(model) for model in models],
        "models_all": bracketed("__all__ = [", _quoted(names), "]", collection=True),
        "models_import": import_from(f"{project}.generated_models", names) if names else "",
        "models_stdlib_imports": _stdlib_imports(
            line for f in fields for line in _default_imports(f)
        ),
        "models_use_settings": any(f.type == "foreign_key" and f.to == "User" for f in fields),
        "models_use_url": any(_has_url(model) for model in models),
        "tests_stdlib_imports": _stdlib_imports(
            line for f in fields for line in _VALUE_IMPORTS.get(f.type, ())
        ),
    }


def _stdlib_imports(lines: Iterable[str]) -> str:
    """Import lines, each once, in isort's order (``import x`` lines, then ``from``)."""
    return "\n".join(sorted(set(lines), key=lambda line: (line.startswith("from "), line)))


def rule_function_name(rule: str) -> str:
    """A stable, readable function name for a business rule sentence."""
    words = re.findall(r"[a-z0-9]+", rule.lower())[:6]
    return "check_" + ("_".join(words) or "rule")


def rules_context(rules: tuple[str, ...]) -> list[dict[str, str]]:
    """Unique function names for the business rule stubs, in declaration order.

    Each rule's text becomes the literal a stub holds (``rule = "..."``): free text of
    the config never lands inside a docstring or a comment.
    """
    used: set[str] = set()
    out = []
    for rule in rules:
        base = name = rule_function_name(rule)
        number = 1
        while name in used:  # "a", "a" and "a 2" give check_a, check_a_2, check_a_2_2
            number += 1
            name = f"{base}_{number}"
        used.add(name)
        out.append({"function": name, "rule": text_assignment("rule", rule, indent=4)})
    return out
