"""Backups on the real engines: round trip, retention, encryption, safe restore and the
failure notification."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from quickscale_modules.backup import services

User = get_user_model()
pytestmark = pytest.mark.django_db(transaction=True)


def backups() -> list[str]:
    return sorted(os.listdir(settings.STORAGES["dbbackup"]["OPTIONS"]["location"]))


def snapshot() -> list[tuple[str, str, str, bool]]:
    return list(
        User.objects.order_by("pk").values_list("username", "email", "first_name", "is_staff")
    )


def media(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def test_back_up_change_restore_and_everything_is_back_exactly() -> None:
    User.objects.create_user("ada", "ada@example.com", "pw", first_name="Ada")
    User.objects.create_user("bob", "bob@example.com", "pw", is_staff=True)
    media("invoices").mkdir()
    media("invoices/2026-001.pdf").write_bytes(b"%PDF-1.7 invoice one\x00\xff")
    before = snapshot()
    out = io.StringIO()
    call_command("backup", stdout=out)
    assert "Database: " in out.getvalue() and "Media: " in out.getvalue()
    database, media_file = (line.split(": ")[1] for line in out.getvalue().splitlines())

    User.objects.filter(username="ada").update(first_name="Changed")
    User.objects.filter(username="bob").delete()
    User.objects.create_user("eve", "eve@example.com", "pw")
    media("invoices/2026-001.pdf").write_bytes(b"tampered")
    media("new.txt").write_text("new")

    call_command(
        "restore_backup",
        "--force",
        "--database-file",
        database,
        "--media-file",
        media_file,
        stdout=io.StringIO(),
    )
    assert snapshot() == before
    assert User.objects.get(username="ada").check_password("pw")
    assert media("invoices/2026-001.pdf").read_bytes() == b"%PDF-1.7 invoice one\x00\xff"


def test_old_backups_are_pruned_to_the_retention() -> None:
    User.objects.create_user("ada", "ada@example.com", "pw")
    for _ in range(3):
        call_command("backup", stdout=io.StringIO())
    names = [name for name in backups() if not name.endswith(".metadata")]
    assert len([n for n in names if ".tar" not in n]) == 2, names  # the database's
    assert len([n for n in names if ".tar" in n]) == 2, names  # the media files'


def test_a_database_that_holds_data_is_not_overwritten_without_confirmation() -> None:
    User.objects.create_user("ada", "ada@example.com", "pw")
    call_command("backup", "--no-media", stdout=io.StringIO())
    User.objects.create_user("bob", "bob@example.com", "pw")
    assert services.holds_data()
    with pytest.raises(CommandError, match=r"holds data .* pass --force"):
        call_command("restore_backup", stdout=io.StringIO())  # no terminal to answer
    assert User.objects.filter(username="bob").exists()  # nothing changed
    call_command("restore_backup", "--force", stdout=io.StringIO())
    assert not User.objects.filter(username="bob").exists()


def test_a_database_without_data_is_restored_without_asking() -> None:
    User.objects.create_user("ada", "ada@example.com", "pw")
    call_command("backup", "--no-media", stdout=io.StringIO())
    User.objects.all().delete()
    assert not services.holds_data()
    call_command("restore_backup", stdout=io.StringIO())
    assert [u.username for u in User.objects.all()] == ["ada"]


def test_with_a_key_the_backup_is_encrypted_and_restores(
    gpg_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dbbackup.settings as dbbackup_settings

    marker = "known-row-7f3a9c"
    User.objects.create_user(marker, f"{marker}@example.com", "pw")
    media("note.txt").write_text(marker)
    monkeypatch.setattr(dbbackup_settings, "GPG_RECIPIENT", gpg_key)  # read at its import
    with override_settings(DBBACKUP_GPG_RECIPIENT=gpg_key):
        result = services.run_backup()
        assert result.database.endswith(".gpg") and (result.media or "").endswith(".gpg")
        location = Path(settings.STORAGES["dbbackup"]["OPTIONS"]["location"])
        for name in (result.database, result.media or ""):
            raw = (location / name).read_bytes()
            assert marker.encode() not in raw
            with pytest.raises(OSError):
                gzip.decompress(raw)  # not even a compressed copy of the clear text
        User.objects.all().delete()
        call_command("restore_backup", "--database-file", result.database, stdout=io.StringIO())
    assert User.objects.filter(username=marker).exists()


@pytest.fixture
def broken_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backup folder's place is taken by a file: every write fails."""
    import dbbackup.settings as dbbackup_settings

    blocker = Path(settings.STORAGES["dbbackup"]["OPTIONS"]["location"]).parent / "not-a-dir"
    blocker.write_text("a file where the backup folder should be")
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", {"location": str(blocker / "x")})


