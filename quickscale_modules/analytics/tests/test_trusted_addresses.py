"""A page view's visitor hash takes the client's address by the project's one trusted-
proxy rule (quickscale_core.security.client_ip), as the login limits do: a client's own
X-Forwarded-For changes nothing, and behind the site's proxy each client is its own
visitor (the proxy's address made them all one)."""

from __future__ import annotations

import pytest
from conftest import BROWSER
from django.test import Client
from quickscale_modules.analytics.models import Event

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the site's load balancer, as the application server sees it
ADA, BOB, FORGED = "203.0.113.10", "203.0.113.20", "198.51.100.7"

#: (trusted proxies, first request (peer, X-Forwarded-For), second request, one visitor?)
CASES = {
    "direct, forged headers ignored": (0, (ADA, FORGED), (ADA, BOB), True),
    "direct, a header does not make a new visitor": (0, (ADA, ""), (ADA, FORGED), True),
    "direct, two clients": (0, (ADA, ""), (BOB, ""), False),
    "behind the proxy, two clients": (1, (PROXY, ADA), (PROXY, BOB), False),
    "behind the proxy, the client's own entry ignored": (
        1,
        (PROXY, f"{FORGED}, {ADA}"),
        (PROXY, ADA),
        True,
    ),
    "behind the proxy, a request that bypassed it": (1, (ADA, ""), (PROXY, ADA), True),
}


def _visit(peer: str, forwarded: str) -> str:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=peer, **headers).get("/")
    return Event.objects.order_by("-pk").values_list("visitor", flat=True)[0]


@pytest.mark.parametrize(("proxies", "first", "second", "same"), CASES.values(), ids=CASES.keys())
def test_visitors_are_counted_by_the_trusted_proxy_rule(
    settings: object,
    proxies: int,
    first: tuple[str, str],
    second: tuple[str, str],
    same: bool,
) -> None:
    settings.QUICKSCALE_TRUSTED_PROXY_COUNT = proxies  # type: ignore[attr-defined]
    assert (_visit(*first) == _visit(*second)) is same
    assert Event.objects.count() == 2
