"""The per-address login limit counts the client's address by the project's one trusted-
proxy rule (quickscale_core.security.client_ip): behind the site's proxy each client
has a counter of its own, a client's own X-Forwarded-For entries change nothing, and a
request with fewer entries than trusted proxies is counted against its peer, not
answered with a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the site's load balancer, as the application server sees it
ADA, BOB, FORGED = "203.0.113.10", "203.0.113.20", "198.51.100.7"
TOO_MANY = "Too many failed login attempts"
LIMIT = 10  # failed logins per address per minute: twice the per-account 5


def _fail(peer: str, forwarded: str, account: int) -> str:
    """One failed login, each for another account so only the address counts."""
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    form = {"login": f"user{account}@example.com", "password": "wrong"}
    response = Client(REMOTE_ADDR=peer, **headers).post(reverse("account_login"), form)
    assert response.status_code == 200
    return response.content.decode()


#: (trusted proxies, the LIMIT requests that use the address up, another request, is
#: that one refused?) Requests are (peer, X-Forwarded-For).
CASES = {
    "behind the proxy, another client": (1, (PROXY, ADA), (PROXY, BOB), False),
    "behind the proxy, the same client": (1, (PROXY, ADA), (PROXY, ADA), True),
    "behind the proxy, a forged entry before the proxy's": (
        1,
        (PROXY, ADA),
        (PROXY, f"{FORGED}, {ADA}"),
        True,
    ),
    "two proxies trusted, one entry: the peer counts": (2, (PROXY, ADA), (PROXY, BOB), True),
    "direct, the client's own header ignored": (0, (ADA, FORGED), (ADA, BOB), True),
}


@pytest.mark.parametrize(("proxies", "used", "then", "refused"), CASES.values(), ids=CASES.keys())
def test_the_per_address_limit_follows_the_trusted_proxy_rule(
    settings: Any, proxies: int, used: tuple[str, str], then: tuple[str, str], refused: bool
) -> None:
    settings.QUICKSCALE_TRUSTED_PROXY_COUNT = proxies
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies  # as the generated settings set both
    for account in range(LIMIT):
        assert TOO_MANY not in _fail(*used, account)
    assert (TOO_MANY in _fail(*then, LIMIT)) is refused
