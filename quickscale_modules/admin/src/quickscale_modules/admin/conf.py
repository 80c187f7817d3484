"""The admin module's settings, resolved by its app when Django loads it.

django-unfold's UNFOLD (the site's name, icon and colours: the themes' stylesheets, then
the variant's) and django-auditlog's AUDITLOG_* are defaults here, so a project's
settings.py stays short: assigning one of these names there wins
(quickscale_core.app_settings).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from quickscale_modules.admin.settings import (
    AUDITLOG_EXCLUDE,
    AUDITLOG_EXCLUDE_FIELDS,
    theme_stylesheets,
    unfold_config,
)

THEME_PREFIX = "quickscale_themes."


def defaults(settings: Any) -> dict[str, Any]:
    themes = [
        app.removeprefix(THEME_PREFIX)
        for app in settings.INSTALLED_APPS
        if app.startswith(THEME_PREFIX)
    ]
    return {
        "UNFOLD": unfold_config(
            site_title=getattr(settings, "QUICKSCALE_SITE_NAME", "") or _("Administration"),
            stylesheets=[*theme_stylesheets(themes), "css/variant.css"],
            favicon="favicon.svg",  # the site's icon (custom_frontend/static/)
        ),
        # Every model's changes are recorded, but for these (see settings.py).
        "AUDITLOG_INCLUDE_ALL_MODELS": True,
        "AUDITLOG_EXCLUDE_TRACKING_MODELS": AUDITLOG_EXCLUDE,
        "AUDITLOG_EXCLUDE_TRACKING_FIELDS": AUDITLOG_EXCLUDE_FIELDS,
        # Who made a change, never from where: django-auditlog would store the first
        # X-Forwarded-For address, which any client can forge (docs/security.md).
        "AUDITLOG_DISABLE_REMOTE_ADDR": True,
    }
