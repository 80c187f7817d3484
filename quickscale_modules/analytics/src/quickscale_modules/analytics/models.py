"""What the analytics module stores: events, and the salt of the day's visitor hashes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One thing that happened: its type, when, the user if any, and its properties.

    ``visitor`` is never an IP address: it is a hash of the address and user agent with
    the day's random salt (see :mod:`quickscale_modules.analytics.privacy`), so visits
    can be counted within a day and never linked across days or back to an address.
    """

    # Makes a second delivery of the same event (a task run twice) a no-op.
    uid = models.UUIDField(_("unique id"), unique=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event type"), max_length=100)
    timestamp = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    visitor = models.CharField(_("visitor"), max_length=64, blank=True, default="")
    properties = models.JSONField(_("properties"), default=dict, blank=True)

    class Meta:
        app_label = "quickscale_analytics"
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-timestamp"]
        indexes = [
            models.Index(fields=["timestamp"], name="qs_analytics_time"),
            models.Index(fields=["event_type", "timestamp"], name="qs_analytics_type_time"),
        ]

    def __str__(self) -> str:
        when = date_format(timezone.template_localtime(self.timestamp), "SHORT_DATETIME_FORMAT")
        return gettext("%(type)s at %(time)s") % {"type": self.event_type, "time": when}


class DailySalt(models.Model):
    """The random salt of one day's visitor hashes; yesterday's is deleted when today's
    is made, so no hash can be recomputed from an address afterwards."""

    day = models.DateField(_("day"), unique=True)
    value = models.CharField(_("value"), max_length=64)

    class Meta:
        app_label = "quickscale_analytics"
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self) -> str:
        return str(self.day)
