"""The components' hooks: sample rows for a user, and before-erase checks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import connection

from pd_testapp.models import AuditEntry, Consent, Note, Payment, Tag

#: What each before-erase call saw: (user pk, its model, inside a transaction?).
CALLS: list[tuple[Any, str, bool]] = []
#: Set by a test: the ledger hook raises, after writing a row.
FAIL: list[bool] = []


def before_erase(user: Any) -> None:
    CALLS.append((user.pk, type(user)._meta.label, connection.in_atomic_block))


def before_erase_ledger(user: Any) -> None:
    if FAIL:
        Note.objects.create(
            owner=user, title="written by the failing hook", written=_when(0), rating=1
        )
        raise RuntimeError("the payment provider refused")


def _when(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, 1 + day, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def sample_notes(user: Any) -> None:
    for n in range(2):
        note = Note.objects.create(
            owner=user,
            title=f"{user.username} note {n}",
            written=_when(n),
            rating=Decimal("4.50"),
            private="my diary",
            api_key="k-123",
            attachment=f"notes/{user.username}-{n}.txt",
            raw=b"\x00\x01",
        )
        Tag.objects.create(note=note, label=f"{user.username}-tag-{n}")


def sample_ledger(user: Any) -> None:
    Payment.objects.create(
        user=user,
        description=f"plan for {user.username}",
        payer_name=user.username,
        amount=Decimal("19.90"),
        day=datetime.date(2026, 2, 1),
    )
    Consent.objects.create(user=user, terms="terms-2026")


def audit_deletion(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Deleting a user writes an entry whose actor is that user (they deleted themself)."""
    AuditEntry.objects.create(actor_id=instance.pk, what=f"deleted user {instance.pk}")


def sample_audit(user: Any) -> None:
    AuditEntry.objects.create(actor=user, what=f"{user.username} logged in")
