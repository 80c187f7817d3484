"""The abstract bases behave correctly once a project makes them concrete."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import IntegrityError, transaction
from quickscale_themes.starter.models import AbstractStarterUser, OwnedModel, TimeStampedModel
from starter_testapp.models import Note

pytestmark = pytest.mark.django_db


def test_theme_ships_no_concrete_model() -> None:
    """The project owns every table; the theme must never force one on it."""
    config = apps.get_app_config("quickscale_starter")
    assert config.name == "quickscale_themes.starter"
    assert list(config.get_models()) == []
    for base in (AbstractStarterUser, OwnedModel, TimeStampedModel):
        assert base._meta.abstract


def test_project_user_is_swappable_subclass() -> None:
    user_model = get_user_model()
    assert issubclass(user_model, AbstractStarterUser)
    assert user_model._meta.label == "starter_testapp.User"
    assert "email" in user_model.REQUIRED_FIELDS


def test_migrations_are_complete() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_email_unique_ignoring_case(make_user: Any) -> None:
    make_user("ann", email="Ann@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("ann2", email="ann@example.com")
    assert get_user_model().objects.count() == 1


def test_clean_normalises_email_domain(make_user: Any) -> None:
    user = make_user("bob", email="bob@example.com")
    user.email = "Bob@EXAMPLE.COM"
    user.clean()
    assert user.email == "Bob@example.com"


def test_display_name_falls_back_to_full_name_then_username(make_user: Any) -> None:
    user = make_user("carol")
    assert user.get_display_name() == "carol"
    assert str(user) == "carol"
    user.first_name, user.last_name = "Carol", "King"
    assert user.get_display_name() == "Carol King"
    user.display_name = "  CK "
    assert user.get_display_name() == "CK"
    assert user.get_short_name() == "CK"


def test_timestamps_set_and_updated(make_user: Any) -> None:
    note = Note.objects.create(owner=make_user(), text="first")
    created, updated = note.created_at, note.updated_at
    assert created is not None and created.tzinfo is not None
    Note.objects.filter(pk=note.pk).update(updated_at=created - dt.timedelta(days=1))
    note.refresh_from_db()
    note.text = "second"
    note.save()
    note.refresh_from_db()
    assert note.created_at == created
    assert note.updated_at > created - dt.timedelta(days=1)
    assert note.updated_at >= updated


def test_owned_by_returns_only_the_users_rows(make_user: Any) -> None:
    ann, bob = make_user("ann"), make_user("bob")
    mine = Note.objects.create(owner=ann, text="mine")
    Note.objects.create(owner=bob, text="theirs")
    assert list(Note.objects.owned_by(ann)) == [mine]
    assert list(Note.objects.owned_by(AnonymousUser())) == []
    assert list(Note.objects.owned_by(None)) == []
    assert mine.is_owned_by(ann)
    assert not mine.is_owned_by(bob)
    assert not mine.is_owned_by(AnonymousUser())


def test_owner_reverse_accessor_is_namespaced(make_user: Any) -> None:
    """Two apps with an OwnedModel called Note must not clash on the user model."""
    ann = make_user("ann")
    Note.objects.create(owner=ann, text="x")
    assert ann.starter_testapp_note_set.count() == 1
