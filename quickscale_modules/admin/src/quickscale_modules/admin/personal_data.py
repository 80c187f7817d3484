"""The admin module's personal data hooks: the audit trail (django-auditlog's LogEntry).

Two kinds of entries hold a user's data. Those the user is the actor of record changes
they made; the manifest keeps them with the actor blanked, for accountability (what was
changed in whose records stays known). Those *about* the user's rows copy the rows'
fields (the account's email, a list's title), and auditlog writes one more for every
row the erasure itself deletes. ``before_erase`` notes those rows while they still
exist, and once the erasure has committed their entries are deleted: an entry about a
row that is gone, or anonymized, would keep what the erasure removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

#: (content type id, primary key as text): auditlog's key of an entry's object.
Target = tuple[int, str]
CHUNK = 500


def _declared_rows(user: Any) -> Iterable[tuple[type[models.Model], list[Any]]]:
    """Each installed declared model, with the pks of ``user``'s rows that the erasure
    deletes or anonymizes (the project's QUICKSCALE_PERSONAL_DATA)."""
    declared = getattr(settings, "QUICKSCALE_PERSONAL_DATA", {}) or {}
    for component in declared.values():
        for label, spec in (component.get("models") or {}).items():
            try:
                model = apps.get_model(label)
            except LookupError:  # a feature that is off: its app is not installed
                continue
            if spec.get("erase") == "keep":
                continue
            lookup = {"pk": user.pk} if spec["user"] == "pk" else {spec["user"]: user}
            yield model, list(model._default_manager.filter(**lookup).values_list("pk", flat=True))


def erased_targets(user: Any) -> set[Target]:
    """The audit trail's keys of every row the erasure of ``user`` removes or blanks,
    the account's own included."""
    targets = {(ContentType.objects.get_for_model(type(user)).pk, str(user.pk))}
    for model, pks in _declared_rows(user):
        kind = ContentType.objects.get_for_model(model).pk
        targets.update((kind, str(pk)) for pk in pks)
    return targets


def forget(targets: set[Target]) -> int:
    """Delete the audit entries about ``targets``; how many went."""
    LogEntry = apps.get_model("auditlog", "LogEntry")
    by_kind: dict[int, list[str]] = {}
    for kind, pk in targets:
        by_kind.setdefault(kind, []).append(pk)
    deleted = 0
    for kind, pks in by_kind.items():
        # In slices: SQLite caps the parameters of one query.
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            rows = LogEntry._default_manager.filter(content_type_id=kind, object_pk__in=chunk)
            deleted += rows.delete()[0]
    return deleted


def before_erase(user: Any) -> None:
    """Note the rows the erasure will touch; delete their audit entries once it commits
    (the entries it writes itself included). Nothing happens if it rolls back."""
    targets = erased_targets(user)
    transaction.on_commit(lambda: forget(targets))


def sample(user: Any) -> None:
    """Entries of changes ``user`` made to a group of their own (kept, without them,
    by erasure), as auditlog's middleware records a change in the admin."""
    LogEntry = apps.get_model("auditlog", "LogEntry")
    group = Group.objects.create(name=f"Editors of {user.get_username()}")
    kind = ContentType.objects.get_for_model(Group)
    email = getattr(user, "email", "") or f"user{user.pk}@example.com"
    for action, changes in (
        (LogEntry.Action.CREATE, {"name": ["None", group.name]}),
        (LogEntry.Action.UPDATE, {"name": [group.name, f"{group.name} (2026)"]}),
    ):
        LogEntry._default_manager.create(
            content_type=kind,
            object_pk=str(group.pk),
            object_id=group.pk,
            object_repr=group.name,
            action=action,
            changes=changes,
            actor=user,
            actor_email=email,
        )
