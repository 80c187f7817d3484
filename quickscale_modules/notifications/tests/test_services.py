"""Rendering and sending through non-HTTP backends: locmem, a test double, console, SMTP."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.template import TemplateDoesNotExist
from django.test import override_settings
from django.utils import translation
from quickscale_modules.notifications.services import (
    NotificationService,
    render_templated_email,
    send_templated_email,
)
from quickscale_modules.notifications.settings import email_settings

CONTEXT = {"name": "Ada", "order": "A-42"}


class RecordingBackend(BaseEmailBackend):
    """Boundary double: records messages instead of delivering them."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list = []

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        self.sent.extend(email_messages)
        return len(email_messages)


def test_text_and_html_bodies_are_rendered_and_sent() -> None:
    send_templated_email("emails/welcome", "ada@example.com", CONTEXT)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "Welcome, Ada"
    assert message.body == "Hi Ada, your order A-42 is confirmed."
    assert message.alternatives[0][1] == "text/html"
    assert "<strong>Ada</strong>" in message.alternatives[0][0]
    assert message.from_email == "Acme <no-reply@acme.test>"


@pytest.mark.parametrize(
    ("language", "subject", "has_html"),
    [
        ("fr", "Bienvenue, Ada", True),
        ("fr-ca", "Bienvenue, Ada", True),  # regional code falls back to its base language
        ("pt-br", "Bem-vindo, Ada", True),  # pt has no HTML file: the default HTML is used
        ("de", "Welcome, Ada", True),  # no German files: default templates
        (None, "Welcome, Ada", True),
    ],
)
def test_per_language_templates_with_fallback(
    language: str | None, subject: str, has_html: bool
) -> None:
    rendered = render_templated_email("emails/welcome", CONTEXT, language=language)
    assert rendered.subject == subject
    assert (rendered.html is not None) is has_html


def test_language_is_active_while_rendering() -> None:
    rendered = render_templated_email("emails/langprobe", {}, language="fr")
    assert rendered.subject == "Language fr"
    assert rendered.text == "Oui (fr)"
    default = render_templated_email("emails/langprobe", {})
    assert default.text == "Yes (en)"


def test_subject_line_breaks_collapse_and_html_is_optional() -> None:
    rendered = render_templated_email("emails/multiline", {})
    assert rendered.subject == "Multi line subject"
    assert rendered.html is None


def test_missing_text_template_is_an_error() -> None:
    with pytest.raises(TemplateDoesNotExist):
        render_templated_email("emails/does_not_exist", {})


def test_no_recipient_is_rejected() -> None:
    with pytest.raises(ValueError, match="recipient"):
        send_templated_email("emails/welcome", [], CONTEXT)


def test_injected_connection_and_sender_are_used() -> None:
    backend = RecordingBackend()
    service = NotificationService(connection=backend, from_email="billing@acme.test")
    sent = service.send_templated_email(
        "emails/welcome", ["a@example.com", "b@example.com"], CONTEXT, subject_prefix="[Acme] "
    )
    assert backend.sent == [sent.message]
    assert sent.message.from_email == "billing@acme.test"
    assert sent.message.subject == "[Acme] Welcome, Ada"
    assert sent.message.to == ["a@example.com", "b@example.com"]
    assert mail.outbox == []  # nothing leaked to the default backend


def test_console_backend_in_debug_prints_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    config = email_settings("sendgrid", env={}, debug=True)
    with override_settings(**config):
        send_templated_email("emails/welcome", "ada@example.com", CONTEXT)
    out = capsys.readouterr().out
    assert "Subject: Welcome, Ada" in out
    assert "To: ada@example.com" in out
    assert "Hi Ada, your order A-42 is confirmed." in out


def test_smtp_option_delivers_to_a_real_smtp_server(smtp_server) -> None:  # type: ignore[no-untyped-def]
    controller, handler = smtp_server
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(controller.port)}
    with override_settings(**email_settings("smtp", env=env, debug=False)):
        send_templated_email("emails/welcome", "ada@example.com", CONTEXT, language="fr")
    assert len(handler.messages) == 1
    received = handler.messages[0]
    assert received["Subject"] == "Bienvenue, Ada"
    assert handler.envelopes[0] == ("no-reply@acme.test", ["ada@example.com"])
    parts = {part.get_content_type(): part for part in received.walk()}
    assert "Bonjour Ada" in parts["text/plain"].get_payload(decode=True).decode()
    assert "<strong>Ada</strong>" in parts["text/html"].get_payload(decode=True).decode()


def test_shipped_example_template_renders_text_and_html() -> None:
    rendered = render_templated_email("quickscale_notifications/email/example", {"name": "Ada"})
    assert rendered.subject == "Hello Ada"
    assert rendered.text.startswith("Hello Ada,")
    assert rendered.html is not None and '<html lang="en" dir="ltr">' in rendered.html
    french = render_templated_email(
        "quickscale_notifications/email/example", {"name": "Ada"}, language="fr"
    )
    assert french.html is not None and '<html lang="fr" dir="ltr">' in french.html


def test_a_mail_sent_in_spanish_has_a_spanish_subject_and_body(spanish: str) -> None:
    """The shipped catalogue translates the example; the recipient's language wins over
    the active one (a request in French sending to a Spanish-speaking user)."""
    with translation.override("fr"):
        send_templated_email(
            "quickscale_notifications/email/example", "ana@example.com", {"name": "Ana"}, spanish
        )
    (message,) = mail.outbox
    assert message.subject == "Hola, Ana"
    assert message.body == (
        "Hola, Ana:\n\n"
        "Este es un correo transaccional de ejemplo enviado por las notificaciones de QuickScale."
    )
    html = message.alternatives[0][0]
    assert '<html lang="es" dir="ltr">' in html and "<p>Hola, Ana:</p>" in html
    assert translation.get_language() == "en"  # the sender's language is back


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("he", "rtl"), ("de", "ltr")])
def test_the_html_example_sets_its_direction_from_the_language(
    language: str, direction: str
) -> None:
    rendered = render_templated_email(
        "quickscale_notifications/email/example", {"name": "Ada"}, language=language
    )
    assert rendered.html is not None
    assert f'<html lang="{language}" dir="{direction}">' in rendered.html


def test_error_inside_an_existing_html_template_is_not_swallowed() -> None:
    with pytest.raises(TemplateDoesNotExist, match="missing_partial"):
        render_templated_email("emails/broken", {})
