"""Which fields of a model are secret: never exported (actions.export_csv), never in the
audit trail (apps.AdminConfig.ready).

The project's settings.py lists the fields core and the enabled components mark in
their manifests (``QUICKSCALE_FIELD_MARKINGS``, ``{"app_label.Model": {"field":
["secret"]}}``, written by generation; see docs/architecture.md, "Field markings"). A
field whose name says it holds a secret is one too, marked or not, so a model nobody
declared still keeps its password hashes, tokens and keys.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Field, Model

#: A field whose name has one of these words (split at "_") holds a secret.
SECRET_WORDS = frozenset({"password", "passwd", "token", "secret", "salt"})
#: The marking of QUICKSCALE_FIELD_MARKINGS that keeps a field out of exports and logs.
SECRET = "secret"


def named_secret(name: str) -> bool:
    """Whether a field's name says it holds a secret (``password``, ``api_key``…)."""
    lowered = name.lower()
    return bool(SECRET_WORDS.intersection(lowered.split("_"))) or lowered.endswith("_key")


def is_secret(model: type[Model], field: Field[Any, Any]) -> bool:
    """Whether ``field`` of ``model`` is secret: named as one, or marked "secret" on the
    model or on the model that defines the field (a proxy's or a child's parent)."""
    if named_secret(field.name):
        return True
    markings = getattr(settings, "QUICKSCALE_FIELD_MARKINGS", {})
    concrete = model._meta.concrete_model or model
    owners = {model._meta.label, field.model._meta.label, concrete._meta.label}
    return any(SECRET in markings.get(label, {}).get(field.name, ()) for label in owners)


def secret_field_names(model: type[Model]) -> list[str]:
    """The names of ``model``'s secret concrete fields, in the model's order."""
    return [f.name for f in model._meta.concrete_fields if is_secret(model, f)]
