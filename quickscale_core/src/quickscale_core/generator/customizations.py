"""v2 ``customizations``: the models and business rules a project declares in its config.

The config describes fields in plain words (``string``, ``decimal``…); this module maps
them to Django field declarations, admin columns, form fields and test sample values.
The code is computed here, in Python, and the templates only lay it out: one place
decides what ``required: false`` means for each type, and rendering stays deterministic.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quickscale_core import config
from quickscale_core.generator.pysource import LINE_LENGTH, bracketed, import_from, literal

FIELD_TYPES = (
    "string",
    "text",
    "integer",
    "big_integer",
    "decimal",
    "float",
    "boolean",
    "date",
    "datetime",
    "time",
    "email",
    "url",
    "slug",
    "uuid",
    "json",
    "foreign_key",
)

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
# Types stored as strings: "not required" means blank (empty string), never NULL, as
# Django recommends; every other type gets blank=True, null=True.
_STRING_TYPES = frozenset({"string", "text", "email", "url", "slug"})
_DEFAULT_MAX_LENGTH = {"string": 255, "email": 254, "url": 200, "slug": 50}
DECIMAL_MAX_DIGITS = 10  # the config's default (quickscale_core.config.model)
DECIMAL_PLACES = 2
_ON_DELETE = {
    "cascade": "CASCADE",
    "protect": "PROTECT",
    "restrict": "RESTRICT",
    "set_null": "SET_NULL",
}


@dataclass(frozen=True)
class FieldSpec:
    """One declared field of a customization model."""

    name: str
    type: str
    required: bool = True
    unique: bool = False
    default: Any = None
    has_default: bool = False
    help_text: str = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    max_digits: int = DECIMAL_MAX_DIGITS
    decimal_places: int = DECIMAL_PLACES
    to: str = ""
    on_delete: str = "cascade"
    model_lower: str = ""  # the declaring model, lowercased (for related_name)

    @property
    def nullable(self) -> bool:
        return not self.required and self.type not in _STRING_TYPES

    def declaration(self) -> str:
        """The model attribute line(s), e.g. ``name = models.CharField(max_length=255)``."""
        head = f"{self.name} = models.{_DJANGO_CLASS[self.type]}("
        return bracketed(head, self.arguments(), ")", indent=4)

    def arguments(self) -> list[str]:
        """Arguments of the Django field, as source text."""
        args: list[str] = []
        if self.type == "foreign_key":
            target = "settings.AUTH_USER_MODEL" if self.to == "User" else literal(self.to)
            args += [target, f"on_delete=models.{_ON_DELETE[self.on_delete]}"]
            args.append(f"related_name={literal(self.related_name)}")
        length = self.max_length or _DEFAULT_MAX_LENGTH.get(self.type)
        if length is not None:
            args.append(f"max_length={length}")
        if self.type == "decimal":
            args += [f"max_digits={self.max_digits}", f"decimal_places={self.decimal_places}"]
        if self.choices:
            args.append(f"choices={literal([(c, c) for c in self.choices])}")
        if self.has_default:
            args.append(f"default={self.default_code()}")
        elif self.type == "boolean":
            args.append("default=False")
        if self.unique:
            args.append("unique=True")
        if not self.required:
            args.append("blank=True")
            if self.nullable:
                args.append("null=True")
        if self.help_text:
            args.append(f"help_text={literal(self.help_text)}")
        return args

    @property
    def related_name(self) -> str:
        """Unique per model and field, so two foreign keys to one model never clash."""
        return f"{self.model_lower}_{self.name}_set"

    def default_code(self) -> str:
        """Python source of the declared default, typed for the field."""
        value = self.default
        if self.type == "decimal":
            return f"Decimal({literal(str(value))})"
        return literal(value)

    @property
    def listable(self) -> bool:
        return self.type not in {"text", "json"}

    def admin_post_value(self) -> list[tuple[str, str]]:
        """Form data the admin's add view accepts for this field (test sample, as source).

        A foreign key's value is the placeholder ``__fk__``: the test fills in the pk of
        an object it creates first.
        """
        if self.type == "foreign_key":
            return [(self.name, "__fk__")]
        if self.type == "datetime":
            return [(f"{self.name}_0", '"2026-01-02"'), (f"{self.name}_1", '"12:30:00"')]
        if self.type == "boolean":
            return [(self.name, '"on"')]
        return [(self.name, literal(self.sample_text()))]

    def sample_text(self) -> str:
        """A valid value for this field, as text a form accepts."""
        if self.choices:
            return self.choices[0]
        if self.type == "decimal":
            whole = "1" if self.max_digits > self.decimal_places else "0"
            return whole + ("." + "5" * self.decimal_places if self.decimal_places else "")
        samples = {
            "string": f"Sample {self.name}",
            "text": f"Some {self.name} text.",
            "integer": "7",
            "big_integer": "7000000000",
            "float": "1.5",
            "date": "2026-01-02",
            "time": "12:30:00",
            "email": "someone@example.com",
            "url": "https://example.com/",
            "slug": f"sample-{self.name.replace('_', '-')}",
            "uuid": "12345678-1234-5678-1234-567812345678",
            "json": '{"sample": 1}',
        }
        text = samples.get(self.type, "")
        length = self.max_length or _DEFAULT_MAX_LENGTH.get(self.type)
        if length is not None and self.type in {"string", "slug"}:
            text = text[:length]
        return text

    def orm_value(self) -> str:
        """Python source of a valid value for ``Model.objects.create`` (test sample)."""
        text = self.sample_text()
        if self.type in {"integer", "big_integer", "float"}:
            return text
        if self.type == "decimal":
            return f"Decimal({literal(text)})"
        if self.type == "boolean":
            return "True"
        if self.type == "date":
            return "datetime.date(2026, 1, 2)"
        if self.type == "datetime":
            return "datetime.datetime(2026, 1, 2, 12, 30, tzinfo=datetime.UTC)"
        if self.type == "time":
            return "datetime.time(12, 30)"
        if self.type == "uuid":
            return f"uuid.UUID({literal(text)})"
        if self.type == "json":
            return '{"sample": 1}'
        return literal(text)


@dataclass(frozen=True)
class ModelSpec:
    """One model of ``customizations.models``."""

    name: str
    fields: tuple[FieldSpec, ...]
    description: str = ""

    @property
    def lower(self) -> str:
        return self.name.lower()

    @property
    def list_display(self) -> tuple[str, ...]:
        return ("id", *[f.name for f in self.fields if f.listable][:6])

    @property
    def search_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.type in _STRING_TYPES)

    @property
    def str_field(self) -> str:
        """The field ``__str__`` shows: the first string field, if any."""
        for candidate in self.fields:
            if candidate.type in {"string", "email", "slug", "url"}:
                return candidate.name
        return ""

    @property
    def has_url(self) -> bool:
        return any(f.type == "url" for f in self.fields)

    @property
    def foreign_keys(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.type == "foreign_key")

    def template_context(self) -> dict[str, Any]:
        description = self.description or f"{self.name} model, declared in quickscale.yml."
        wrapped = textwrap.wrap(description, width=LINE_LENGTH - 10) or [description]
        return {
            "name": self.name,
            "lower": self.lower,
            "docstring": "\n    ".join(wrapped),
            "declarations": [f.declaration() for f in self.fields],
            "fields": [
                {
                    "name": f.name,
                    "type": f.type,
                    "to": f.to,
                    "admin_post": f.admin_post_value(),
                    "orm_value": f.orm_value(),
                }
                for f in self.fields
            ],
            "list_display": bracketed(
                "list_display = [", _quoted(self.list_display), "]", 4, collection=True
            ),
            "search_fields": bracketed(
                "search_fields = [", _quoted(self.search_fields), "]", 4, collection=True
            ),
            "form_fields": bracketed(
                "fields = [", _quoted([f.name for f in self.fields]), "]", 8, collection=True
            ),
            "str_field": self.str_field,
            "has_url": self.has_url,
        }


def _quoted(names: Sequence[str]) -> list[str]:
    return [literal(name) for name in names]


def models_context(project: str, models: Sequence[ModelSpec]) -> dict[str, Any]:
    """Template variables of the generated models, admin, forms and tests modules."""
    names = [model.name for model in models]
    fields = [f for model in models for f in model.fields]
    return {
        "models": [model.template_context() for model in models],
        "models_all": bracketed("__all__ = [", _quoted(names), "]", collection=True),
        "models_import": import_from(f"{project}.generated_models", names) if names else "",
        "models_use_decimal": any(f.type == "decimal" and f.has_default for f in fields),
        "models_use_settings": any(f.type == "foreign_key" and f.to == "User" for f in fields),
        "models_use_url": any(model.has_url for model in models),
        "tests_stdlib_imports": "\n".join(
            line
            for line, used in (
                ("import datetime", any(f.type in {"date", "datetime", "time"} for f in fields)),
                ("import uuid", any(f.type == "uuid" for f in fields)),
                ("from decimal import Decimal", any(f.type == "decimal" for f in fields)),
            )
            if used
        ),
    }


def from_config(models: Sequence[config.ModelSpec]) -> tuple[ModelSpec, ...]:
    """Generator models from the validated, typed config (defaults already filled in)."""
    return tuple(
        ModelSpec(
            name=model.name,
            description=model.description,
            fields=tuple(
                FieldSpec(
                    name=f.name,
                    type=f.type,
                    required=f.required,
                    unique=f.unique,
                    default=f.default,
                    has_default=f.has_default,
                    help_text=f.help_text,
                    max_length=f.max_length,
                    choices=tuple(f.choices),
                    max_digits=f.max_digits if f.max_digits is not None else DECIMAL_MAX_DIGITS,
                    decimal_places=(
                        f.decimal_places if f.decimal_places is not None else DECIMAL_PLACES
                    ),
                    to=f.to or "",
                    on_delete=f.on_delete or "cascade",
                    model_lower=model.name.lower(),
                )
                for f in model.fields
            ),
        )
        for model in models
    )


def rule_function_name(rule: str) -> str:
    """A stable, readable function name for a business rule sentence."""
    words = re.findall(r"[a-z0-9]+", rule.lower())[:6]
    return "check_" + ("_".join(words) or "rule")


def rules_context(rules: tuple[str, ...]) -> list[dict[str, str]]:
    """Unique function names for the business rule stubs, in declaration order."""
    used: dict[str, int] = {}
    out = []
    for rule in rules:
        name = rule_function_name(rule)
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name}_{used[name]}"
        lines = textwrap.wrap(f"Business rule: {rule}", width=LINE_LENGTH - 10)
        out.append({"function": name, "rule": rule, "docstring": "\n    ".join(lines)})
    return out
