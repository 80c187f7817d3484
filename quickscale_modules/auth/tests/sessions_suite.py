"""The sessions feature on (settings_sessions): run only by test_sessions.py, in a pytest
subprocess with ``--ds=settings_sessions`` (the file name keeps it out of the default
collection, where allauth.usersessions is not installed).

Two Chromium contexts are two browsers with their own cookies: the first ends the
second's session, which is logged out at its next request; then the same with "end
every other session". The page is axe clean in light and dark, under the strict CSP.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import axe_findings, launched, watch_csp
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from quickscale_modules.auth import services

PASSWORD = "correct-horse-battery-9"
EMAIL = "ada@example.com"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def _user() -> Any:
    user, _ = services.get_or_create_user_by_email(EMAIL, password=PASSWORD, verified=True)
    return user


def _logged_in(user_agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.mark.django_db
def test_one_session_ends_and_only_the_owner_can_end_it() -> None:
    from allauth.usersessions.models import UserSession

    _user()
    mine, other = _logged_in(FIREFOX_LINUX), _logged_in(CHROME_ANDROID)
    page = mine.get(reverse("usersessions_list")).content.decode()
    assert page.count('data-testid="session"') == 2
    for shown in ("Firefox on Linux", "Chrome on Android", "This browser", "Last seen"):
        assert shown in page
    assert "127.0.0.0/24" in page  # the network, never the address itself
    assert "127.0.0.1" not in page.replace('title="', "")
    target = UserSession.objects.get(user_agent=CHROME_ANDROID)
    end = reverse("quickscale_auth:end_session", args=[target.pk])

    assert mine.get(end).status_code == 405  # ending takes a POST (and its CSRF token)
    services.get_or_create_user_by_email("eve@example.com", password=PASSWORD, verified=True)
    eve = Client()
    eve.post(reverse("account_login"), {"login": "eve@example.com", "password": PASSWORD})
    assert eve.post(end).status_code == 404  # someone else's session
    assert other.get(reverse("quickscale_auth:account")).status_code == 200

    response = mine.post(end, follow=True)
    assert "The session has ended" in response.content.decode()
    assert not UserSession.objects.filter(pk=target.pk).exists()
    assert other.get(reverse("quickscale_auth:account")).status_code == 302  # logged out
    assert mine.get(reverse("quickscale_auth:account")).status_code == 200


@pytest.mark.django_db
def test_a_signed_cookie_session_engine_is_refused_in_one_line(settings: Any) -> None:
    """Django's system checks (runserver, migrate, check --deploy) stop on it."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    [line] = [x for x in str(raised.value).splitlines() if "quickscale_auth.E001" in x]
    assert "keeps sessions in signed cookies" in line
    assert "DJANGO_SESSION_BACKEND" in str(raised.value)
    for engine in ("db", "cached_db", "cache"):
        settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
        call_command("check")  # no error


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched() as chromium:
        yield chromium


def _tab(browser: Any, user_agent: str, violations: list[str]) -> Any:
    """A page in a browser context of its own (its own cookies: another browser)."""
    tab = browser.new_context(user_agent=user_agent).new_page()
    tab.set_default_timeout(15_000)
    watch_csp(tab, violations)
    return tab


def _log_in(tab: Any, base: str) -> None:
    tab.goto(f"{base}/accounts/login/")
    tab.get_by_label("Email:", exact=True).fill(EMAIL)
    tab.get_by_label("Password:", exact=True).fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{base}/accounts/profile/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_browsers_the_first_ends_the_second_s_session(
    browser: Any, live_server: Any, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    _user()
    base, violations = live_server.url, []
    first, second = (_tab(browser, ua, violations) for ua in (FIREFOX_LINUX, CHROME_ANDROID))
    _log_in(first, base)
    _log_in(second, base)

    first.get_by_role("link", name="Sessions").click()
    expect(first.get_by_role("heading", name="Sessions")).to_be_visible()
    rows = first.get_by_test_id("session")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Firefox on Linux")).to_contain_text("This browser")
    for scheme in ("light", "dark"):
        first.emulate_media(color_scheme=scheme)
        first.screenshot(path=str(artifacts_dir / f"sessions-{scheme}.png"), full_page=True)
    assert axe_findings(first) == []

    # End one: the second browser's session; its next request finds it logged out.
    first.get_by_role("button", name="End the session of Chrome on Android").click()
    expect(first.get_by_text("The session has ended")).to_be_visible()
    expect(rows).to_have_count(1)
    second.goto(f"{base}/accounts/profile/")
    expect(second).to_have_url(f"{base}/accounts/login/?next=/accounts/profile/")

    # End all the others: the second browser logs in again and is logged out again.
    _log_in(second, base)
    first.reload()
    expect(rows).to_have_count(2)
    first.get_by_role("button", name="End every other session").click()
    expect(first.get_by_text("Every other session has ended")).to_be_visible()
    expect(rows).to_have_count(1)
    second.goto(f"{base}/accounts/profile/")
    expect(second).to_have_url(f"{base}/accounts/login/?next=/accounts/profile/")
    first.goto(f"{base}/accounts/profile/")
    expect(first).to_have_url(f"{base}/accounts/profile/")  # the first stays logged in
    assert violations == []
