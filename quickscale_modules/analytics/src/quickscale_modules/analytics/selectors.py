"""Reads for the admin's report: events per day and the most viewed pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from quickscale_modules.analytics.models import Event

PAGE_VIEW = "page_view"


def _since(days: int) -> Any:
    return timezone.now() - timedelta(days=days)


def events_per_day(days: int = 30) -> list[dict[str, Any]]:
    """[{"day": date, "events": n, "visitors": n}], oldest first, days with events only."""
    rows = (
        Event.objects.filter(timestamp__gte=_since(days))
        .annotate(day=TruncDate("timestamp"))
        .values("day")
        .annotate(events=Count("id"))
        .order_by("day")
    )
    visitors: dict[date, int] = {
        row["day"]: row["visitors"]
        for row in Event.objects.filter(timestamp__gte=_since(days))
        .exclude(visitor="")
        .annotate(day=TruncDate("timestamp"))
        .values("day")
        .annotate(visitors=Count("visitor", distinct=True))
    }
    return [{**row, "visitors": visitors.get(row["day"], 0)} for row in rows]


def top_pages(days: int = 30, limit: int = 10) -> list[dict[str, Any]]:
    """[{"path": str, "views": n}] of page views, most viewed first."""
    rows = (
        Event.objects.filter(event_type=PAGE_VIEW, timestamp__gte=_since(days))
        .values("properties__path")
        .annotate(views=Count("id"))
        .order_by("-views", "properties__path")[:limit]
    )
    return [{"path": row["properties__path"], "views": row["views"]} for row in rows]
