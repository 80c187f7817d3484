"""Email delivery as a Celery task, retried with exponential backoff.

``TaskEmailBackend`` (the project's EMAIL_BACKEND, see ``generate/settings.py.j2``)
turns each message into a ``deliver_email`` task; the task sends it through the real
backend (``NOTIFICATIONS_DELIVERY_BACKEND``: SMTP, an anymail provider, the console).
A provider that is down or refuses for a while (SMTP 4xx, a connection error, an HTTP
error from the provider's API) costs a retry after 2, 4, 8… seconds (with jitter, at
most ``NOTIFICATIONS_RETRY_BACKOFF_MAX``), up to ``NOTIFICATIONS_MAX_RETRIES`` times,
never the request that sent it. With a broker (REDIS_URL) the task runs in a worker;
without one it runs at once in the sending process, retries included (without the
waits).

Delivery is at least once: a worker killed after the provider accepted a message but
before the task finished sends it again.

A queued message is already rendered, in its recipient's language
(services.send_templated_email's ``language``): the task renders no text, so it
carries no language of its own.
"""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

try:
    from anymail.exceptions import AnymailAPIError, AnymailRequestsAPIError

    _PROVIDER_ERRORS: tuple[type[Exception], ...] = (AnymailAPIError, AnymailRequestsAPIError)
except ImportError:  # pragma: no cover - anymail is a dependency of the module
    _PROVIDER_ERRORS = ()

#: What is worth trying again: the provider's failures (smtplib's errors are OSErrors,
#: as are refused and dropped connections) ...
RETRY_FOR: tuple[type[Exception], ...] = (OSError, *_PROVIDER_ERRORS)
#: ... except those that another attempt cannot change.
NO_RETRY_FOR: tuple[type[Exception], ...] = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)


def serialize(message: EmailMessage) -> dict[str, Any]:
    """A JSON-able form of ``message`` that ``deserialize`` rebuilds."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise TypeError("MIME attachments cannot be queued; attach (name, content, type)")
        name, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([name, base64.b64encode(raw).decode(), mimetype])
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
        "attachments": attachments,
        "content_subtype": message.content_subtype,
        # anymail's attributes (other backends ignore them)
        "tags": list(getattr(message, "tags", []) or []),
        "metadata": dict(getattr(message, "metadata", {}) or {}),
    }


def deserialize(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    message.content_subtype = data["content_subtype"]
    if data["tags"]:
        message.tags = data["tags"]
    if data["metadata"]:
        message.metadata = data["metadata"]
    return message


@shared_task(
    name="quickscale_notifications.deliver_email",
    autoretry_for=RETRY_FOR,
    dont_autoretry_for=NO_RETRY_FOR,
    retry_backoff=2,
    retry_backoff_max=getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF_MAX", 600),
    retry_jitter=True,
    max_retries=getattr(settings, "NOTIFICATIONS_MAX_RETRIES", 8),
)
def deliver_email(data: dict[str, Any]) -> int:
    """Send one queued message through the delivery backend; the number sent (1)."""
    connection = get_connection(settings.NOTIFICATIONS_DELIVERY_BACKEND, fail_silently=False)
    return int(connection.send_messages([deserialize(data)]) or 0)


class TaskEmailBackend(BaseEmailBackend):
    """Queues each message as a ``deliver_email`` task instead of sending it."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            deliver_email.delay(serialize(message))
        return len(email_messages)
