"""Recording and pruning events (HackSoft style: writes here, reads in selectors.py).

``track`` never makes a request wait on the database when the project has a task queue:
with a Celery broker configured (CELERY_BROKER_URL, and tasks not run eagerly) the event
goes to a worker once the surrounding transaction commits; without one it is written
at once, in-process. Properties are stored as JSON (dates, decimals and UUIDs as text).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from quickscale_modules.analytics.models import Event

MAX_EVENT_TYPE = 100
DEFAULT_RETENTION_DAYS = 365


def queue_available() -> bool:
    """A broker is configured and tasks do not run in-process."""
    return bool(getattr(settings, "CELERY_BROKER_URL", "")) and not getattr(
        settings, "CELERY_TASK_ALWAYS_EAGER", False
    )


def payload(
    event_type: str, *, user: Any = None, visitor: str = "", properties: dict[str, Any]
) -> dict[str, Any]:
    """The event as JSON-ready data (what a task message carries)."""
    if not event_type or len(event_type) > MAX_EVENT_TYPE:
        raise ValueError(f"event_type must be 1 to {MAX_EVENT_TYPE} characters")
    user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    return {
        "uid": str(uuid.uuid4()),
        "event_type": event_type,
        "timestamp": timezone.now().isoformat(),
        "user_id": user_id,
        "visitor": visitor,
        "properties": json.loads(json.dumps(properties, cls=DjangoJSONEncoder)),
    }


def record(data: dict[str, Any]) -> None:
    """Write one event from its payload; a second delivery of the same payload (a task
    run twice) writes nothing more."""
    user_id = data.get("user_id")
    if user_id is not None and not get_user_model()._default_manager.filter(pk=user_id).exists():
        user_id = None  # the user was deleted meanwhile
    timestamp = parse_datetime(data["timestamp"])
    Event.objects.bulk_create(
        [
            Event(
                uid=uuid.UUID(data["uid"]),
                event_type=data["event_type"],
                timestamp=timestamp,
                user_id=user_id,
                visitor=data.get("visitor", ""),
                properties=data.get("properties", {}),
            )
        ],
        ignore_conflicts=True,
    )


def submit(data: dict[str, Any]) -> None:
    if queue_available():
        from quickscale_modules.analytics.tasks import record_event

        transaction.on_commit(lambda: record_event.delay(data))
    else:
        record(data)


def track(event_type: str, user: Any = None, **props: Any) -> None:
    """Record that ``event_type`` happened (to ``user``, if given) with ``props``.

    >>> track("signup", user=request.user, plan="pro")
    """
    submit(payload(event_type, user=user, properties=props))


def retention_days() -> int:
    return int(getattr(settings, "QUICKSCALE_ANALYTICS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def prune(days: int | None = None, *, now: datetime | None = None) -> int:
    """Delete events older than ``days`` (default: the configured retention); how many."""
    days = retention_days() if days is None else days
    if days < 1:
        raise ValueError("the retention must be at least one day")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = Event.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
