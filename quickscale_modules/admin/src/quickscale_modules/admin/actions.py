"""CSV export, an admin action available on every admin list.

Exporting is a right of its own (``quickscale_admin.export_csv``; superusers hold it
implicitly), not "view": an export copies whole rows out of the site. Whoever holds it
still never gets a secret field (see :mod:`quickscale_modules.admin.fields`), not even
from a list whose pages would show it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Field, Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from quickscale_modules.admin.fields import is_secret

#: The permission the export needs (the module's own, see models.CsvExport).
EXPORT_PERMISSION = "quickscale_admin.export_csv"
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


def exported_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The concrete fields an export holds: every one but the secret ones."""
    return [f for f in model._meta.concrete_fields if not is_secret(model, f)]


def rows(model: type[Model], queryset: QuerySet[Any]) -> Iterator[list[str]]:
    """A header of field names, then one row per object, secret fields left out."""
    fields = exported_fields(model)
    yield [f.name for f in fields]
    for obj in queryset.iterator(chunk_size=2000):
        yield [cell(f.value_from_object(obj)) for f in fields]


def has_export_csv_permission(modeladmin: ModelAdmin[Any], request: HttpRequest) -> bool:
    """The export's own right on a list the user may view (offered only then)."""
    return request.user.has_perm(EXPORT_PERMISSION) and modeladmin.has_view_permission(request)


@admin.action(description=_("Export selected rows as CSV"), permissions=["export_csv"])
def export_csv(
    modeladmin: ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> StreamingHttpResponse:
    if not has_export_csv_permission(modeladmin, request):  # the list offers it only then
        raise PermissionDenied
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
