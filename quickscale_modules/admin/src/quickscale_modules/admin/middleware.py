"""The admin's Content-Security-Policy, relaxed for the admin's pages only.

django-unfold's interface runs on Alpine.js (standard build: it evaluates attribute
expressions with ``new Function``, so ``'unsafe-eval'``) and writes the theme's colours
in an inline ``<style>`` and ``style`` attributes (``'unsafe-inline'``, which browsers
ignore while a nonce is in the same directive, so the nonce is dropped there). Every
page outside the admin keeps the strict policy. Place this after django-csp's
CSPMiddleware, which reads what this sets on the response.

``'unsafe-eval'`` cannot go while unfold is what it is (0.91): it ships only Alpine's
standard build, and its templates write expressions Alpine's CSP build cannot evaluate
(object literals, assignments, comparisons in ``x-data``, ``x-on`` and ``x-show``). So
with it, any ``x-*`` attribute that reaches an admin page runs as script: the admin's
pages must never carry HTML from data. Config text reaches them only escaped (help
texts, see quickscale_toolchain.generator.customizations), and the module's tests fail when
unfold starts shipping a CSP build, the moment to drop ``'unsafe-eval'``.
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
