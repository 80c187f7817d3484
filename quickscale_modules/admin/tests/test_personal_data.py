"""The personal data this component declares in its manifest is real: the checks of
quickscale_testing.personal_data (models, paths and fields exist; the sample hook's rows
are their user's alone; erasing as declared leaves the other user's rows as they were)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from quickscale_testing.personal_data import Declared

DECLARED = Declared.of(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("label", DECLARED.labels)
def test_declaration_names_real_fields(label: str) -> None:
    DECLARED.check_fields(label)


def test_component_is_declared() -> None:
    DECLARED.check_declared()


@pytest.mark.django_db
def test_sample_rows_are_their_users_and_erasure_leaves_the_other_user_alone() -> None:
    DECLARED.check_sample_and_erasure()


# --- before_erase: the entries about the erased rows go once the erasure commits -----


def _declaration(user: str, erase: str, **more: Any) -> dict[str, Any]:
    return {"user": user, "description": "-", "erase": erase, "export": None, **more}


@pytest.fixture
def declared(settings: Any) -> None:
    """What a generated project's settings hold here: core's and this module's."""
    settings.QUICKSCALE_PERSONAL_DATA = {
        "core": {
            "models": {
                "auth.User": _declaration("pk", "delete"),
                "admin.LogEntry": _declaration("user", "delete"),
            }
        },
        "modules/admin": {
            "models": {
                "auditlog.LogEntry": _declaration(
                    "actor", "anonymize", anonymize=["actor", "actor_email"]
                ),
                "socialaccount.SocialAccount": _declaration("user", "delete"),  # not installed
            }
        },
    }


def _about(user_pk: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(get_user_model())
    return DECLARED.model("auditlog.LogEntry")._default_manager.filter(
        content_type=kind, object_pk=str(user_pk)
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("declared")
@pytest.mark.parametrize("commits", [True, False])
def test_before_erase_deletes_the_entries_about_the_erased_rows_once_committed(
    commits: bool, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    LogEntry: Any = DECLARED.model("auditlog.LogEntry")

    ann, bob = (
        get_user_model().objects.create_user(username=n, email=f"{n}@example.com", password="x")
        for n in ("ann", "bob")
    )
    sample = DECLARED.hook("sample")
    sample(ann)
    ann_pk, made_by_ann = ann.pk, set(LogEntry.objects.filter(actor=ann).values_list("pk"))
    # auditlog copied the account's fields into the entry of its creation.
    assert "ann@example.com" in str(list(_about(ann_pk).values_list("changes", flat=True)))

    def erase() -> None:
        with transaction.atomic():
            DECLARED.hook("before-erase")(ann)
            DECLARED.erase_as_declared(ann)  # auditlog writes the deletion, with ann's fields
            assert _about(ann_pk).filter(action=LogEntry.Action.DELETE).exists()
            if not commits:
                raise RuntimeError("a later hook failed: the erasure rolls back")

    with django_capture_on_commit_callbacks(execute=True):
        if commits:
            erase()
        else:
            with pytest.raises(RuntimeError):
                erase()
    assert _about(ann_pk).exists() is not commits
    assert _about(bob.pk).exists()
    # The changes ann made to other records stay, without her once erased.
    kept = LogEntry.objects.filter(pk__in=[pk for (pk,) in made_by_ann])
    assert kept.count() == len(made_by_ann) == 2
    assert set(kept.values_list("actor", flat=True)) == ({None} if commits else {ann_pk})