@pytest.mark.usefixtures("broken_storage")
def test_a_failed_backup_emails_the_admins() -> None:
    with pytest.raises(CommandError, match="the backup failed"):
        call_command("backup", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.to == ["ops@example.com"] and "Backup failed" in message.subject


@pytest.mark.usefixtures("broken_storage")
@override_settings(QUICKSCALE_BACKUP_NOTIFY=["oncall@example.com"])
def test_with_the_notifications_module_the_failure_is_its_templated_email() -> None:
    with (
        override_settings(
            INSTALLED_APPS=[*settings.INSTALLED_APPS, "quickscale_modules.notifications"]
        ),
        pytest.raises(services.BackupFailed),
    ):
        services.run_backup()
    [message] = mail.outbox
    assert message.to == ["oncall@example.com"]
    assert message.subject == "Backup failed"
    assert "The scheduled backup did not complete." in message.body


@pytest.mark.parametrize("notifications", [False, True])
@override_settings(LANGUAGE_CODE="es", QUICKSCALE_BACKUP_NOTIFY=["oncall@example.com"])
def test_the_failure_mail_is_in_the_sites_language(notifications: bool, spanish: str) -> None:
    apps = [*settings.INSTALLED_APPS, "quickscale_modules.notifications"]
    with (
        override_settings(INSTALLED_APPS=apps if notifications else settings.INSTALLED_APPS),
        translation.override("en"),  # whatever language is active where it fails
    ):
        services.notify_failure(OSError("disk full"))
    [message] = mail.outbox
    assert message.subject.endswith("La copia de seguridad falló")
    if notifications:
        assert message.body.startswith("La copia de seguridad programada no se completó.")
        assert 'Ejecuta "python manage.py backup" en el servidor' in message.body
    assert "OSError: disk full" in message.body


@pytest.mark.django_db(transaction=False)
def test_the_options_reach_the_generated_settings() -> None:
    import ast

    from django.conf import settings
    from quickscale_toolchain.generator.settings_model import component_assignments

    from quickscale_modules.backup import conf

    package = Path(__file__).resolve().parent.parent
    default = component_assignments(package)
    assert '"QUICKSCALE_BACKUP_KEEP", default=14' in default["QUICKSCALE_BACKUP_KEEP"]
    assert default["QUICKSCALE_BACKUP_HOUR"] == "3"
    chosen = component_assignments(package, keep=3, hour=5)
    assert '"QUICKSCALE_BACKUP_KEEP", default=3' in chosen["QUICKSCALE_BACKUP_KEEP"]
    for code in chosen.values():
        ast.parse(code)
    # The app builds dbbackup's settings and the beat entry from those two settings.
    with override_settings(QUICKSCALE_BACKUP_KEEP=3, QUICKSCALE_BACKUP_HOUR=5):
        assert conf.defaults(settings)["DBBACKUP_CLEANUP_KEEP"] == 3
        nightly = conf.beat_schedule(settings)["backup-nightly"]["schedule"]
        assert nightly.hour == {5} and nightly.minute == {0}
