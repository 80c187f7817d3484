"""Routes ORM queries to the alias chosen by the ``backend`` fixture (SQLite or PostgreSQL).

This lets one pytest run exercise services, selectors and views on both databases
without the code under test knowing: it never names a database alias.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_active: ContextVar[str | None] = ContextVar("quickscale_todo_test_database", default=None)


@contextmanager
def use_database(alias: str) -> Iterator[None]:
    token = _active.set(alias)
    try:
        yield
    finally:
        _active.reset(token)


class ActiveDatabaseRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return _active.get()

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return _active.get()
