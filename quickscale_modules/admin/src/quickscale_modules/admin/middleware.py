"""The admin's Content-Security-Policy, relaxed for the admin's pages only.

django-unfold's interface runs on Alpine.js (standard build: it evaluates attribute
expressions with ``new Function``, so ``'unsafe-eval'``) and writes the theme's colours
in an inline ``<style>`` and ``style`` attributes (``'unsafe-inline'``, which browsers
ignore while a nonce is in the same directive, so the nonce is dropped there). Every
page outside the admin keeps the strict policy. Place this after django-csp's
CSPMiddleware, which reads what this sets on the response.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, reverse

ADMIN_POLICY: dict[str, list[str]] = {
    "script-src": [SELF, UNSAFE_EVAL],
    "style-src": [SELF, UNSAFE_INLINE],
}


def admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


class AdminPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        prefix = admin_prefix()
        if prefix and request.path.startswith(prefix):
            response._csp_replace = ADMIN_POLICY  # type: ignore[attr-defined]
        return response
