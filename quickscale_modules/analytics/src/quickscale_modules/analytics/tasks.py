"""Celery tasks (found by the project's Celery app through autodiscovery)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from quickscale_modules.analytics import services


@shared_task(name="quickscale_analytics.record_event", ignore_result=True)
def record_event(data: dict[str, Any]) -> None:
    services.record(data)


@shared_task(name="quickscale_analytics.prune_events", ignore_result=True)
def prune_events() -> int:
    return services.prune()
