"""What the analytics module stores: events, and the salt of the day's visitor hashes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    """One thing that happened: its type, when, the user if any, and its properties.

    ``visitor`` is never an IP address: it is a hash of the address and user agent with
    the day's random salt (see :mod:`quickscale_modules.analytics.privacy`), so visits
    can be counted within a day and never linked across days or back to an address.
    """

    # Makes a second delivery of the same event (a task run twice) a no-op.
    uid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=100)
    timestamp = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visitor = models.CharField(max_length=64, blank=True, default="")
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "quickscale_analytics"
        ordering = ["-timestamp"]
        indexes = [
            models.Index(fields=["timestamp"], name="qs_analytics_time"),
            models.Index(fields=["event_type", "timestamp"], name="qs_analytics_type_time"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} at {self.timestamp:%Y-%m-%d %H:%M:%S}"


class DailySalt(models.Model):
    """The random salt of one day's visitor hashes; yesterday's is deleted when today's
    is made, so no hash can be recomputed from an address afterwards."""

    day = models.DateField(unique=True)
    value = models.CharField(max_length=64)

    class Meta:
        app_label = "quickscale_analytics"

    def __str__(self) -> str:
        return str(self.day)
