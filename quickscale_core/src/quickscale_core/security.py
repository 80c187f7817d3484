"""Who is the client, and is the site deployed safely: the pieces of a project's security
settings that are code rather than values.

- :func:`client_ip` is the address login rate limits count against. It believes
  ``X-Forwarded-For`` only as far as ``QUICKSCALE_TRUSTED_PROXY_COUNT`` proxies of the
  site's own have written it, the rule django-allauth applies with the same count.
- :func:`check_shared_cache` is a deploy check (``manage.py check --deploy``): with
  DEBUG off, rate-limit counters in a per-process cache would let each worker count
  separately, so a local-memory or dummy default cache is an error.
- :func:`check_allowed_hosts` and :func:`check_site_url` are deploy checks of the
  site's name: ``*`` in ALLOWED_HOSTS lets any Host header through, and absolute links
  (password-reset mails) need an address from configuration that the site answers to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.checks import Error
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host

from quickscale_core.site import site_url

#: Cache backends whose entries no other process sees.
PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind N trusted proxies the N-th
    address from the right of ``X-Forwarded-For`` (the one the outermost trusted proxy
    saw). Addresses further left were written by the client and are ignored; a request
    that did not pass through all N proxies is counted against its direct peer."""
    count: int = getattr(settings, "QUICKSCALE_TRUSTED_PROXY_COUNT", 0)
    peer: str = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-count] if len(hops) >= count else peer


def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """quickscale_core.E001: a per-process default cache in production."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get(DEFAULT_CACHE_ALIAS, {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"The default cache is {backend.rsplit('.', 1)[-1]}, which each process keeps "
            "to itself: login rate limits would be counted per worker, and a brute force "
            "spread over the workers gets that many more attempts.",
            hint=(
                "Unset CACHE_URL to use the database cache (its table comes with "
                "`manage.py migrate`), or point it at a cache every process shares."
            ),
            obj="CACHES",
            id="quickscale_core.E001",
        )
    ]


def check_allowed_hosts(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """quickscale_core.E002: a wildcard ALLOWED_HOSTS in production."""
    if settings.DEBUG or "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            "ALLOWED_HOSTS contains '*': the site answers to any Host header, which "
            "lets a request name an attacker's host for whatever it builds from it.",
            hint=(
                "Set DJANGO_ALLOWED_HOSTS to the names the site answers to, e.g. "
                "DJANGO_ALLOWED_HOSTS=www.example.com (a leading dot, .example.com, "
                "allows the subdomains)."
            ),
            obj="ALLOWED_HOSTS",
            id="quickscale_core.E002",
        )
    ]


def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """quickscale_core.E003: no site address for absolute links, or one the site does
    not answer to (every mailed link would get 400)."""
    if settings.DEBUG:
        return []
    url = site_url()
    if url is None:
        problem = "DJANGO_SITE_URL is unset and ALLOWED_HOSTS names no exact host"
    else:
        host, _port = split_domain_port(url.split("://", 1)[1])
        if validate_host(host, settings.ALLOWED_HOSTS):
            return []
        problem = f"the site's address {url} is not one of ALLOWED_HOSTS"
    return [
        Error(
            f"Absolute links (password-reset and verification mails) have no usable "
            f"address: {problem}.",
            hint=(
                "Set DJANGO_SITE_URL to the site's address, e.g. "
                "DJANGO_SITE_URL=https://www.example.com, and list its host in "
                "DJANGO_ALLOWED_HOSTS."
            ),
            obj="QUICKSCALE_SITE_URL",
            id="quickscale_core.E003",
        )
    ]
