"""Export and erasure of a user's personal data: the API pages, admin actions and
management commands call (HackSoft style: views stay thin, the work is here)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import LazyObject, empty
from django.utils.module_loading import import_string

from quickscale_core.i18n import language_of, speaking_to
from quickscale_core.personal_data import archive
from quickscale_core.personal_data.selectors import ModelDeclaration, components, rows_of

logger = logging.getLogger(__name__)

#: Where stored archives go in the default storage.
ARCHIVE_DIR = "personal-data"
#: The signing salt of download links, so no other signed value passes for one.
LINK_SALT = "quickscale_core.personal_data.download"


@dataclass(frozen=True)
class ExportRequest:
    """What :func:`request_export` did: queued and mailed a link, or built the archive
    now (``archive``, for the caller to answer with)."""

    mailed: bool
    archive: bytes | None


@dataclass
class ErasureReport:
    """Rows erasure changed, per model label, and the stored archives it removed."""

    deleted: dict[str, int] = field(default_factory=dict)
    anonymized: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    archives: int = 0


def export_archive(user: Model) -> bytes:
    """The zip of ``user``'s data: README.md and one JSON file per component."""
    return archive.build(_instance(user))


def _instance(user: Model) -> Model:
    """The user model's instance behind ``request.user``'s lazy wrapper, so hooks that
    look at ``type(user)`` see the model."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        wrapped: Model = user._wrapped
        return wrapped
    return user


def request_export(user: Model, *, base_url: str) -> ExportRequest:
    """With a broker, queue the task that builds, stores and mails a signed link
    (``base_url``: the site's origin the link starts with); without one, build now.
    Either way in the user's own language: the task is given it, as a worker has no
    request to read it from."""
    if getattr(settings, "CELERY_BROKER_URL", ""):
        from quickscale_core.personal_data.tasks import mail_export

        mail_export.delay(user.pk, base_url, language_of(user))
        return ExportRequest(mailed=True, archive=None)
    with speaking_to(user):
        return ExportRequest(mailed=False, archive=export_archive(user))


def link_hours() -> int:
    """How long a download link stays valid (QUICKSCALE_PERSONAL_DATA_LINK_HOURS)."""
    return int(getattr(settings, "QUICKSCALE_PERSONAL_DATA_LINK_HOURS", 24))


def store_archive(user: Model, content: bytes) -> str:
    """Store ``content`` and return a signed token for its download link; expired
    archives go first, so the folder holds only live ones."""
    delete_expired_archives()
    name = f"{ARCHIVE_DIR}/{_owner_prefix(user)}{secrets.token_urlsafe(24)}.zip"
    stored = default_storage.save(name, ContentFile(content))
    token: str = signing.dumps({"user": str(user.pk), "name": stored}, salt=LINK_SALT)
    return token


def read_token(token: str) -> tuple[str, str]:
    """The (user pk, stored name) of a link's token; raises signing.SignatureExpired
    past its age, signing.BadSignature if it was not made here."""
    data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(hours=link_hours()))
    return str(data["user"]), str(data["name"])


def _owner_prefix(user: Model) -> str:
    """A prefix of a user's stored archives that names nobody (a keyed hash), so
    erasure can find and delete them without a table."""
    digest: str = salted_hmac(LINK_SALT, str(user.pk)).hexdigest()
    return digest[:16] + "-"


def _stored_archives() -> list[str]:
    try:
        return [f"{ARCHIVE_DIR}/{name}" for name in default_storage.listdir(ARCHIVE_DIR)[1]]
    except FileNotFoundError:
        return []


def delete_expired_archives() -> int:
    """Delete stored archives older than a link lives; return how many."""
    cutoff = timezone.now() - timedelta(hours=link_hours())
    removed = 0
    for name in _stored_archives():
        try:
            expired = default_storage.get_modified_time(name) < cutoff
        except (NotImplementedError, OSError):
            expired = False
        if expired:
            default_storage.delete(name)
            removed += 1
    return removed


def delete_archives_of(user: Model) -> int:
    """Delete every stored archive of ``user``; return how many."""
    prefix = f"{ARCHIVE_DIR}/{_owner_prefix(user)}"
    names = [name for name in _stored_archives() if name.startswith(prefix)]
    for name in names:
        default_storage.delete(name)
    return len(names)


def erase_user(user: Model) -> ErasureReport:
    """Erase ``user``'s data as declared, in one transaction: every component's
    before-erase hook, then the components in reverse order (core last, the user row the
    very last), each model's rows deleted, anonymized or kept. A hook or a row that
    fails rolls all of it back. The user's stored archives go once it has committed."""
    user = _instance(user)
    report = ErasureReport()
    declared = components()
    user_rows: list[ModelDeclaration] = []
    handled: set[Any] = set()  # (label, pk) of each row dealt with
    with transaction.atomic():
        for component in declared:
            if component.before_erase:
                import_string(component.before_erase)(user)
        rows = [d for c in reversed(declared) for d in reversed(c.models)]
        for declaration in rows:
            if declaration.is_user_model:
                user_rows.append(declaration)
            else:
                _erase_rows(declaration, user, report, handled)
        for declaration in user_rows:
            _erase_rows(declaration, user, report, handled)
        if not user_rows:  # no declaration of the account (older settings): it goes anyway
            type(user)._default_manager.filter(pk=user.pk).delete()
            report.deleted[user._meta.label] = 1
        # Deleting the account may write rows that point to it (an audit trail records
        # the deletion with the user as its actor): they get their declaration's
        # treatment too, or they would keep the user, or break a constraint at commit.
        for declaration in rows:
            if not declaration.is_user_model:
                _erase_rows(declaration, user, report, handled)
        transaction.on_commit(lambda: _after_erase(user, report))
    return report


def _after_erase(user: Model, report: ErasureReport) -> None:
    report.archives = delete_archives_of(user)


def _erase_rows(
    declaration: ModelDeclaration, user: Model, report: ErasureReport, handled: set[Any]
) -> None:
    """Delete, anonymize or keep ``user``'s rows of one model that are not ``handled``
    yet (by label and pk), counting them in ``report``."""
    label = declaration.label
    found = rows_of(declaration, user).values_list("pk", flat=True)
    pks = [pk for pk in found if (label, pk) not in handled]
    handled.update((label, pk) for pk in pks)
    model = declaration.model
    if declaration.erase == "keep":
        counts = report.kept
    elif declaration.erase == "anonymize":
        blank = {name: _blank(model, name) for name in declaration.anonymize}
        if blank and pks:
            model._default_manager.filter(pk__in=pks).update(**blank)
        counts = report.anonymized
    else:
        if pks:
            model._default_manager.filter(pk__in=pks).delete()
        counts = report.deleted
    counts[label] = counts.get(label, 0) + len(pks)


def _blank(model: type[Model], name: str) -> Any:
    """What anonymization writes into a field: NULL when it may be null, else ""."""
    field = model._meta.get_field(name)
    return None if getattr(field, "null", False) else ""
