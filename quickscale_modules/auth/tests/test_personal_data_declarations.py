"""The personal data this component declares in its manifest is real: every declared
model, user path and field exists in Django's app registry; the sample hook makes rows
of every declared model for its user alone; and erasing as declared (what the runtime
does: delete, or blank the listed fields) leaves nothing of that user reachable and the
other user's rows as they were.

The default settings install allauth's account app only; the outer test re-runs this
file with settings_every_model (social login, MFA and sessions on), where every
declared model is installed and checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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
EVERY = {label: t for label, t in QUICKSCALE.get("models", {}).items() if "user" in t}
INSTALLED = {config.label for config in apps.get_app_configs()}
# A model of an app the project does not install is passed over, as the runtime does.
DECLARED = {label: t for label, t in EVERY.items() if label.split(".")[0] in INSTALLED}
INNER = os.environ.get("DJANGO_SETTINGS_MODULE") == "settings_every_model"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


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


def _blank(model: type[models.Model], name: str) -> Any:
    return None if model._meta.get_field(name).null else ""


def _rows(label: str, user: Any) -> set[Any]:
    """The pks of ``label``'s rows of ``user`` (a user or a user's pk)."""
    found = _model(label)._default_manager.filter(**{DECLARED[label]["user"]: user})
    return set(found.values_list("pk", flat=True))


def _erase_as_declared(user: Any) -> None:
    """The runtime's order: the declarations last to first, then the user row."""
    for label, table in reversed(DECLARED.items()):
        rows = _model(label)._default_manager.filter(pk__in=_rows(label, user))
        if table["erase"] == "delete":
            rows.delete()
        elif table["erase"] == "anonymize":
            rows.update(**{name: _blank(_model(label), name) for name in table["anonymize"]})
    user.delete()


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
        field = model._meta.get_field(name)
        assert field.null or isinstance(field, models.CharField | models.TextField), name


def test_component_is_declared() -> None:
    assert DECLARED, "no model declares a user: say holds = false instead"
    assert QUICKSCALE["personal-data"].get("holds", True) is True


@pytest.mark.django_db
def test_sample_rows_are_their_users_and_erasure_leaves_the_other_user_alone() -> None:
    sample = import_string(QUICKSCALE["personal-data"]["sample"])
    ann, bob = (
        get_user_model().objects.create_user(username=n, email=f"{n}@example.com", password="x")
        for n in ("ann", "bob")
    )
    sample(ann)
    sample(bob)
    kept: dict[str, set[Any]] = {}
    deleted: dict[str, set[Any]] = {}
    for label, table in DECLARED.items():
        mine, theirs = _rows(label, ann), _rows(label, bob)
        assert mine and theirs and not mine & theirs, label
        # Erasure has something to blank in each row it anonymizes.
        for name in table.get("anonymize", []):
            values = _model(label)._default_manager.filter(pk__in=mine).values_list(name)
            assert all(value for (value,) in values), (label, name)
        (deleted if table["erase"] == "delete" else kept)[label] = mine
    before = {label: _rows(label, bob) for label in DECLARED}

    ann_pk = ann.pk
    _erase_as_declared(ann)

    for label, table in DECLARED.items():
        rows = _model(label)._default_manager
        assert not _rows(label, ann_pk) and _rows(label, bob) == before[label], label
        if label in deleted:  # gone, not merely out of reach through a blanked link
            assert not rows.filter(pk__in=deleted[label]).exists(), label
        else:  # still there, with the declared fields blank
            blank = {name: _blank(_model(label), name) for name in table["anonymize"]}
            assert rows.filter(pk__in=kept[label], **blank).count() == len(kept[label]), label


def test_sample_passes_over_what_is_not_installed() -> None:
    """Here the account app alone is installed (the others in the subprocess)."""
    if INNER:
        assert DECLARED == EVERY
    else:
        assert set(DECLARED) == {"account.EmailAddress", "account.EmailConfirmation"}


@pytest.mark.skipif(INNER, reason="outer driver")
def test_every_declaration_holds_with_every_feature_on() -> None:
    from conftest import require

    require("fido2", "allauth.mfa needs django-allauth[mfa]")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__],
        cwd=PACKAGE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings_every_model"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # One per declared model, the component, sample and erasure, the pass-over check.
    expected = len(EVERY) + 3
    assert re.search(rf"\b{expected} passed, 1 skipped\b", result.stdout), result.stdout[-2000:]
