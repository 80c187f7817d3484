"""Optional page-view tracking: one ``page_view`` event per HTML page a person loads.

Not counted: anything but a successful GET of an HTML page, static and media files,
health checks and the other ignored paths (QUICKSCALE_ANALYTICS_IGNORE_PATHS), bots
and scripts (by user agent), htmx partial requests, and browsers that ask not to be
tracked (Global Privacy Control or Do Not Track). The path is stored without its query
string (which can carry personal data); the visitor only as the day's salted hash.
A failure to record is logged and never breaks the page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponseBase
from quickscale_modules.analytics.selectors import PAGE_VIEW

from quickscale_modules.analytics import privacy, services

logger = logging.getLogger(__name__)

BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|uptime|"
    r"pingdom|lighthouse|curl|wget|httpx|python-requests|python-urllib|aiohttp|go-http|"
    r"java/|libwww|okhttp|scrapy|headlesschrome|phantomjs",
    re.IGNORECASE,
)
DEFAULT_IGNORED = ("/admin/", "/health/", "/favicon.ico", "/robots.txt")


def ignored_prefixes() -> tuple[str, ...]:
    prefixes = list(getattr(settings, "QUICKSCALE_ANALYTICS_IGNORE_PATHS", DEFAULT_IGNORED))
    for name in ("STATIC_URL", "MEDIA_URL"):
        url = str(getattr(settings, name, "") or "")
        if url.startswith("/") and url != "/":
            prefixes.append(url)
    return tuple(prefixes)


def is_bot(user_agent: str) -> bool:
    return not user_agent or BOTS.search(user_agent) is not None


def counts(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether this request is a page view a person made."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if request.path.startswith(ignored_prefixes()):
        return False
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true":
        return False
    return not is_bot(request.headers.get("User-Agent", "")) and not privacy.opted_out(request)


class PageViewMiddleware:
    """Records page views; stands aside (MiddlewareNotUsed) when the project's
    QUICKSCALE_ANALYTICS_PAGE_VIEWS (quickscale.yml's page_views) is False."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not getattr(settings, "QUICKSCALE_ANALYTICS_PAGE_VIEWS", True):
            raise MiddlewareNotUsed("page_views is off")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        try:
            if counts(request, response):
                user = getattr(request, "user", None)
                services.submit(
                    services.payload(
                        PAGE_VIEW,
                        user=user,
                        visitor=privacy.visitor_hash(request),
                        properties={"path": request.path},
                    )
                )
        except Exception:  # analytics must never break a page
            logger.exception("page view not recorded for %s", request.path)
        return response
