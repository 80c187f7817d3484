"""Social login in Chromium (settings_social): run only by test_social.py, in a pytest
subprocess with ``--ds=settings_social`` (the file name keeps it out of the default
collection, where social login is off).

A person's walk: the login page's provider link, allauth's confirmation form (a login
starts by POST only), the site's redirect to the local OpenID Connect provider, its
redirect back, the account; both pages axe clean, light and dark. Chromium checks the
redirect after the form against the policy's form-action, so the walk passes only with
the provider's origin there, and fails, blocked, without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_support import axe_findings, launched, watch_csp
from django.contrib.auth import get_user_model
from oidc_server import OIDCServer, Provider


@pytest.fixture(scope="module")
def idp() -> Iterator[Provider]:
    provider = Provider(
        os.environ["OPENID_CONNECT_CLIENT_ID"], os.environ["OPENID_CONNECT_CLIENT_SECRET"]
    )
    with OIDCServer(provider, int(urlsplit(os.environ["QS_AUTH_OIDC_URL"]).port or 0)):
        yield provider


@pytest.fixture
def page() -> Iterator[tuple[Any, list[str]]]:
    """A Chromium page and the CSP violations it reports."""
    violations: list[str] = []
    with launched() as browser:
        context = browser.new_context()
        watch_csp(context, violations)
        yield context.new_page(), violations


def walk(page: Any, live_server: Any, check: Any = None) -> None:
    """From the login page to the provider's button and the confirmation's Continue;
    ``check`` looks at each of the two pages first."""
    page.goto(f"{live_server.url}/accounts/login/")
    if check:
        check(page)
    page.get_by_role("link", name="Acme ID").click()
    page.get_by_role("button", name="Continue").wait_for()
    if check:
        check(page)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.django_db(transaction=True)
def test_a_person_signs_in_through_the_provider(
    page: tuple[Any, list[str]], idp: Provider, live_server: Any
) -> None:
    browser, violations = page
    idp.user = {"sub": "lin-1", "email": "lin@example.com", "email_verified": True}
    findings: list[str] = []
    walk(browser, live_server, check=lambda page: findings.extend(axe_findings(page)))
    browser.wait_for_url(f"{live_server.url}/accounts/profile/")
    assert "lin@example.com" in browser.content()
    assert get_user_model().objects.filter(email="lin@example.com").exists()
    assert violations == []
    assert findings == []  # the login page and allauth's confirmation, light and dark


@pytest.mark.django_db(transaction=True)
def test_without_the_providers_origin_the_browser_stays_on_the_site(
    page: tuple[Any, list[str]], idp: Provider, live_server: Any, settings: Any
) -> None:
    """Why each provider adds its origin to form-action: Chromium blocks the redirect."""
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "form-action": ["'self'"]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    browser, violations = page
    idp.user = {"sub": "lin-2", "email": "lin2@example.com", "email_verified": True}
    walk(browser, live_server)
    browser.wait_for_timeout(500)  # lets the blocked navigation report itself
    assert any(v.startswith("form-action blocked") for v in violations), violations
    assert not idp.codes  # the provider was never reached
    assert not get_user_model().objects.filter(email="lin2@example.com").exists()
