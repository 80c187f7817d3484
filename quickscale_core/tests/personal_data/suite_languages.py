"""Personal data in the user's language: the mailed link (queued, or the task run by a
worker given the language) and the archive built in the request. Run by
../test_personal_data.py, with core's Spanish catalogue compiled (conftest.spanish)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from celery import current_app
from celery.signals import task_prerun
from django.core import mail
from pd_testapp.models import User
from quickscale_core.personal_data import services, tasks

pytestmark = pytest.mark.django_db

SPANISH_SUBJECT = "Tus datos están listos para descargar"
ENGLISH_SUBJECT = "Your data is ready to download"


def readme(archive: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        return bundle.read("README.md").decode()


def test_a_queued_export_carries_the_users_language_and_mails_in_it(
    alice: User, spanish: str, settings: Any
) -> None:
    User.objects.filter(pk=alice.pk).update(language=spanish)
    alice.refresh_from_db()
    settings.CELERY_BROKER_URL = "memory://"
    current_app.conf.task_always_eager = True  # the queued task runs here
    queued: list[tuple[Any, ...]] = []

    def record(sender: Any = None, args: Any = (), **kwargs: Any) -> None:
        queued.append(tuple(args))

    task_prerun.connect(record, weak=False)
    try:
        services.request_export(alice, base_url="https://acme.test/")
    finally:
        task_prerun.disconnect(record)
    assert queued == [(alice.pk, "https://acme.test/", "es")]  # a plain argument
    (message,) = mail.outbox
    assert message.subject == SPANISH_SUBJECT
    assert "La copia de tus datos que pediste está lista" in message.body
    assert "El enlace funciona durante 24 horas." in message.body


@pytest.mark.parametrize(
    ("stored", "given", "subject", "body"),
    [
        ("", "es", SPANISH_SUBJECT, "El enlace funciona durante 24 horas."),
        ("es", "en", ENGLISH_SUBJECT, "The link works for 24 hours."),
        # Queued before tasks carried a language: the user's stored one.
        ("es", "", SPANISH_SUBJECT, "El enlace funciona durante 24 horas."),
        ("", "", ENGLISH_SUBJECT, "The link works for 24 hours."),
        # A language the site no longer offers: its default.
        ("", "xx", ENGLISH_SUBJECT, "The link works for 24 hours."),
    ],
)
def test_the_worker_mails_in_the_language_it_was_given(
    alice: User, spanish: str, stored: str, given: str, subject: str, body: str
) -> None:
    User.objects.filter(pk=alice.pk).update(language=stored)
    tasks.mail_export(alice.pk, "https://acme.test", given)
    (message,) = mail.outbox
    assert message.subject == subject and body in message.body


def test_the_archive_built_in_the_request_is_in_the_users_language(
    alice: User, spanish: str
) -> None:
    User.objects.filter(pk=alice.pk).update(language=spanish)
    alice.refresh_from_db()
    result = services.request_export(alice, base_url="https://acme.test")
    assert result.archive is not None
    text = readme(result.archive)
    assert text.startswith("# Tus datos personales\n")
    assert "Esta parte no guarda ninguno de tus datos personales." in text
    assert "Campos: `label`." in text
