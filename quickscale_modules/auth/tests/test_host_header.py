"""Nothing an attacker writes in the Host header changes who is locked out or where a
mailed link points.

- One failed-login counter per account: hosts, ports, a trailing dot and the letter
  case of host or email all count against the same account.
- Mailed links and the site they name come from the configured address
  (quickscale_core's SiteURLMiddleware, as in a generated project), with any port of
  an allowed host and with a wildcard ALLOWED_HOSTS alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import find_link
from django.core import mail
from django.test import Client
from django.urls import reverse

from quickscale_modules.auth import services

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
SITE_URL = "https://www.acme.test"
BAD_CREDENTIALS = "not correct"
TOO_MANY = "Too many failed login attempts"

# (Host header, login as typed): every one of them is the same account.
DISGUISES = [
    ("localhost:1001", "ada@example.com"),
    ("localhost:1002", "ADA@example.com"),
    ("localhost.", "Ada@Example.Com"),
    ("LOCALHOST", "ada@EXAMPLE.COM"),
    ("127.0.0.1", "aDa@example.com"),
]


def _log_in(client: Client, host: str, login: str, password: str, address: int) -> str:
    """POST the login form; each attempt from another client address, so the per-address
    limit never decides and only the per-account one can lock."""
    response = client.post(
        reverse("account_login"),
        {"login": login, "password": password},
        HTTP_HOST=host,
        REMOTE_ADDR=f"203.0.113.{address}",
    )
    assert response.status_code == 200, (host, login, response.status_code)
    return response.content.decode()


def test_failed_logins_for_one_account_count_together_whatever_the_host_and_case(
    client: Client,
) -> None:
    services.get_or_create_user_by_email("ada@example.com", password=PASSWORD, verified=True)
    addresses = iter(range(1, 100))
    for host, login in DISGUISES:  # the limit is 5 per account
        assert BAD_CREDENTIALS in _log_in(client, host, login, "wrong", next(addresses))
    assert TOO_MANY in _log_in(client, "localhost:1003", "ada@example.com", "wrong", 99)
    for host, login in DISGUISES:  # locked under every other name too
        assert TOO_MANY in _log_in(client, host, login, PASSWORD, next(addresses))
    assert client.session.get("_auth_user_id") is None


@pytest.fixture
def configured_site(settings: Any) -> Any:
    """The module's test project plus what quickscale_core gives a generated one."""
    settings.QUICKSCALE_SITE_URL = SITE_URL
    settings.MIDDLEWARE = ["quickscale_core.site.SiteURLMiddleware", *settings.MIDDLEWARE]
    return settings


# (what is mailed, its form, its fields, the link in the mail)
MAILS = [
    (
        "password reset",
        "account_reset_password",
        {"email": "ada@example.com"},
        "/password/reset/key/",
    ),
    (
        "reset for an unknown address",
        "account_reset_password",
        {"email": "eve@example.com"},
        "/signup/",
    ),
    (
        "sign-up verification",
        "account_signup",
        {"email": "bob@example.com", "password1": PASSWORD, "password2": PASSWORD},
        "/confirm-email/",
    ),
]


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [(["localhost"], "localhost:31337"), (["*"], "evil.example")],
    ids=["any port of an allowed host", "a wildcard ALLOWED_HOSTS"],
)
@pytest.mark.parametrize(
    ("form", "data", "fragment"), [m[1:] for m in MAILS], ids=[m[0] for m in MAILS]
)
def test_mailed_links_point_at_the_configured_site_not_the_request_host(
    client: Client,
    configured_site: Any,
    allowed_hosts: list[str],
    host: str,
    form: str,
    data: dict[str, str],
    fragment: str,
) -> None:
    configured_site.ALLOWED_HOSTS = allowed_hosts
    services.get_or_create_user_by_email("ada@example.com", password=PASSWORD, verified=True)
    response = client.post(reverse(form), data, HTTP_HOST=host)
    assert response.status_code == 302
    (message,) = mail.outbox
    link = find_link(message.body, fragment)
    assert link.startswith(f"{SITE_URL}/accounts/"), link
    assert host.split(":")[0] not in message.body, message.body  # nor in greeting or signature
    assert "www.acme.test" in message.body.split(link)[-1]  # the signature names the site
