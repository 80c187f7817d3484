"""The personal data this component declares in its manifest is real: every declared
model, user path and field exists in Django's app registry, and the sample hook makes
rows of every declared model for its user alone (the generated project's
personal-data test relies on both)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.module_loading import import_string

MANIFEST = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
QUICKSCALE = MANIFEST["tool"]["quickscale"]
DECLARED = {label: t for label, t in QUICKSCALE.get("models", {}).items() if "user" in t}


def _model(label: str) -> type[models.Model]:
    model: type[models.Model] = apps.get_model(label)
    return model


def _reached(model: type[models.Model], path: str) -> Any:
    """The model at the end of a lookup path ("pk": the model itself)."""
    if path == "pk":
        return model
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def _blankable(field: Any) -> bool:
    return field.null or isinstance(field, models.CharField | models.TextField)


@pytest.mark.parametrize("label", sorted(DECLARED))
def test_declaration_names_real_fields(label: str) -> None:
    table = DECLARED[label]
    model = _model(label)
    assert _reached(model, table["user"]) is get_user_model(), table["user"]
    assert table["description"] and table["erase"] in {"delete", "anonymize", "keep"}
    concrete = {f.name for f in model._meta.concrete_fields}
    assert set(table.get("export", [])) <= concrete
    assert set(table.get("fields", {})) <= concrete
    if table["erase"] == "delete":
        assert "anonymize" not in table and "reason" not in table
    else:
        assert table["reason"]
    for name in table.get("anonymize", []):
        assert table["erase"] == "anonymize" and name in concrete, name
        assert _blankable(model._meta.get_field(name)), f"{name} can be neither NULL nor ''"


def test_component_is_declared() -> None:
    assert DECLARED, "no model declares a user: say holds = false instead"
    assert QUICKSCALE["personal-data"].get("holds", True) is True


@pytest.mark.django_db
def test_sample_makes_rows_of_every_declared_model_for_its_user_only() -> None:
    sample = import_string(QUICKSCALE["personal-data"]["sample"])
    users = [
        get_user_model().objects.create_user(username=n, email=f"{n}@example.com", password="x")
        for n in ("ann", "bob")
    ]
    for user in users:
        sample(user)
    for label, table in DECLARED.items():
        rows = _model(label)._default_manager
        ann, bob = (
            set(rows.filter(**{table["user"]: u}).values_list("pk", flat=True)) for u in users
        )
        assert ann and bob and not ann & bob, label
        # Erasure has something to blank in each row it anonymizes.
        for name in table.get("anonymize", []):
            assert all(rows.filter(pk__in=ann).values_list(name, flat=True)), (label, name)
