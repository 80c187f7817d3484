"""Entitlement-limited creation: ``create_within_limit`` creates while the plan allows
one more, and holds when requests arrive together (SQLite file, and PostgreSQL in the
suite's PostgreSQL run).

The rows counted stand for anything a user owns that a plan limits: admin log entries
of the user, as this test project has no model of its own.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connections
from quickscale_modules.billing.models import Plan, Subscription

from quickscale_modules.billing import services

PARALLEL = 6


def _add(user: Any, *, delay: float = 0.0) -> Any:
    """A creation for ``create_within_limit``; ``delay`` stretches the time between
    the count and the insert, where two requests at once would both see room."""

    def create() -> LogEntry:
        time.sleep(delay)
        return LogEntry.objects.create(user=user, action_flag=ADDITION, object_repr="report")

    return create


def _create(user: Any, key: str = "todo.lists", delay: float = 0.0) -> LogEntry:
    used = LogEntry.objects.filter(user=user)
    return services.create_within_limit(user, key, used=used, create=_add(user, delay=delay))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("plan", "key", "existing", "created"),
    [
        ("free", "todo.lists", 0, True),
        ("free", "todo.lists", 2, True),  # the third of three
        ("free", "todo.lists", 3, False),
        ("free", "todo.lists", 7, False),  # over it already (a downgrade): still no
        ("pro", "todo.lists", 50, True),  # no limit
        ("free", "reports.export", 0, False),  # not in the plan at all
        ("team", "team.seats", 9, True),
        ("team", "team.seats", 10, False),
    ],
)
def test_a_creation_is_refused_once_the_plan_s_limit_is_reached(
    plans: Any, ada: Any, plan: str, key: str, existing: int, created: bool
) -> None:
    if plan != "free":
        Subscription.objects.create(user=ada, plan=Plan.objects.get(key=plan), status="active")
    for _ in range(existing):
        _add(ada)()
    if created:
        assert _create(ada, key).user_id == ada.pk
        assert LogEntry.objects.filter(user=ada).count() == existing + 1
    else:
        with pytest.raises(services.LimitReached) as refused:
            _create(ada, key)
        assert refused.value.key == key
        assert isinstance(refused.value, services.BillingError)  # one error type to catch
        assert LogEntry.objects.filter(user=ada).count() == existing


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [0, 2])
def test_creations_arriving_together_never_pass_the_limit(
    plans: Any, ada: Any, existing: int
) -> None:
    """Free plan: three. Each thread has its own database connection."""
    for _ in range(existing):
        _add(ada)()
    start = threading.Barrier(PARALLEL)
    outcomes: Counter[str] = Counter()

    def request() -> None:
        start.wait()
        try:
            _create(ada, delay=0.1)
            outcomes["created"] += 1
        except services.LimitReached:
            outcomes["refused"] += 1
        except Exception as error:  # "database is locked" would be a failure, not a no
            outcomes[repr(error)] += 1
        finally:
            connections.close_all()  # this thread's own

    threads = [threading.Thread(target=request) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == Counter(created=3 - existing, refused=PARALLEL - 3 + existing)
    assert LogEntry.objects.filter(user=ada).count() == 3
