"""The events in the admin (read-only) and the report: events per day and top pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_noop, ngettext
from quickscale_modules.analytics.models import Event

from quickscale_modules.analytics import selectors

REPORT_DAYS = 30
#: The label of this module's admin counter (its manifest's ``counters``), for its
#: catalogue: the admin module's dashboard shows it translated.
COUNTER_LABEL = gettext_noop("Analytics events")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("timestamp", "event_type", "user", "properties")
    list_filter = ("event_type",)
    search_fields = ("event_type",)
    date_hierarchy = "timestamp"
    list_select_related = ("user",)
    readonly_fields = ("uid", "event_type", "timestamp", "user", "visitor", "properties")
    change_list_template = "quickscale_analytics/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # events come from the site, never from a form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        report = self.admin_site.admin_view(self.report_view)
        return [
            path("report/", report, name="quickscale_analytics_event_report"),
            *super().get_urls(),
        ]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        per_day = selectors.events_per_day(REPORT_DAYS)
        peak = max((row["events"] for row in per_day), default=0)
        context = {
            **self.admin_site.each_context(request),
            "title": ngettext(
                "Analytics: the last %(days)d day", "Analytics: the last %(days)d days", REPORT_DAYS
            )
            % {"days": REPORT_DAYS},
            "opts": self.model._meta,
            "days": REPORT_DAYS,
            "per_day": [{**row, "share": round(100 * row["events"] / peak)} for row in per_day],
            "top_pages": selectors.top_pages(REPORT_DAYS),
            "total": sum(row["events"] for row in per_day),
        }
        return TemplateResponse(request, "quickscale_analytics/report.html", context)
