"""The site's own address, from configuration: every absolute link the site builds (a
password-reset or verification mail, an OAuth callback, a payment's return URL) starts
with it, never with the Host header a request carried. Django accepts any port of an
allowed host, and with a wildcard any host at all, so a link taken from the request can
point a user's reset token at an attacker.

- ``QUICKSCALE_SITE_URL`` (the variable ``DJANGO_SITE_URL``) is the origin, e.g.
  ``https://www.acme.com``. ``quickscale generate`` writes ``https://<domain>`` as its
  default for each environment of quickscale.yml that names a domain.
- Unset, with DEBUG off: ``https://`` and the first exact name of ``ALLOWED_HOSTS``.
- Unset, with DEBUG on: no fixed address. Links follow the development server the
  browser used, whatever its port; ALLOWED_HOSTS is loopback only by default there.
- :class:`SiteURLMiddleware` makes ``request.build_absolute_uri`` start with it, so the
  code of every component and library gets it without knowing about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

FIX = "set DJANGO_SITE_URL to the site's address, e.g. DJANGO_SITE_URL=https://www.example.com"


def parse_site_url(value: str) -> str:
    """``value`` as an origin (``scheme://host[:port]``, lower case), or "" when empty.

    A path, query or user name is refused: links get their path from the URL
    configuration, and a path here would be silently dropped or doubled."""
    text = value.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        port = parts.port  # ValueError: not a number, or out of range
    except ValueError:  # also an unclosed IPv6 bracket
        parts, port = urlsplit(""), 0
    if (
        port == 0
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(f"DJANGO_SITE_URL={value!r} is not a site address: {FIX}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def exact_hosts(allowed_hosts: Iterable[str]) -> list[str]:
    """The names of ``allowed_hosts`` that are one host: not ``*``, not ``.domain``."""
    return [host for host in allowed_hosts if host and host != "*" and not host.startswith(".")]


def site_url() -> str | None:
    """The origin absolute links start with; None: the request's own (development), or
    none can be told (production with no exact host, which a deploy check reports)."""
    configured: str = getattr(settings, "QUICKSCALE_SITE_URL", "")
    if configured:
        return configured
    if settings.DEBUG:
        return None
    hosts = exact_hosts(settings.ALLOWED_HOSTS)
    return f"https://{hosts[0].lower()}" if hosts else None


class SiteURLMiddleware:
    """Makes ``request.build_absolute_uri()`` use :func:`site_url`, not the Host header.

    Django builds every absolute URI of a request from its cached ``scheme://host``
    (``HttpRequest._current_scheme_host``); setting that one value covers allauth's mails
    and callbacks, Stripe's return URLs and a project's own code alike, where each caller
    would otherwise have to remember. core's tests pin this Django detail. With DEBUG off
    and no address to use, the site refuses to start rather than mail the request's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DEBUG and site_url() is None:
            raise ImproperlyConfigured(
                "the site's address is unknown (DJANGO_SITE_URL is unset and "
                f"DJANGO_ALLOWED_HOSTS names no exact host): {FIX}"
            )
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        base = site_url()
        if base is not None:
            request.__dict__["_current_scheme_host"] = base
        return self.get_response(request)
