"""Defaults a component's app gives the settings it reads, as allauth's app_settings do.

A module's AppConfig calls :func:`set_defaults` when Django creates it, before any
model is imported and before any app is ready, so the libraries it wraps (allauth,
dj-stripe, dbbackup, auditlog, unfold) find their settings where they look for them.
A name the project's settings set explicitly is left alone: the project's plain
assignment always wins. No library is needed for this (django-appconf does the same
with a class per app); these two functions are all of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings


def set_defaults(defaults: Mapping[str, Any]) -> None:
    """Set each of ``defaults`` that the project's settings do not set themselves."""
    for name, value in defaults.items():
        if not settings.is_overridden(name):
            setattr(settings, name, value)


def add_entries(name: str, entries: Mapping[str, Any]) -> None:
    """Add ``entries`` to the dict setting ``name`` (CELERY_BEAT_SCHEDULE, STORAGES), each
    key the project's own dict does not have already: its entry of that key wins."""
    current = dict(getattr(settings, name, None) or {})
    setattr(settings, name, {**current, **{k: v for k, v in entries.items() if k not in current}})
