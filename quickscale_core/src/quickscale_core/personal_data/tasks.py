"""The background export: build the archive, store it, mail the user a signed link,
in the user's language (the task carries it: a worker has no request to read it from)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from quickscale_core.i18n import language_of, speaking
from quickscale_core.personal_data import services

logger = logging.getLogger(__name__)


@shared_task(name="quickscale_core.personal_data.mail_export")  # type: ignore[untyped-decorator]
def mail_export(user_pk: object, base_url: str, language: str = "") -> None:
    """Build and store ``user_pk``'s archive and mail them the download link (none if
    the user is gone by now), both in ``language`` (``language_of(user)`` when it was
    queued; a task queued before it carried one speaks the user's stored language)."""
    user = get_user_model()._default_manager.filter(pk=user_pk).first()
    address = getattr(user, user.get_email_field_name(), "") if user is not None else ""
    if not address:  # gone since, or no address to send the link to
        logger.warning("personal data export of user %s: no email address to mail it", user_pk)
        return
    with speaking(language or language_of(user)):
        token = services.store_archive(user, services.export_archive(user))
        path = reverse("quickscale_core:personal_data_download", kwargs={"token": token})
        context = {
            "user": user,
            "link": base_url.rstrip("/") + path,
            "hours": services.link_hours(),
        }
        subject = render_to_string("quickscale_core/personal_data/export_subject.txt", context)
        send_mail(
            subject=" ".join(subject.split()),
            message=render_to_string("quickscale_core/personal_data/export_email.txt", context),
            from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
            recipient_list=[address],
        )
