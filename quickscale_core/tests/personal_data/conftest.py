"""Fixtures of the personal-data suite: stored archives in a fresh folder, hook state
reset, two users with every component's sample rows and an admin log entry each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.module_loading import import_string
from pd_testapp import hooks
from pd_testapp.models import User
from quickscale_testing.modules import compile_catalogues


@pytest.fixture(scope="session")
def spanish() -> str:
    """Core's Spanish catalogue compiled (the .mo files are built, never committed), as
    a project's workflow compiles it; the language code, for the tests to speak it."""
    compile_catalogues("quickscale_core")
    return "es"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _hooks() -> Iterator[None]:
    hooks.CALLS.clear()
    hooks.FAIL.clear()
    yield
    hooks.CALLS.clear()
    hooks.FAIL.clear()


def make_user(name: str) -> User:
    """A user with every component's sample rows and an admin log entry."""
    from django.conf import settings

    user = User.objects.create_user(username=name, email=f"{name}@example.com", password="pw")
    for entry in settings.QUICKSCALE_PERSONAL_DATA.values():
        if entry["sample"]:
            import_string(entry["sample"])(user)
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=ADDITION,
        change_message=f"added by {name}",
    )
    return user


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob")
