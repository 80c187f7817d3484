"""Send transactional email rendered from templates; the API themes and projects call.

Template convention (the same as django-allauth's, so one convention covers every
email a project sends):

    <prefix>_subject.txt    subject (all whitespace runs collapse to one space)
    <prefix>_message.txt    plain-text body (required)
    <prefix>_message.html   HTML body (optional)

Languages: a mail speaks its recipient's language, whoever sends it and wherever it is
sent from (a request in another language, a worker with none). Pass it as `language`:
`quickscale_core.i18n.language_of(user)` for a user (their stored language while the
site offers it, else the site's default). For `language="pt-br"` each file is looked
up as `<name>.pt-br.<ext>`, then `<name>.pt.<ext>`, then `<name>.<ext>`; subject, text
and HTML are all rendered inside `translation.override(language)`, so one template
with `{% translate %}` tags (its component's catalogue or the project's `locale/`) and
separate per-language files both work, and so do the dates and numbers in them. With
no `language` the mail renders in the active one (the request's, or LANGUAGE_CODE).
A queued delivery (tasks.deliver_email) carries the rendered message, not a language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str | None


@dataclass(frozen=True)
class SentEmail:
    """What was sent, plus the provider's answer when the backend is anymail's."""

    message: EmailMultiAlternatives
    status: str | None
    message_id: str | None


def _language_candidates(name: str, ext: str, language: str | None) -> list[str]:
    candidates: list[str] = []
    if language:
        code = language.lower().replace("_", "-")
        candidates.append(f"{name}.{code}.{ext}")
        base = code.split("-")[0]
        if base != code:
            candidates.append(f"{name}.{base}.{ext}")
    candidates.append(f"{name}.{ext}")
    return candidates


def _render(name: str, ext: str, context: Mapping[str, Any], language: str | None) -> str:
    template = select_template(_language_candidates(name, ext, language))
    return str(template.render(dict(context))).strip()


def _render_optional(
    name: str, ext: str, context: Mapping[str, Any], language: str | None
) -> str | None:
    """None only when no candidate exists; errors inside a found template still raise."""
    try:
        template = select_template(_language_candidates(name, ext, language))
    except TemplateDoesNotExist:
        return None
    return str(template.render(dict(context))).strip()


def render_templated_email(
    template_prefix: str,
    context: Mapping[str, Any] | None = None,
    language: str | None = None,
) -> RenderedEmail:
    """Render subject, text and (if its template exists) HTML in `language` (the
    recipient's; None or "": the active language)."""
    ctx = dict(context or {})
    with translation.override(language) if language else nullcontext():
        subject = " ".join(_render(f"{template_prefix}_subject", "txt", ctx, language).split())
        text = _render(f"{template_prefix}_message", "txt", ctx, language)
        html = _render_optional(f"{template_prefix}_message", "html", ctx, language)
    return RenderedEmail(subject=subject, text=text, html=html)


class NotificationService:
    """Sends templated email through the project's EMAIL_BACKEND.

    `connection` is the boundary: tests pass a double (or a backend instance with
    explicit credentials); production leaves it None to use settings.
    """

    def __init__(
        self,
        connection: BaseEmailBackend | None = None,
        from_email: str | None = None,
    ) -> None:
        self._connection = connection
        self._from_email = from_email

    def send_templated_email(
        self,
        template_prefix: str,
        to: str | Sequence[str],
        context: Mapping[str, Any] | None = None,
        language: str | None = None,
        *,
        from_email: str | None = None,
        subject_prefix: str = "",
        reply_to: Sequence[str] | None = None,
        cc: Sequence[str] | None = None,
        bcc: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> SentEmail:
        """Render `template_prefix` in `language` and send it; raise on failure (never
        fail silently).

        `language` is the recipient's (``quickscale_core.i18n.language_of(user)``):
        subject, text and HTML render in it, whatever language is active; None or ""
        renders in the active one. `subject_prefix` is prepended as given.
        """
        recipients = [to] if isinstance(to, str) else list(to)
        if not recipients:
            raise ValueError("send_templated_email needs at least one recipient in `to`.")
        rendered = render_templated_email(template_prefix, context, language)
        message = EmailMultiAlternatives(
            subject=subject_prefix + rendered.subject,
            body=rendered.text,
            from_email=from_email or self._from_email or settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            cc=list(cc or []),
            bcc=list(bcc or []),
            reply_to=list(reply_to or []),
            headers=dict(headers or {}),
            connection=self._connection or get_connection(),
        )
        if rendered.html is not None:
            message.attach_alternative(rendered.html, "text/html")
        # anymail reads these attributes; other backends ignore them.
        if tags:
            message.tags = list(tags)
        if metadata:
            message.metadata = dict(metadata)
        message.send(fail_silently=False)
        return _sent(message)


def _sent(message: EmailMultiAlternatives) -> SentEmail:
    status = getattr(message, "anymail_status", None)
    if status is None:
        return SentEmail(message=message, status="sent", message_id=None)
    statuses = sorted(status.status or [])
    return SentEmail(
        message=message,
        status=",".join(statuses) if statuses else None,
        message_id=status.message_id if isinstance(status.message_id, str) else None,
    )


def send_templated_email(
    template_prefix: str,
    to: str | Sequence[str],
    context: Mapping[str, Any] | None = None,
    language: str | None = None,
    **options: Any,
) -> SentEmail:
    """Module-level shortcut with the default connection (what most callers want).

    ``send_templated_email("emails/welcome", user.email, {"name": name},
    language=language_of(user))`` sends it in the user's language (see
    NotificationService.send_templated_email)."""
    return NotificationService().send_templated_email(
        template_prefix, to, context, language, **options
    )
