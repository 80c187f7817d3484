"""Visitor hashes: counting visitors without storing who they are.

No raw IP address is stored anywhere. A visitor is the SHA-256 of the day's random salt,
the client's address and its user agent, truncated; the salt lives in the database for
one day and is then deleted (the method of privacy-first analytics such as Plausible),
so a hash cannot be recomputed from an address once the day is over.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from quickscale_core.security import client_ip
from quickscale_modules.analytics.models import DailySalt

_salts: dict[date, str] = {}


def daily_salt(day: date | None = None) -> str:
    """Today's salt (made on first use; older salts are deleted then)."""
    day = day or timezone.localdate()
    if day in _salts:
        return _salts[day]
    salt = DailySalt.objects.filter(day=day).values_list("value", flat=True).first()
    if salt is None:
        try:
            with transaction.atomic():
                salt = DailySalt.objects.create(day=day, value=secrets.token_hex(32)).value
        except IntegrityError:  # another process made it first
            salt = DailySalt.objects.get(day=day).value
        DailySalt.objects.filter(day__lt=day).delete()
    _salts.clear()
    _salts[day] = salt
    return salt


def client_address(request: HttpRequest) -> str:
    """The client's address by the project's one trusted-proxy rule (``client_ip``:
    X-Forwarded-For only as far as DJANGO_TRUSTED_PROXY_COUNT proxies wrote it), so
    visitors behind the site's load balancer are told apart and a client's own header
    changes nothing; used only as hash input, never stored."""
    return client_ip(request)


def visitor_hash(request: HttpRequest, day: date | None = None) -> str:
    """The visitor of ``request`` on ``day`` (default today)."""
    material = "\n".join(
        (daily_salt(day), client_address(request), request.META.get("HTTP_USER_AGENT", ""))
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def opted_out(request: HttpRequest) -> bool:
    """The browser asks not to be tracked (Global Privacy Control or Do Not Track)."""
    return request.META.get("HTTP_SEC_GPC") == "1" or request.META.get("HTTP_DNT") == "1"
