"""Small helpers for views that answer htmx requests with partials and others with pages.

Every view that varies on ``HX-Request`` must say so in ``Vary``: otherwise a cache (or
the browser's back button) can serve a fragment where a full page is expected.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """True for an htmx-initiated request that expects a fragment.

    A history-restore request (the user pressed back and htmx had no snapshot) needs the
    whole page, so it counts as a normal request.
    """
    headers = request.headers
    return (
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Mark ``response`` as depending on the htmx headers."""
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


def htmx_redirect(url: str) -> HttpResponse:
    """Tell htmx to navigate to ``url`` (used after deleting the page's own object)."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response
