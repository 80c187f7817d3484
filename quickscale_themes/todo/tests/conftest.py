"""Fixtures of the todo theme tests: users, a logged-in client and the database switch."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from quickscale_testing.modules import compile_catalogues, unavailable

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from such a thread unless told that this is intended (it is, in tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

POSTGRES_URL = os.environ.get("QUICKSCALE_TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once on SQLite and once on PostgreSQL.

    Without QUICKSCALE_TEST_DATABASE_URL the PostgreSQL run is skipped locally and fails in
    CI (CI is expected to provide the server; a silent skip would hide a broken setup).
    Test modules using it must be marked ``django_db(databases="__all__")``.
    """
    from dbrouting import use_database

    alias = "default"
    if request.param == "postgres":
        if not POSTGRES_URL:
            unavailable(
                "QUICKSCALE_TEST_DATABASE_URL is not set (postgres://user:pw@host:port/db), "
                "so the PostgreSQL variant cannot run"
            )
        alias = "postgres"
    with use_database(alias):
        yield alias


@pytest.fixture(scope="session")
def spanish() -> None:
    """The Spanish catalogues of both themes, compiled (the todo pages use the starter's)."""
    compile_catalogues("quickscale_themes.starter", "quickscale_themes.todo")


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from django.contrib.auth import get_user_model

    def factory(username: str, **extra: Any) -> Any:
        extra.setdefault("email", f"{username}@example.com")
        return get_user_model().objects.create_user(
            username=username, password="pw-123456", **extra
        )

    return factory


@pytest.fixture
def alice(backend: str, make_user: Callable[..., Any]) -> Any:
    return make_user("alice")


@pytest.fixture
def mallory(backend: str, make_user: Callable[..., Any]) -> Any:
    return make_user("mallory")


@pytest.fixture
def alice_client(alice: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def mallory_client(mallory: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(mallory)
    return client
