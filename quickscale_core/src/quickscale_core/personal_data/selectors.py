"""Reads: the declarations of ``QUICKSCALE_PERSONAL_DATA`` and the rows they give a user.

The setting maps each component (core first, then the project's in order) to its
declared models, ``{"app.Model": {"user", "description", "erase", "export",
"anonymize", "reason"}}``, and its ``before_erase`` / ``sample`` hooks (dotted paths).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Field, Model, Q, QuerySet

#: A field whose name has one of these words (split at "_") holds a secret; a name
#: ending in "_key" too (docs/architecture.md, "Field markings").
SECRET_WORDS = frozenset({"password", "passwd", "token", "secret", "salt"})
SECRET = "secret"


@dataclass(frozen=True)
class ModelDeclaration:
    """One model's declaration: how its rows reach a user and what erasure does."""

    component: str
    label: str
    user: str
    description: str
    erase: str  # delete | anonymize | keep
    export: tuple[str, ...] | None
    anonymize: tuple[str, ...]
    reason: str

    @property
    def model(self) -> type[Model]:
        model: type[Model] = apps.get_model(self.label)
        return model

    @property
    def is_user_model(self) -> bool:
        return self.user == "pk"


@dataclass(frozen=True)
class Component:
    """A component's declarations, in the setting's order."""

    key: str
    models: tuple[ModelDeclaration, ...]
    before_erase: str
    sample: str

    @property
    def file_name(self) -> str:
        """Its JSON file in the archive: "core.json", "modules-auth.json"."""
        return self.key.replace("/", "-") + ".json"


def components() -> list[Component]:
    """The declared components, core first, as the project's settings list them."""
    declared: Mapping[str, Any] = getattr(settings, "QUICKSCALE_PERSONAL_DATA", {}) or {}
    return [_component(key, entry) for key, entry in declared.items()]


def _component(key: str, entry: Mapping[str, Any]) -> Component:
    models = tuple(
        ModelDeclaration(
            component=key,
            label=label,
            user=str(spec["user"]),
            description=str(spec.get("description", "")),
            erase=str(spec.get("erase", "delete")),
            export=None if spec.get("export") is None else tuple(spec["export"]),
            anonymize=tuple(spec.get("anonymize") or ()),
            reason=str(spec.get("reason", "")),
        )
        for label, spec in (entry.get("models") or {}).items()
        if _installed(label)
    )
    return Component(
        key=key,
        models=models,
        before_erase=str(entry.get("before_erase") or ""),
        sample=str(entry.get("sample") or ""),
    )


def _installed(label: str) -> bool:
    """Whether the model's app is installed: a component's optional part (an app its
    options leave out) holds no rows."""
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def rows_of(declaration: ModelDeclaration, user: Model) -> QuerySet[Model]:
    """The rows of ``declaration``'s model that belong to ``user``."""
    model = declaration.model
    lookup = Q(pk=user.pk) if declaration.is_user_model else Q(**{declaration.user: user})
    return model._default_manager.filter(lookup).distinct().order_by("pk")


def is_secret(model: type[Model], field: Field[Any, Any]) -> bool:
    """A field export leaves out: named as a secret, or marked "secret" in
    ``QUICKSCALE_FIELD_MARKINGS`` on the model or on the model that defines it."""
    lowered = field.name.lower()
    if SECRET_WORDS.intersection(lowered.split("_")) or lowered.endswith("_key"):
        return True
    markings = getattr(settings, "QUICKSCALE_FIELD_MARKINGS", {}) or {}
    concrete = model._meta.concrete_model or model
    owners = {model._meta.label, field.model._meta.label, concrete._meta.label}
    return any(SECRET in markings.get(label, {}).get(field.name, ()) for label in owners)


def export_fields(declaration: ModelDeclaration) -> list[Field[Any, Any]]:
    """The fields export includes: the declared ones, or every concrete field that is
    not secret; a declared field that is secret is left out all the same."""
    model = declaration.model
    fields = [f for f in model._meta.concrete_fields if not is_secret(model, f)]
    if declaration.export is None:
        return fields
    by_name = {f.name: f for f in fields}
    return [by_name[name] for name in declaration.export if name in by_name]


def find_user(identifier: str) -> Model | None:
    """The user ``identifier`` names: an id, an email or a username (None when no user or
    more than one matches, which callers tell apart with :func:`users_matching`)."""
    matches = users_matching(identifier)
    return matches[0] if len(matches) == 1 else None


def users_matching(identifier: str) -> list[Model]:
    """Every user ``identifier`` could name (an id, an email, a username)."""
    User = get_user_model()
    query = Q(**{f"{User.USERNAME_FIELD}__iexact": identifier})
    email_field = getattr(User, "EMAIL_FIELD", "email")
    if any(f.name == email_field for f in User._meta.concrete_fields):
        query |= Q(**{f"{email_field}__iexact": identifier})
    if identifier.isdigit():
        query |= Q(pk=int(identifier))
    return list(User._default_manager.filter(query).order_by("pk")[:2])
