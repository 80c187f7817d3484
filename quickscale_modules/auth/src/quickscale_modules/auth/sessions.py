"""Signed-in sessions (allauth.usersessions): list them, end one or all.

allauth's page ends only "all other sessions"; ending one is this module's view, through
allauth's own flow (which logs the browser out when it ends its own session). Ending a
session deletes it from the session store, so the store must be on the server: a
signed-cookie engine keeps sessions in the browser, where nothing can end them, and the
system check below refuses it while the feature is on.
"""

from __future__ import annotations

import ipaddress
import re
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends import signed_cookies
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

APP = "allauth.usersessions"

#: (pattern, name): the first browser and system found in a User-Agent, in this order
#: (Edge and Opera also say "Chrome", Chrome also says "Safari", Android also "Linux").
BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
SYSTEMS = [
    (r"Android", "Android"),
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]


def enabled() -> bool:
    return apps.is_installed(APP)


def device(user_agent: str) -> str:
    """A short name for a User-Agent ("Firefox on Linux"), for people to recognise."""
    browser = next((name for p, name in BROWSERS if re.search(p, user_agent)), "")
    system = next((name for p, name in SYSTEMS if re.search(p, user_agent)), "")
    if browser and system:
        both: str = _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
        return both
    unknown: str = _("Unknown device")
    return browser or system or unknown


def network(address: str) -> str:
    """The network of an address (its /24, or /48 for IPv6): an approximate location
    that names the network, not the machine."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def described(sessions: list[Any]) -> list[dict[str, Any]]:
    """What the sessions page shows of each of allauth's UserSession rows."""
    return [
        {
            "session": s,
            "device": device(s.user_agent),
            "network": network(s.ip),
            "current": s.is_current(),
        }
        for s in sessions
    ]


@require_POST
@login_required
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    """End one of the user's own sessions (another user's id is a 404)."""
    from allauth.account.adapter import get_adapter
    from allauth.usersessions.internal.flows.sessions import end_sessions
    from allauth.usersessions.models import UserSession

    session = get_object_or_404(UserSession, pk=pk, user_id=request.user.pk)
    current = session.is_current()
    end_sessions(request, [session])
    if current:  # allauth logged this browser out
        return redirect(settings.ACCOUNT_LOGOUT_REDIRECT_URL)
    get_adapter().add_message(request, messages.INFO, "quickscale_auth/messages/session_ended.txt")
    return redirect("usersessions_list")


def _engine_keeps_sessions_in_the_browser(engine: str) -> bool:
    try:
        store = import_module(engine).SessionStore
    except (ImportError, AttributeError):
        return False  # Django's own checks and first request report a broken engine
    return issubclass(store, signed_cookies.SessionStore)


def check_session_engine(**kwargs: Any) -> list[checks.CheckMessage]:
    """With the sessions feature on, its app is installed and the session engine keeps
    sessions on the server."""
    wanted = [
        name
        for name in ("QUICKSCALE_AUTH_SESSIONS", "USERSESSIONS_TRACK_ACTIVITY")
        if getattr(settings, name, False)
    ]
    if wanted and not enabled():  # set by hand, or by one environment only
        return [
            checks.Error(
                f"{wanted[0]} is on but {APP} is not in INSTALLED_APPS, so users have "
                "no sessions page",
                hint="turn the auth module's option sessions on in quickscale.yml, then "
                f"run 'quickscale generate'; or remove {wanted[0]} from settings.py",
                id="quickscale_auth.E002",
            )
        ]
    if not enabled() or not _engine_keeps_sessions_in_the_browser(settings.SESSION_ENGINE):
        return []
    return [
        checks.Error(
            f"SESSION_ENGINE {settings.SESSION_ENGINE!r} keeps sessions in signed cookies, "
            "so the auth module's sessions page cannot end another browser's session",
            hint="set DJANGO_SESSION_BACKEND to db, cached_db or cache (a server-side "
            "engine), or turn the auth module's options sessions and session_activity off",
            id="quickscale_auth.E001",
        )
    ]
