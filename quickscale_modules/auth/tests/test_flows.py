"""Real allauth flows through Django's test client, with the module's settings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from conftest import find_link
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from quickscale_modules.auth import services

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
NEW_PASSWORD = "tangerine-galaxy-kettle-4"


def _path(url: str) -> str:
    return urlsplit(url).path


def _sign_up(client: Client, email: str = "ada@example.com") -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("account_email_verification_sent")


def _verify_from_outbox(client: Client) -> None:
    link = find_link(mail.outbox[-1].body, "/accounts/confirm-email/")
    page = client.get(_path(link))
    assert page.status_code == 200
    response = client.post(_path(link))
    assert response.status_code == 302


def _log_in(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_sign_up_verify_by_emailed_link_then_log_in(client: Client) -> None:
    _sign_up(client)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert "Confirm" in message.subject
    user = get_user_model().objects.get(email="ada@example.com")
    assert type(user).__name__ == "User" and user._meta.app_label == "qs_auth_testapp"
    assert not services.is_verified(user)
    assert _logged_in_user_id(client) is None  # mandatory verification: no session yet

    _verify_from_outbox(client)
    assert services.is_verified(user)

    response = _log_in(client, "ada@example.com", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("quickscale_auth:account")
    assert _logged_in_user_id(client) == str(user.pk)
    account = client.get(reverse("quickscale_auth:account"))
    assert "ada@example.com" in account.content.decode()
    assert "Verified" in account.content.decode()


def test_unverified_user_cannot_log_in_when_verification_is_mandatory(client: Client) -> None:
    _sign_up(client)
    response = _log_in(client, "ada@example.com", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert _logged_in_user_id(client) is None
    # The verification-email cooldown stops the attempt from re-sending the email.
    assert len(mail.outbox) == 1


def _verified_user(email: str = "ada@example.com", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    user, created = services.get_or_create_user_by_email(email, password=password, verified=True)
    assert created
    return user


def test_repeated_failed_logins_are_rate_limited(client: Client) -> None:
    user = _verified_user()
    for _ in range(5):
        response = _log_in(client, "ada@example.com", "wrong-password-123")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    # The right password is now refused too: the per-email limit (5 / 5 min) is hit.
    response = _log_in(client, "ada@example.com", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed login attempts" in body
    assert 'role="alert"' in body
    assert _logged_in_user_id(client) is None
    # Another account is not locked out by attacks on this one.
    _verified_user("bob@example.com")
    assert _log_in(client, "bob@example.com", PASSWORD).status_code == 302
    assert _logged_in_user_id(client) != str(user.pk)


def test_login_form_is_csrf_protected() -> None:
    _verified_user()
    strict = Client(enforce_csrf_checks=True)
    forged = strict.post(
        reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD}
    )
    assert forged.status_code == 403
    assert _logged_in_user_id(strict) is None

    page = strict.get(reverse("account_login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    genuine = strict.post(
        reverse("account_login"),
        {"login": "ada@example.com", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    assert genuine.status_code == 302
    assert _logged_in_user_id(strict) is not None


def test_password_reset_via_emailed_link_then_log_in_with_new_password(client: Client) -> None:
    _verified_user()
    response = client.post(reverse("account_reset_password"), {"email": "ada@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = find_link(mail.outbox[0].body, "/accounts/password/reset/key/")

    form_page = client.get(_path(link), follow=True)  # allauth hides the key behind a redirect
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else _path(link)
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    assert _log_in(client, "ada@example.com", PASSWORD).status_code == 200  # old one fails
    assert _logged_in_user_id(client) is None
    assert _log_in(client, "ada@example.com", NEW_PASSWORD).status_code == 302
    assert _logged_in_user_id(client) is not None


def test_password_reset_for_unknown_email_reveals_nothing(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302  # same answer as for a real account
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body


def test_password_change(client: Client) -> None:
    user = _verified_user()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _logged_in_user_id(client) == str(user.pk)  # still signed in
    assert any("password" in m.subject.lower() for m in mail.outbox)  # change notification


def test_password_change_needs_the_current_password(client: Client) -> None:
    user = _verified_user()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-my-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_email_change_takes_effect_after_verifying_the_new_address(client: Client) -> None:
    user = _verified_user()
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "ada.new@example.com"}
    )
    assert response.status_code == 302
    assert user.emailaddress_set.get(email="ada.new@example.com").verified is False
    user.refresh_from_db()
    assert user.email == "ada@example.com"  # unchanged until verified

    link = find_link(mail.outbox[-1].body, "/accounts/confirm-email/")
    assert mail.outbox[-1].to == ["ada.new@example.com"]
    assert client.post(_path(link)).status_code == 302

    user.refresh_from_db()
    assert user.email == "ada.new@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary")) == [
        ("ada.new@example.com", True)
    ]


def test_email_page_shows_a_pending_change_with_no_inline_style(client: Client) -> None:
    """The site's Content-Security-Policy refuses style attributes: the pending-address
    form is hidden with `hidden`, and its buttons still act on it."""
    client.force_login(_verified_user())
    client.post(reverse("account_email"), {"action_add": "", "email": "ada.new@example.com"})
    page = client.get(reverse("account_email")).content.decode()
    assert re.search(
        r'<input id="new_email" type="email" value="ada.new@example.com" disabled', page
    )
    assert re.search(r'<form id="pending-email" method="post" action="[^"]+" hidden>', page)
    assert "style=" not in page and "<style" not in page
    assert '<label for="id_email">' in page
    response = client.post(
        reverse("account_email"), {"action_remove": "", "email": "ada.new@example.com"}
    )
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email="ada.new@example.com").exists()


def test_account_page_needs_login_and_pages_use_the_project_layout(client: Client) -> None:
    anonymous = client.get(reverse("quickscale_auth:account"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    login_page = client.get(reverse("account_login")).content.decode()
    assert 'data-layout="project-base"' in login_page  # extends the project's base.html
    title = re.search(r"<title>(.*?)</title>", login_page, re.S)
    assert title is not None
    assert " ".join(title.group(1).split()) == "Log in · Acme"  # browsers collapse spaces
    assert '<label for="id_login">' in login_page
    assert '<label for="id_password">' in login_page

    client.force_login(_verified_user())
    account = client.get(reverse("quickscale_auth:account")).content.decode()
    assert 'data-layout="project-base"' in account
    assert f'href="{reverse("account_change_password")}"' in account
    assert 'aria-current="page"' in account  # account nav added to the layout's nav


def test_logout_is_post_only(client: Client) -> None:
    client.force_login(_verified_user())
    client.get(reverse("account_logout"))
    assert _logged_in_user_id(client) is not None  # a GET (e.g. an <img>) cannot log out
    client.post(reverse("account_logout"))
    assert _logged_in_user_id(client) is None


def test_project_templates_override_the_modules(client: Client, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    """A project's custom_frontend/templates (a DIRS entry) beats the module's templates."""
    custom = tmp_path / "custom_frontend" / "templates" / "account"
    custom.mkdir(parents=True)
    (custom / "login.html").write_text(
        '{% extends "account/base_entrance.html" %}'
        "{% block head_title %}Client sign-in{% endblock head_title %}"
        '{% block content %}<p id="client-branding">Acme sign-in</p>{% endblock content %}'
    )
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [tmp_path / "custom_frontend" / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    body = client.get(reverse("account_login")).content.decode()
    assert '<p id="client-branding">Acme sign-in</p>' in body
    assert "<title>Client sign-in · Acme</title>" in body
    assert 'data-layout="project-base"' in body
