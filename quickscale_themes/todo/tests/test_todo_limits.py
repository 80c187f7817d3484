"""A policy's limit holds when requests create lists at the same moment.

Six threads, each with its own database connection, create a list for one user at
once under a three-list policy. The count, the policy's answer and the insert are one
transaction holding the owner (services._hold_owner), so exactly three are created
and three refused: on PostgreSQL by a row lock, on SQLite by its single writer (an
SQLite error "database is locked" would count as a failure here, not as a refusal).
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from quickscale_themes.todo.errors import ListLimitReached
from quickscale_themes.todo.models import TodoList
from quickscale_themes.todo.policy import TodoPolicy

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db(transaction=True, databases="__all__")]

LIMIT = 3
PARALLEL = 6


class SlowThreeLists(TodoPolicy):
    """Three lists, answered slowly: the gap between the count and the insert, where
    two requests would both see room for the last list, lasts a tenth of a second."""

    def may_create_list(self, user: Any, existing_lists: int) -> bool:
        time.sleep(0.1)
        return existing_lists < LIMIT


@pytest.fixture(params=["sqlite_file", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database that several connections open at once: an SQLite file, PostgreSQL."""
    from conftest import POSTGRES_URL
    from dbrouting import use_database
    from quickscale_testing.modules import unavailable

    if request.param == "postgres" and not POSTGRES_URL:
        unavailable("QUICKSCALE_TEST_DATABASE_URL is not set, so the PostgreSQL run cannot run")
    with use_database(request.param):
        yield request.param


def _create_at_once(owner: Any) -> Counter[str]:
    """What each of PARALLEL simultaneous list_create calls ended in."""
    start = threading.Barrier(PARALLEL)
    outcomes: Counter[str] = Counter()

    def create(n: int) -> None:
        start.wait()
        try:
            services.list_create(owner=owner, title=f"List {n}")
            outcomes["created"] += 1
        except ListLimitReached:
            outcomes["refused"] += 1
        except Exception as error:  # any other end is the finding
            outcomes[repr(error)] += 1
        finally:
            connections.close_all()  # this thread's own connections

    # Each thread runs in a copy of this context: the database chosen by the fixture.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(create, n))
        for n in range(PARALLEL)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("already", [0, LIMIT - 1])
def test_simultaneous_creations_never_pass_the_policy_s_limit(
    shared_database: str, settings: Any, already: int
) -> None:
    settings.QUICKSCALE_TODO_POLICY = f"{__name__}.SlowThreeLists"
    users = get_user_model()._default_manager.db_manager(shared_database)
    owner = users.create_user(username="alice", email="alice@example.com", password="pw-12345")
    for n in range(already):
        TodoList.objects.using(shared_database).create(owner=owner, title=f"Earlier {n}")

    outcomes = _create_at_once(owner)

    room = LIMIT - already
    assert outcomes == Counter(created=room, refused=PARALLEL - room)
    assert TodoList.objects.using(shared_database).filter(owner=owner).count() == LIMIT
