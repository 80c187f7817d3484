"""Email leaves through a Celery task that retries with backoff: a real SMTP server
(aiosmtpd on loopback) that refuses twice, then accepts, receives exactly one mail.

Celery runs the task in this process (eager, as in a project without REDIS_URL), and
the retries with it; tests/e2e/test_scale_out.py runs it in a real worker on Redis.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from django.core.mail import EmailMultiAlternatives, send_mail
from django.test import override_settings
from quickscale_modules.notifications.services import send_templated_email

from quickscale_modules.notifications import tasks


class FlakyMailbox:
    """Answers 451 (try again later) to the first ``failures`` messages, then accepts."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.attempts <= self.failures:
            return "451 4.3.0 Temporary failure, try again later"
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(autouse=True)
def eager_celery() -> Iterator[Celery]:
    """The app a project without a broker has: tasks run where they are queued."""
    app = Celery("notifications-tests", set_as_current=True)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False  # as quickscale_core.settings: retries run
    app.set_default()
    yield app


def flaky_smtp(failures: int) -> Iterator[FlakyMailbox]:
    mailbox = FlakyMailbox(failures)
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="quickscale_modules.notifications.tasks.TaskEmailBackend",
            NOTIFICATIONS_DELIVERY_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
        ):
            yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def twice_failing_smtp() -> Iterator[FlakyMailbox]:
    yield from flaky_smtp(failures=2)


def test_a_server_that_fails_twice_then_accepts_gets_exactly_one_mail(
    twice_failing_smtp: FlakyMailbox,
) -> None:
    send_mail("Welcome", "Hello Ada", "shop@example.com", ["ada@example.com"])
    assert twice_failing_smtp.attempts == 3
    assert [m["Subject"] for m in twice_failing_smtp.messages] == ["Welcome"]


def test_templated_email_goes_through_the_task_too(twice_failing_smtp: FlakyMailbox) -> None:
    send_templated_email("quickscale_notifications/email/example", "ada@example.com", {})
    assert twice_failing_smtp.attempts == 3 and len(twice_failing_smtp.messages) == 1


def test_a_server_that_keeps_failing_fails_the_task_after_its_retries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The sender is not failed (the worker's behaviour); the failure is logged."""
    for mailbox in flaky_smtp(failures=100):
        send_mail("Lost", "Body", "shop@example.com", ["ada@example.com"])
        assert mailbox.attempts == tasks.deliver_email.max_retries + 1
        assert mailbox.messages == []
    assert "SMTPDataError" in caplog.text


def test_a_queued_message_is_rebuilt_whole() -> None:
    message = EmailMultiAlternatives(
        "Subject",
        "Text",
        "from@example.com",
        ["to@example.com"],
        bcc=["b@example.com"],
        reply_to=["r@example.com"],
        headers={"X-Tag": "1"},
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("a.txt", b"\x00bytes", "application/octet-stream")
    message.tags = ["welcome"]
    rebuilt = tasks.deserialize(tasks.serialize(message))
    assert rebuilt.message().as_bytes().count(b"HTML") == message.message().as_bytes().count(
        b"HTML"
    )
    assert (rebuilt.to, rebuilt.bcc, rebuilt.reply_to) == (
        message.to,
        message.bcc,
        message.reply_to,
    )
    assert rebuilt.alternatives == message.alternatives and rebuilt.tags == ["welcome"]
    assert rebuilt.attachments[0][:2] == ("a.txt", b"\x00bytes")
