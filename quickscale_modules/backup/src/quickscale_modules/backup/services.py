"""Backing up, restoring, and telling someone when a backup fails.

django-dbbackup does the work: ``dbbackup`` (pg_dump's custom format on PostgreSQL,
SQLite's online backup API on SQLite) and ``mediabackup`` (a tar of MEDIA_ROOT), each
compressed, encrypted with GnuPG when ``DBBACKUP_GPG_RECIPIENT`` names a key, written
to the ``dbbackup`` storage, and pruned to the newest ``DBBACKUP_CLEANUP_KEEP`` (and
``DBBACKUP_CLEANUP_KEEP_MEDIA``) files after each run.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import mail_admins
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

#: Rows these tables always have after `migrate`: they do not make a database "hold data".
_SCHEMA_ONLY = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupFailed(Exception):
    """A backup did not complete; the cause is chained."""


@dataclass(frozen=True)
class BackupResult:
    database: str  # the file names in the backup storage
    media: str | None


def encrypting() -> bool:
    return bool(getattr(settings, "DBBACKUP_GPG_RECIPIENT", None))


def _newest(content_type: str) -> str:
    from dbbackup.storage import get_storage

    return str(get_storage().get_latest_backup(content_type=content_type))


def run_backup(*, media: bool = True) -> BackupResult:
    """Back up the database (and the media files), prune old backups; on any failure
    notify (see :func:`notify_failure`) and raise BackupFailed."""
    quiet = io.StringIO()
    options: dict[str, Any] = {"clean": True, "compress": True, "encrypt": encrypting()}
    try:
        call_command("dbbackup", stdout=quiet, **options)
        database = _newest("db")
        media_file = None
        if media:
            call_command("mediabackup", stdout=quiet, **options)
            media_file = _newest("media")
    except Exception as error:
        notify_failure(error)
        raise BackupFailed(f"the backup failed: {error}") from error
    logger.info("backup written: %s %s", database, media_file or "")
    return BackupResult(database, media_file)


def recipients() -> list[str]:
    configured: Sequence[str] = getattr(settings, "QUICKSCALE_BACKUP_NOTIFY", ())
    return list(configured) or [email for _, email in getattr(settings, "ADMINS", ())]


def notify_failure(error: BaseException) -> None:
    """Email the failure: through the notifications module when the project has it
    (its templated email), else Django's mail_admins. In the site's language
    (LANGUAGE_CODE): it goes to the operators, not to a user. A failure to send is logged."""
    logger.error("backup failed: %s", error, exc_info=error)
    to = recipients()
    context = {"error": f"{type(error).__name__}: {error}", "site": settings.ALLOWED_HOSTS[:1]}
    language = settings.LANGUAGE_CODE
    try:
        if apps.is_installed("quickscale_modules.notifications") and to:
            from quickscale_modules.notifications.services import send_templated_email

            send_templated_email("quickscale_backup/email/backup_failed", to, context, language)
        else:
            with translation.override(language):
                mail_admins(gettext("Backup failed"), context["error"])
    except Exception:
        logger.exception("the backup failure could not be notified")


def holds_data() -> bool:
    """Whether the database has rows beyond what `migrate` itself creates."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.label_lower in _SCHEMA_ONLY or model._meta.db_table not in tables:
            continue
        if model._meta.managed and model._base_manager.exists():
            return True
    return False


def _passphrase() -> str:
    # The key's passphrase (DBBACKUP_GPG_PASSPHRASE); gpg ignores one given for a key
    # that has none, and django-dbbackup would otherwise prompt on the terminal.
    return os.environ.get("DBBACKUP_GPG_PASSPHRASE") or "no-passphrase"


def restore(database_file: str | None = None, *, media_file: str | None = None) -> None:
    """Restore the database from ``database_file`` (default: the newest backup), then
    the media files from ``media_file`` if given. No confirmation here: the command
    asks first."""
    quiet = io.StringIO()
    name = database_file or _newest("db")
    db_options: dict[str, Any] = {"interactive": False, "input_filename": name}
    db_options["decrypt"] = name.endswith(".gpg")
    db_options["uncompress"] = ".gz" in name
    db_options["passphrase"] = _passphrase()
    call_command("dbrestore", stdout=quiet, **db_options)
    connection.close()  # the next query reconnects to the restored database
    if media_file:
        call_command(
            "mediarestore",
            stdout=quiet,
            interactive=False,
            input_filename=media_file,
            decrypt=media_file.endswith(".gpg"),
            passphrase=_passphrase(),
            uncompress=".gz" in media_file,
            replace=True,
        )
