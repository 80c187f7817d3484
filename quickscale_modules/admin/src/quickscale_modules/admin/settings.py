"""Settings helpers for the admin module (called from the project's settings.py).

The generated settings write each value explicitly; these functions only build the
values that are long (django-unfold's configuration) or found on disk (the stylesheets
that carry the site's colours).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.utils.functional import Promise

#: unfold's primary palette, every shade mixed from the site's own --qs-primary (set by
#: the theme's stylesheet and overridden by the variant's variant.css): 600 is the
#: brand colour itself, lighter shades mix in white, darker ones black.
_MIX = {
    "50": ("white", 8),
    "100": ("white", 15),
    "200": ("white", 30),
    "300": ("white", 50),
    "400": ("white", 75),
    "500": ("white", 90),
    "600": (None, 100),
    "700": ("black", 85),
    "800": ("black", 70),
    "900": ("black", 55),
    "950": ("black", 40),
}
BRAND_VARIABLE = "--qs-primary"
BRAND_FALLBACK = "#3341b3"  # only if no stylesheet defines the variable
#: The module's adjustments to unfold's styles (text colour on primary buttons).
ADMIN_STYLESHEET = "quickscale_admin/css/admin.css"


def primary_palette(
    variable: str = BRAND_VARIABLE, fallback: str = BRAND_FALLBACK
) -> dict[str, str]:
    brand = f"var({variable}, {fallback})"
    return {
        shade: brand if other is None else f"color-mix(in srgb, {brand} {share}%, {other})"
        for shade, (other, share) in _MIX.items()
    }


def theme_stylesheets(theme_chain: Iterable[str]) -> list[str]:
    """The static paths of the themes' own stylesheets (quickscale_<t>/css/<t>.css),
    base theme first, those that exist only."""
    found = []
    for name in theme_chain:
        spec = importlib.util.find_spec(f"quickscale_themes.{name}")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            relative = f"quickscale_{name}/css/{name}.css"
            if (Path(folder) / "static" / relative).is_file():
                found.append(relative)
                break
    return found


def _static(path: str) -> Callable[[Any], str]:
    def url(request: Any) -> str:
        from django.templatetags.static import static

        return static(path)

    return url


def unfold_config(
    *, site_title: str | Promise, stylesheets: Sequence[str], favicon: str | None = None
) -> dict[str, Any]:
    """django-unfold's UNFOLD setting: the site's name (a lazy translation shows in the
    request's language), icon, colours and our dashboard."""
    icons = [{"rel": "icon", "type": "image/svg+xml", "href": _static(favicon)}] if favicon else []
    return {
        "SITE_FAVICONS": icons,
        "SITE_TITLE": site_title,
        "SITE_HEADER": site_title,
        "SITE_SYMBOL": "dashboard",
        "SHOW_HISTORY": True,
        "SHOW_VIEW_ON_SITE": True,
        # The site's sheets, then the module's own (quickscale_admin/css/admin.css).
        "STYLES": [_static(path) for path in (*stylesheets, ADMIN_STYLESHEET)],
        "COLORS": {"primary": primary_palette()},
        "DASHBOARD_CALLBACK": "quickscale_modules.admin.dashboard.dashboard_callback",
    }


#: Models whose changes are not worth an audit entry: sessions change on every request,
#: the log must not log itself, and the login rate limiter's rows are its own record.
AUDITLOG_EXCLUDE = [
    "sessions.Session",
    "auditlog.LogEntry",
    "admin.LogEntry",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "contenttypes.ContentType",
    "auth.Permission",
    "migrations.Migration",
]
#: Never copied into the log: password hashes, and the login time that every login
#: changes (the login itself is in django-axes' records).
AUDITLOG_EXCLUDE_FIELDS = ["password", "last_login"]
