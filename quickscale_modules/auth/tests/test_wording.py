"""One set of words across the site: "Log in", "Log out" and "Sign up" in the layout's
header, and the same on allauth's pages, whose own words ("Sign In", "Sign Out",
"Signup") the module's templates replace."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from quickscale_modules.auth import services

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
ALLAUTH_WORDS = re.compile(r"sign[ -]?in|sign[ -]?out|signup\b", re.IGNORECASE)


def _visible_text(html: str) -> str:
    """The page without its tags, comments and URLs (which say "signup" as a path)."""
    html = re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def test_the_login_page_says_log_in(client: Client) -> None:
    page = client.get(reverse("account_login")).content.decode()
    assert _title(page) == "Log in · Acme"
    assert re.search(r"<h1[^>]*>\s*Log in\s*</h1>", page)
    assert re.search(r'<button class="button[^"]*" type="submit">\s*Log in\s*</button>', page)
    assert f'<a href="{reverse("account_signup")}">Sign up</a>' in page
    assert not ALLAUTH_WORDS.search(_visible_text(page))


def test_the_signup_page_says_sign_up_and_links_to_log_in(client: Client) -> None:
    page = client.get(reverse("account_signup")).content.decode()
    assert _title(page) == "Sign up · Acme"
    assert re.search(r"<h1[^>]*>\s*Sign up\s*</h1>", page)
    assert f'<a href="{reverse("account_login")}">Log in</a>' in page
    assert not ALLAUTH_WORDS.search(_visible_text(page))


def test_the_logout_and_account_pages_say_log_out(client: Client) -> None:
    user, _ = services.get_or_create_user_by_email(
        "ada@example.com", password=PASSWORD, verified=True
    )
    client.force_login(user)
    logout = client.get(reverse("account_logout")).content.decode()
    assert _title(logout) == "Log out · Acme"
    assert "Are you sure you want to log out?" in logout
    account = client.get(reverse("quickscale_auth:account")).content.decode()
    assert re.search(r"<button[^>]*>\s*Log out\s*</button>", account)
    for page in (logout, account):
        assert not ALLAUTH_WORDS.search(_visible_text(page))


def test_the_messages_after_logging_in_and_out_use_the_same_words(client: Client) -> None:
    services.get_or_create_user_by_email("ada@example.com", password=PASSWORD, verified=True)
    response = client.post(
        reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    [logged_in] = [str(m) for m in get_messages(response.wsgi_request)]
    assert re.fullmatch(r"Logged in as \S+\.", logged_in), logged_in
    response = client.post(reverse("account_logout"))
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "You have logged out."
    assert get_user_model().objects.count() == 1
