"""CSV export, an admin action available on every admin list.

Exporting is a right of its own (``quickscale_admin.export_csv``; superusers hold it
implicitly), not "view": an export copies whole rows out of the site. Whoever holds it
still never gets a secret field (see :func:`is_secret`), not even from a list whose
pages would show it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Field, Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

#: The permission the export needs (the module's own, see models.CsvExport).
EXPORT_PERMISSION = "quickscale_admin.export_csv"
#: A field whose name has one of these words (split at "_") holds a secret.
SECRET_WORDS = frozenset({"password", "passwd", "token", "secret", "salt"})
#: The marking of QUICKSCALE_FIELD_MARKINGS that keeps a field out of every export.
SECRET = "secret"

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


def is_secret(model: type[Model], field: Field[Any, Any]) -> bool:
    """Whether ``field`` of ``model`` must never leave the site in an export.

    A field is secret when the project's QUICKSCALE_FIELD_MARKINGS (core's and the
    components' manifests, written by generation) marks it so on the model or on the
    model that defines it (a proxy's or a child's parent), or when its name says it is
    one: a password hash, a token, a secret, a salt, or a name ending in ``_key``.
    """
    if named_secret(field.name):
        return True
    markings = getattr(settings, "QUICKSCALE_FIELD_MARKINGS", {})
    concrete = model._meta.concrete_model or model
    owners = {model._meta.label, field.model._meta.label, concrete._meta.label}
    return any(SECRET in markings.get(label, {}).get(field.name, ()) for label in owners)


def named_secret(name: str) -> bool:
    """Whether a field's name says it holds a secret (``password``, ``api_key``…)."""
    lowered = name.lower()
    return bool(SECRET_WORDS.intersection(lowered.split("_"))) or lowered.endswith("_key")


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


@admin.action(description="Export selected rows as CSV", permissions=["export_csv"])
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
