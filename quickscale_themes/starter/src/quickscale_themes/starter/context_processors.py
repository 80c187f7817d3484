"""Optional context processor: exposes the site name used by the layout's title and header."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """``quickscale_site_name`` from settings.QUICKSCALE_SITE_NAME (templates default it)."""
    return {"quickscale_site_name": getattr(settings, "QUICKSCALE_SITE_NAME", "QuickScale")}
