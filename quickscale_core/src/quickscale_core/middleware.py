"""Response headers of the security baseline that neither Django nor django-csp sends.

- ``Permissions-Policy``: the powerful browser features no page of the site uses are
  switched off (``QUICKSCALE_PERMISSIONS_POLICY``: feature -> allowed origins, where
  ``"self"`` is the site itself and an empty list allows nobody).
- ``Cross-Origin-Resource-Policy`` (``QUICKSCALE_CROSS_ORIGIN_RESOURCE_POLICY``): other
  sites cannot embed the site's responses.
- ``Cache-Control: no-store`` (and Django's other never-cache headers) on every response
  to a logged-in user, so no browser or shared cache keeps a copy of private pages.

A header a view already set is left alone, except the caching of logged-in pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """The header value: ``camera=()``, ``payment=(self "https://pay.example.com")``."""

    def allowlist(origins: Sequence[str]) -> str:
        return " ".join("self" if o == "self" else f'"{o}"' for o in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in features.items())


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy, Cross-Origin-Resource-Policy and no-store for users."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        features = getattr(settings, "QUICKSCALE_PERMISSIONS_POLICY", {})
        self.permissions_policy = permissions_policy(features) if features else ""
        self.resource_policy = getattr(settings, "QUICKSCALE_CROSS_ORIGIN_RESOURCE_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if self.resource_policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.resource_policy)
        # request.user exists once AuthenticationMiddleware has run: not for static files
        # WhiteNoise answered first, which stay cacheable.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
