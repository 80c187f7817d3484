"""Personal data's runtime (quickscale_core.personal_data) on a real database: the
archive, erasure's delete/anonymize/keep in one transaction, the signed link, the
management commands and the admin actions. Run by ../test_personal_data.py."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import ProtectedError
from django.db.models.signals import post_delete
from django.test import Client
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from pd_testapp import hooks
from pd_testapp.models import AuditEntry, Consent, Ledger, Note, Payment, Tag, User
from quickscale_core.personal_data import services, tasks

pytestmark = pytest.mark.django_db

FILES = [
    "README.md",
    "core.json",
    "themes-notes.json",
    "modules-ledger.json",
    "modules-quiet.json",
    "modules-audit.json",
]


def unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rows(model: Any) -> list[dict[str, Any]]:
    return list(model.objects.order_by("pk").values())


def test_the_archive_holds_each_components_rows_of_the_user_and_no_one_elses(
    alice: User, bob: User
) -> None:
    files = unzip(services.export_archive(alice))
    assert list(files) == FILES
    notes = json.loads(files["themes-notes.json"])
    assert notes["component"] == "themes/notes"
    first = Note.objects.filter(owner=alice).order_by("pk").first()
    assert first is not None
    assert notes["models"]["pd_testapp.Note"][0] == {
        "id": first.pk,
        "owner": alice.pk,
        "title": "alice note 0",
        "written": "2026-03-01T09:30:15.123Z",  # ISO 8601
        "rating": "4.50",  # a decimal as a string
        "attachment": "notes/alice-0.txt",  # a file as its stored name
        "raw": "AAE=",  # bytes in base64
    }  # no `private` (marked secret), no `api_key` (secret by its name)
    assert notes["models"]["pd_testapp.Tag"] == [{"label": "alice-tag-0"}, {"label": "alice-tag-1"}]
    core = json.loads(files["core.json"])["models"]
    (account,) = core["pd_testapp.User"]
    assert account["username"] == "alice" and "password" not in account
    assert [e["change_message"] for e in core["admin.LogEntry"]] == ["added by alice"]
    ledger = json.loads(files["modules-ledger.json"])["models"]
    assert [p["description"] for p in ledger["pd_testapp.Payment"]] == ["plan for alice"]
    assert [c["terms"] for c in ledger["pd_testapp.Consent"]] == ["terms-2026"]
    assert json.loads(files["modules-quiet.json"]) == {"component": "modules/quiet", "models": {}}
    assert "socialaccount" not in "".join(files.values())  # its app is not installed
    assert not any("bob" in text for text in files.values())
    readme = files["README.md"]
    for expected in (
        "## themes-notes.json (themes/notes)",
        "`pd_testapp.Note`: Your notes.",
        "Fields: `label`.",
        "Payment records are kept for bookkeeping",
        "`user`, `description`, `payer_name`",
        "This part holds none of your personal data.",
    ):
        assert expected in readme, expected


def test_erasure_deletes_anonymizes_and_keeps_as_declared_and_leaves_others_alone(
    alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    services.store_archive(alice, b"alice's archive")
    services.store_archive(bob, b"bob's archive")
    bobs = {m: rows(m) for m in (Note, Tag)}  # all bob's, once alice's are gone
    bobs_logs = list(LogEntry.objects.filter(user=bob).values())
    bobs_payments = list(Payment.objects.filter(user=bob).values())
    bobs_consents = list(Consent.objects.filter(user=bob).values())
    bobs_audit = list(AuditEntry.objects.filter(actor=bob).values())
    alices_consent = rows(Consent)[0]
    alices_payment = Payment.objects.filter(user=alice).values().get()

    with django_capture_on_commit_callbacks(execute=True):  # request.user is lazy
        report = services.erase_user(SimpleLazyObject(lambda: User.objects.get(pk=alice.pk)))

    # the hook got the model's instance, inside the erase transaction
    assert hooks.CALLS == [(alice.pk, "pd_testapp.User", True)]  # noqa: SIM300
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not LogEntry.objects.filter(user_id=alice.pk).exists()
    assert rows(Note) == [n for n in bobs[Note] if n["owner_id"] == bob.pk]
    bobs_notes = Note.objects.filter(owner=bob).values_list("pk", flat=True)
    assert rows(Tag) == [t for t in bobs[Tag] if t["note_id"] in set(bobs_notes)]
    assert Payment.objects.filter(pk=alices_payment["id"]).values().get() == {
        **alices_payment,
        "user_id": None,  # nullable: NULL
        "description": "",  # not nullable: ""
        "payer_name": None,
    }
    assert rows(Consent)[0] == alices_consent  # kept unchanged
    assert list(Payment.objects.filter(user=bob).values()) == bobs_payments
    assert list(Consent.objects.filter(user=bob).values()) == bobs_consents
    assert list(LogEntry.objects.filter(user=bob).values()) == bobs_logs
    assert report.deleted == {
        "pd_testapp.Tag": 2,
        "pd_testapp.Note": 2,
        "admin.LogEntry": 1,
        "pd_testapp.User": 1,
    }
    # the sample's audit entry, then the one deleting the account wrote (alice its actor)
    assert report.anonymized == {"pd_testapp.AuditEntry": 2, "pd_testapp.Payment": 1}
    assert not AuditEntry.objects.filter(actor_id=alice.pk).exists()
    assert AuditEntry.objects.filter(what=f"deleted user {alice.pk}", actor=None).exists()
    assert list(AuditEntry.objects.filter(actor=bob).values()) == bobs_audit
    assert report.kept == {"pd_testapp.Consent": 1}
    assert report.archives == 1  # alice's stored archive, not bob's
    assert len(default_storage.listdir(services.ARCHIVE_DIR)[1]) == 1


@pytest.mark.parametrize("failure", ["hook", "row"])
def test_a_failing_hook_or_row_rolls_everything_back(alice: User, bob: User, failure: str) -> None:
    if failure == "hook":  # it writes a note, then raises
        hooks.FAIL.append(True)
        expected: type[Exception] = RuntimeError
    else:  # an undeclared row protects the user: its deletion, the very last step, fails
        Ledger.objects.create(user=alice)
        expected = ProtectedError
    before = {m: rows(m) for m in (User, Note, Tag, Payment, Consent, LogEntry, AuditEntry)}
    with pytest.raises(expected):
        services.erase_user(alice)
    assert {m: rows(m) for m in before} == before


def test_without_a_broker_the_export_is_built_in_the_request(alice: User) -> None:
    result = services.request_export(alice, base_url="https://acme.test")
    assert result.mailed is False and result.archive is not None
    assert list(unzip(result.archive)) == FILES


def test_with_a_broker_the_task_mails_a_link_that_downloads_only_for_its_user(
    alice: User, bob: User, settings: Any
) -> None:
    from celery import current_app

    settings.CELERY_BROKER_URL = "memory://"
    current_app.conf.task_always_eager = True  # the queued task runs here
    result = services.request_export(alice, base_url="https://acme.test/")
    assert result == services.ExportRequest(mailed=True, archive=None)
    (message,) = mail.outbox
    assert (
        message.to == ["alice@example.com"] and message.subject == "Your data is ready to download"
    )
    (link,) = [w for w in message.body.split() if w.startswith("https://acme.test/personal-data/")]
    assert "24 hours" in message.body
    path = link.removeprefix("https://acme.test")

    anonymous = Client()
    assert anonymous.get(path).status_code == 302  # to the login page
    client = Client()
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert list(unzip(b"".join(response.streaming_content))) == FILES  # type: ignore[arg-type]
    other = Client()
    other.force_login(bob)
    response = other.get(path)
    assert response.status_code == 403 and b"another account" in response.content
    assert client.get(path[:-3] + "xx/").status_code == 404  # tampered


def test_an_expired_link_is_gone_and_its_archive_deleted_by_the_next_export(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    then = time.time() - 25 * 3600
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: then))
    token = services.store_archive(alice, b"old")
    monkeypatch.undo()
    (old,) = default_storage.listdir(services.ARCHIVE_DIR)[1]
    os.utime(default_storage.path(f"{services.ARCHIVE_DIR}/{old}"), (then, then))
    client = Client()
    client.force_login(alice)
    path = reverse("quickscale_core:personal_data_download", kwargs={"token": token})
    response = client.get(path)
    assert response.status_code == 410 and b"expired" in response.content

    fresh = services.store_archive(alice, b"new")
    assert old not in default_storage.listdir(services.ARCHIVE_DIR)[1]
    assert len(default_storage.listdir(services.ARCHIVE_DIR)[1]) == 1
    fresh_path = reverse("quickscale_core:personal_data_download", kwargs={"token": fresh})
    assert client.get(fresh_path).status_code == 200
    services.delete_archives_of(alice)  # as erasure does: the link is gone with it
    assert client.get(fresh_path).status_code == 410


def test_export_command_writes_the_archive(
    alice: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "alice.zip"
    out = io.StringIO()
    call_command("export_personal_data", "ALICE@example.com", output=str(target), stdout=out)
    assert list(unzip(target.read_bytes())) == FILES
    assert out.getvalue() == f"Wrote the personal data of user {alice.pk} to {target}\n"
    monkeypatch.chdir(tmp_path)
    call_command("export_personal_data", str(alice.pk), stdout=io.StringIO())
    assert (tmp_path / f"personal-data-{alice.pk}.zip").is_file()


@pytest.mark.parametrize(
    ("argument", "output", "message"),
    [
        ("nobody", None, "no user is 'nobody' — give an existing user's email, username or id"),
        ("shared@example.com", None, "names more than one user — give the user's id instead"),
        ("alice", "exists.zip", "exists already — pass --output with a new file name"),
        ("alice", "missing/x.zip", "does not exist — create it first"),
    ],
)
def test_export_command_refuses_bad_input_in_one_line(
    alice: User, bob: User, tmp_path: Path, argument: str, output: str | None, message: str
) -> None:
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(email="shared@example.com")
    (tmp_path / "exists.zip").write_bytes(b"mine")
    options = {"output": str(tmp_path / output)} if output else {}
    with pytest.raises(CommandError) as error:
        call_command("export_personal_data", argument, **options)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert (tmp_path / "exists.zip").read_bytes() == b"mine"


def test_erase_command_asks_first_and_erases(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = io.StringIO()
    call_command("erase_personal_data", "alice", stdout=out)
    assert "Nothing was erased." in out.getvalue() and User.objects.filter(pk=alice.pk).exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("erase_personal_data", "alice", stdout=out)
    assert not User.objects.filter(pk=alice.pk).exists()
    call_command("erase_personal_data", str(bob.pk), interactive=False, stdout=out)
    assert "pd_testapp.Payment: 1 anonymized" in out.getvalue()
    assert not User.objects.exists()


def test_erase_command_reports_a_failure_in_one_line_and_changes_nothing(alice: User) -> None:
    hooks.FAIL.append(True)
    with pytest.raises(CommandError) as error:
        call_command("erase_personal_data", "alice", interactive=False)
    text = str(error.value)
    assert "nothing was changed (RuntimeError: the payment provider refused)" in text
    assert "fix the cause, then run the command again" in text and "\n" not in text
    assert User.objects.filter(pk=alice.pk).exists()


def _action(client: Client, action: str, users: list[User], **extra: str) -> Any:
    return client.post(
        reverse("admin:pd_testapp_user_changelist"),
        {"action": action, "_selected_action": [u.pk for u in users], **extra},
    )


def test_admin_exports_the_selected_users_in_one_zip(
    admin_client: Client, alice: User, bob: User
) -> None:
    response = _action(admin_client, "export_personal_data", [alice, bob])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = unzip(response.content)
    assert set(names) == {f"user-{u.pk}/{f}" for u in (alice, bob) for f in FILES}
    core = json.loads(names[f"user-{bob.pk}/core.json"])
    assert core["models"]["pd_testapp.User"][0]["username"] == "bob"


def test_admin_erases_after_a_confirmation_page(
    admin_client: Client, alice: User, bob: User
) -> None:
    response = _action(admin_client, "erase_personal_data", [alice])
    assert response.status_code == 200
    assert b"cannot be undone" in response.content and b"alice" in response.content
    assert b'href="/admin/pd_testapp/user/"' in response.content  # "No, take me back"
    assert User.objects.filter(pk=alice.pk).exists()  # nothing yet
    Ledger.objects.create(user=bob)  # bob's erasure fails: it rolls back, alice's goes on
    response = _action(admin_client, "erase_personal_data", [alice, bob], erase_confirmed="yes")
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown[0].startswith("Erasing bob failed and nothing of theirs changed (ProtectedError")
    assert shown[1] == "Erased the personal data of 1 user."
    assert not User.objects.filter(pk=alice.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists() and Note.objects.filter(owner=bob).count() == 2


def test_a_worker_finds_the_export_task_in_cores_tasks_module() -> None:
    from celery import Celery

    app = Celery("acme")
    app.autodiscover_tasks(["quickscale_core"], force=True)
    assert "quickscale_core.personal_data.mail_export" in app.tasks


def test_the_task_mails_nothing_to_a_user_without_an_address(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(email="")
    tasks.mail_export(alice.pk, "https://acme.test")
    tasks.mail_export(10_000, "https://acme.test")  # gone since
    assert mail.outbox == [] and not default_storage.exists(services.ARCHIVE_DIR)


def test_without_declarations_the_export_is_a_readme_and_erasure_still_deletes_the_account(
    alice: User, settings: Any
) -> None:
    del settings.QUICKSCALE_PERSONAL_DATA  # a project generated before declarations
    assert list(unzip(services.export_archive(alice))) == ["README.md"]
    post_delete.disconnect(hooks.audit_deletion, sender=User)  # undeclared, it would dangle
    try:
        report = services.erase_user(alice)
    finally:
        post_delete.connect(hooks.audit_deletion, sender=User)
    assert report.deleted == {"pd_testapp.User": 1}
    assert not User.objects.filter(pk=alice.pk).exists()


@pytest.mark.parametrize("command", ["export_personal_data", "erase_personal_data"])
def test_commands_on_a_database_without_tables_name_the_migrate_command(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(User._meta, "db_table", "pd_testapp_not_migrated")
    with pytest.raises(CommandError) as error:
        call_command(command, "alice", "--no-input" if command.startswith("erase") else "-v1")
    assert "no such table" in str(error.value) or "does not exist" in str(error.value)
    assert "— run '.venv/bin/python manage.py migrate'" in str(error.value)
    assert "\n" not in str(error.value)
