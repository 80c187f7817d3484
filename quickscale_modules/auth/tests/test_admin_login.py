"""The admin login goes through allauth's login and its rate limits; a superuser made
with createsuperuser logs in to the admin at once (real views, Django's test client)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from quickscale_modules.auth import services
from quickscale_modules.auth import settings as qs_auth

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
EMAIL = "root@example.com"


@pytest.fixture
def superuser(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A superuser exactly as `manage.py createsuperuser --noinput` makes one."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email=EMAIL, verbosity=0)
    return get_user_model().objects.get(username="root")


def _allauth_login(next_url: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


def _log_in(client: Client, password: str, next_url: str = "/admin/") -> Any:
    return client.post(_allauth_login(next_url), {"login": EMAIL, "password": password})


def _user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_admin_login_page_sends_visitors_to_allauths_login(client: Client) -> None:
    response = client.get(f"{reverse('admin:login')}?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == _allauth_login("/admin/")
    # An admin page itself: admin -> its login -> allauth's login, the admin page as next.
    chain = client.get(reverse("admin:index"), follow=True).redirect_chain
    assert chain[-1] == (_allauth_login("/admin/"), 302)


def test_posting_to_the_admin_login_form_logs_nobody_in(client: Client, superuser: Any) -> None:
    """Django's own admin form is never processed: no password is checked there."""
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _user_id(client) is None


def test_createsuperuser_can_log_in_to_the_admin_at_once(client: Client, superuser: Any) -> None:
    assert services.is_verified(superuser)
    response = _log_in(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert _user_id(client) == str(superuser.pk)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200 and "Site administration" in index.content.decode()
    # Signed in, the admin's login URL goes straight on to the admin.
    assert client.get(f"{reverse('admin:login')}?next=/admin/")["Location"] == "/admin/"


def test_a_signed_in_user_without_staff_status_is_refused_the_admin(client: Client) -> None:
    user, _ = services.get_or_create_user_by_email("ada@example.com", verified=True)
    client.force_login(user)
    assert client.get(reverse("admin:login")).status_code == 403


def test_only_a_new_superuser_s_own_free_address_is_marked_verified() -> None:
    User = get_user_model()
    promoted = User.objects.create_user("ann", "ann@example.com", PASSWORD)
    promoted.is_superuser = promoted.is_staff = True
    promoted.save()  # promoted later (e.g. in the admin): still verifies by email
    assert not EmailAddress.objects.filter(user=promoted).exists()

    services.get_or_create_user_by_email("taken@example.com", verified=False)
    thief = User.objects.create_superuser("thief", "Taken@example.com", PASSWORD)
    assert not EmailAddress.objects.filter(user=thief).exists()

    no_email = User.objects.create_superuser("nomail", "", PASSWORD)
    assert not EmailAddress.objects.filter(user=no_email).exists()


def test_30_wrong_passwords_then_the_right_one_is_refused_until_the_window_passes(
    client: Client, superuser: Any, settings: Any
) -> None:
    window = 3  # seconds; the 31 attempts below take a fraction of it
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        **qs_auth.login_rate_limits(qs_auth.LOGIN_FAILURE_LIMIT, window),
    }
    for attempt in range(1, 31):
        body = _log_in(client, f"wrong-password-{attempt}").content.decode()
        if attempt <= qs_auth.LOGIN_FAILURE_LIMIT:
            assert "not correct" in body, attempt
        else:
            assert "Too many failed login attempts" in body, attempt
    refused = _log_in(client, PASSWORD)  # the 31st login request in the window
    assert refused.status_code == 429  # allauth's per-address request limit answers first
    assert _user_id(client) is None

    time.sleep(window + 0.5)
    accepted = _log_in(client, PASSWORD)
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
