"""Templated email through anymail's real backends; only the provider's HTTP API is faked.

`responses` intercepts the `requests` call anymail makes, so everything up to the
wire (our rendering, anymail's payload building, auth headers) is real.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs

import pytest
import responses
from django.test import override_settings
from quickscale_modules.notifications.services import NotificationService, send_templated_email
from quickscale_modules.notifications.settings import email_settings

CONTEXT = {"name": "Ada", "order": "A-42"}


@responses.activate
def test_sendgrid_receives_recipient_subject_and_both_bodies() -> None:
    endpoint = responses.post(
        "https://api.sendgrid.com/v3/mail/send",
        status=202,
        headers={"X-Message-Id": "sg-1"},
    )
    config = email_settings("sendgrid", env={"SENDGRID_API_KEY": "SG.secret-123"}, debug=False)
    with override_settings(**config):
        sent = send_templated_email("emails/welcome", "ada@example.com", CONTEXT)

    assert endpoint.call_count == 1
    request = responses.calls[0].request
    assert request.headers["Authorization"] == "Bearer SG.secret-123"
    payload = json.loads(request.body)
    assert payload["personalizations"][0]["to"] == [{"email": "ada@example.com"}]
    assert payload["subject"] == "Welcome, Ada"
    assert payload["from"] == {"email": "no-reply@acme.test", "name": "Acme"}
    bodies = {part["type"]: part["value"] for part in payload["content"]}
    assert bodies["text/plain"] == "Hi Ada, your order A-42 is confirmed."
    assert bodies["text/html"] == "<p>Hi <strong>Ada</strong>, your order A-42 is confirmed.</p>"
    assert sent.status == "queued"
    assert sent.message.anymail_status.recipients["ada@example.com"].status == "queued"


@responses.activate
def test_mailgun_receives_form_post_with_basic_auth_in_requested_language() -> None:
    endpoint = responses.post(
        "https://api.mailgun.net/v3/acme.test/messages",
        status=200,
        json={"id": "<mg-1@acme.test>", "message": "Queued. Thank you."},
    )
    config = email_settings("mailgun", env={"MAILGUN_API_KEY": "key-777"}, debug=False)
    with override_settings(**config):
        sent = NotificationService().send_templated_email(
            "emails/welcome", ["leo@example.com"], CONTEXT, language="fr", tags=["welcome"]
        )

    assert endpoint.call_count == 1
    request = responses.calls[0].request
    expected = "Basic " + base64.b64encode(b"api:key-777").decode()
    assert request.headers["Authorization"] == expected
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    form = parse_qs(body)
    assert form["to"] == ["leo@example.com"]
    assert form["subject"] == ["Bienvenue, Ada"]
    assert form["text"] == ["Bonjour Ada, votre commande A-42 est confirmée."]
    assert form["html"] == [
        "<p>Bonjour <strong>Ada</strong>, votre commande A-42 est confirmée.</p>"
    ]
    assert form["o:tag"] == ["welcome"]
    assert sent.message_id == "<mg-1@acme.test>"


@responses.activate
def test_provider_rejection_raises_instead_of_failing_silently() -> None:
    from anymail.exceptions import AnymailAPIError

    responses.post(
        "https://api.sendgrid.com/v3/mail/send",
        status=401,
        json={"errors": [{"message": "The provided authorization grant is invalid"}]},
    )
    config = email_settings("sendgrid", env={"SENDGRID_API_KEY": "SG.wrong"}, debug=False)
    with override_settings(**config), pytest.raises(AnymailAPIError, match="authorization"):
        send_templated_email("emails/welcome", "ada@example.com", CONTEXT)
