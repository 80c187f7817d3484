"""Admin actions for the project's user admin: export the selected users' data, erase
them after a confirmation page (the generated admin.py mixes this in)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from quickscale_core.personal_data import services

CONFIRM_FIELD = "erase_confirmed"
EXPORT = _("Export personal data of the selected users")
ERASE = _("Erase personal data of the selected users")


def export_zip(users: QuerySet[Model]) -> bytes:
    """One zip holding each user's archive unpacked in a folder ``user-<id>/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for user in users.order_by("pk"):
            with zipfile.ZipFile(io.BytesIO(services.export_archive(user))) as one:
                for name in one.namelist():
                    bundle.writestr(f"user-{user.pk}/{name}", one.read(name))
    return buffer.getvalue()


class PersonalDataAdminMixin:
    """Adds "Export personal data" and "Erase personal data" to a user ModelAdmin."""

    actions = ["export_personal_data", "erase_personal_data"]

    @admin.action(description=EXPORT, permissions=["change"])  # type: ignore[untyped-decorator]
    def export_personal_data(self, request: HttpRequest, queryset: QuerySet[Model]) -> HttpResponse:
        response = HttpResponse(export_zip(queryset), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="personal-data.zip"'
        return response

    @admin.action(description=ERASE, permissions=["delete"])  # type: ignore[untyped-decorator]
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[Model]
    ) -> HttpResponse | None:
        model_admin: Any = self
        if request.POST.get(CONFIRM_FIELD) != "yes":
            context = {
                **model_admin.admin_site.each_context(request),
                "title": gettext("Erase personal data: are you sure?"),
                "users": list(queryset.order_by("pk")),
                "opts": model_admin.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "confirm_field": CONFIRM_FIELD,
            }
            request.current_app = model_admin.admin_site.name
            return TemplateResponse(
                request, "admin/quickscale_core/personal_data/erase_confirmation.html", context
            )
        erased = 0
        for user in list(queryset.order_by("pk")):
            try:
                services.erase_user(user)
            except Exception as exc:  # that user's erasure rolled back; say which and why
                text = gettext("Erasing %(user)s failed and nothing of theirs changed (%(error)s).")
                error = f"{type(exc).__name__}: {exc}"
                model_admin.message_user(
                    request, text % {"user": user, "error": error}, messages.ERROR
                )
            else:
                erased += 1
        done = ngettext(
            "Erased the personal data of %(count)d user.",
            "Erased the personal data of %(count)d users.",
            erased,
        )
        model_admin.message_user(request, done % {"count": erased}, messages.SUCCESS)
        return None
