"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def quickscale(request: HttpRequest) -> dict[str, str]:
    """Expose the active frontend variant, so templates can mark it (e.g. a body class)."""
    return {"quickscale_variant": getattr(settings, "QUICKSCALE_VARIANT", "default")}
