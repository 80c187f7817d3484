"""services.py against the project's custom user model and allauth's EmailAddress."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from conftest import find_link
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory

from quickscale_modules.auth import services

pytestmark = pytest.mark.django_db


def test_get_or_create_user_by_email_uses_the_custom_user_model() -> None:
    user, created = services.get_or_create_user_by_email(
        " Ada@Example.com ", password="s3cret-pass!"
    )
    assert created
    assert isinstance(user, get_user_model())
    assert get_user_model()._meta.label == "qs_auth_testapp.User"
    assert user.email == "ada@example.com"
    assert user.username  # filled in by allauth because this model has a username field
    assert user.check_password("s3cret-pass!")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("ada@example.com", True, False)

    again, created_again = services.get_or_create_user_by_email("ADA@example.com")
    assert not created_again
    assert again.pk == user.pk
    assert get_user_model().objects.count() == 1


def test_user_created_without_password_cannot_log_in_with_one() -> None:
    user, _ = services.get_or_create_user_by_email("bob@example.com", verified=True)
    assert not user.has_usable_password()
    assert services.is_verified(user)


def test_usernames_stay_unique_for_similar_emails() -> None:
    first, _ = services.get_or_create_user_by_email("sam@one.example")
    second, _ = services.get_or_create_user_by_email("sam@two.example")
    assert first.username != second.username


def test_invalid_email_is_rejected() -> None:
    with pytest.raises(ValueError, match="not an email address"):
        services.get_or_create_user_by_email("not-an-email")


def test_get_user_by_email_finds_users_created_outside_allauth() -> None:
    legacy = get_user_model().objects.create_user("legacy", "Legacy@Example.com", "pw-123456!")
    assert services.get_user_by_email("legacy@example.com").pk == legacy.pk
    assert services.get_user_by_email("nobody@example.com") is None


def test_send_verification_email_then_verify_through_the_link() -> None:
    user, _ = services.get_or_create_user_by_email("cleo@example.com", password="pw-long-enough-1")
    request = RequestFactory().get("/")
    assert services.send_verification_email(request, user) is True
    assert mail.outbox[-1].to == ["cleo@example.com"]

    link = find_link(mail.outbox[-1].body, "/accounts/confirm-email/")
    client = Client()
    client.post(link.split("testserver", 1)[1])
    assert services.is_verified(user)
    assert services.send_verification_email(request, user) is False  # nothing to do


def test_send_verification_email_for_user_without_address_record() -> None:
    user = get_user_model().objects.create_user("dora", "dora@example.com", "pw-123456!")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert services.send_verification_email(RequestFactory().get("/"), user) is True
    assert EmailAddress.objects.get(user=user).email == "dora@example.com"
    assert mail.outbox[-1].to == ["dora@example.com"]


def test_send_verification_email_without_any_address_is_an_error() -> None:
    user = get_user_model().objects.create_user("eve", "", "pw-123456!")
    with pytest.raises(ValueError, match="no email address"):
        services.send_verification_email(RequestFactory().get("/"), user)
