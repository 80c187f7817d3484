"""CSV export, an admin action available on every admin list."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line (csv.writer into a stream)."""

    def write(self, value: str) -> str:
        return value


def cell(value: Any) -> str:
    """A value as spreadsheet-safe text: None is empty, formulas are quoted with '."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def rows(model: type[Model], queryset: QuerySet[Any]) -> Iterator[list[str]]:
    """A header of field names, then one row per object, every concrete field."""
    fields = [f for f in model._meta.concrete_fields]
    yield [f.name for f in fields]
    for obj in queryset.iterator(chunk_size=2000):
        yield [cell(f.value_from_object(obj)) for f in fields]


@admin.action(description="Export selected rows as CSV", permissions=["view"])
def export_csv(
    modeladmin: ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> StreamingHttpResponse:
    model = modeladmin.model
    writer = csv.writer(_Echo())
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    filename = f"{model._meta.app_label}-{model._meta.model_name}-{stamp}.csv"
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows(model, queryset.order_by("pk"))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
