"""allauth's emails go through the notifications module when it is installed."""

from __future__ import annotations

import pytest
from conftest import require
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ada@example.com",
    "password1": "pw-long-enough-1",
    "password2": "pw-long-enough-1",
}


def test_without_notifications_allauths_own_sending_is_used(client: Client) -> None:
    assert "quickscale_modules.notifications" not in settings.INSTALLED_APPS
    client.post(reverse("account_signup"), SIGNUP)
    assert mail.outbox[0].subject == "[Acme] Please Confirm Your Email Address"


def test_with_notifications_installed_emails_use_its_per_language_templates(
    client: Client,
) -> None:
    """tests/templates holds a `.en.txt` subject that only the notifications service
    looks up, so the subject proves which path sent the email."""
    require("quickscale_modules.notifications.services", "notifications integration")
    apps = [*settings.INSTALLED_APPS, "anymail", "quickscale_modules.notifications"]
    with override_settings(INSTALLED_APPS=apps):
        client.post(reverse("account_signup"), SIGNUP)
    message = mail.outbox[0]
    assert message.subject == "[Acme] Confirm your Acme account (sent by notifications)"
    assert message.to == ["ada@example.com"]
    assert message.from_email == "Acme <no-reply@acme.test>"
    assert "/accounts/confirm-email/" in message.body  # allauth's body template still used
