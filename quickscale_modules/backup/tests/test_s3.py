"""Backups on S3-compatible storage: a real S3 API (moto's server, on loopback) holds
both the media files (the project's default storage, as with django-storages in
production) and the backups; the round trip brings data and media back exactly."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from quickscale_modules.backup.settings import backup_storage
from quickscale_testing.modules import unavailable

from quickscale_modules.backup import services

pytestmark = pytest.mark.django_db(transaction=True)
KEYS = {
    "QUICKSCALE_BACKUP_S3_ACCESS_KEY_ID": "test",
    "QUICKSCALE_BACKUP_S3_SECRET_ACCESS_KEY": "test",
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        unavailable("moto[server] is not installed (it is in requirements-dev.txt)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    for bucket in ("acme-media", "acme-backups"):
        client.create_bucket(Bucket=bucket)
    yield endpoint
    server.stop()


@pytest.fixture
def on_s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3
    import dbbackup.settings as dbbackup_settings

    env = {
        **KEYS,
        "QUICKSCALE_BACKUP_S3_BUCKET": "acme-backups",
        "QUICKSCALE_BACKUP_S3_ENDPOINT_URL": s3_endpoint,
        "QUICKSCALE_BACKUP_S3_REGION": "us-east-1",
    }
    backups = backup_storage(env, settings.MEDIA_ROOT)
    media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "acme-media",
            "endpoint_url": s3_endpoint,
            "access_key": "test",
            "secret_key": "test",
            "region_name": "us-east-1",
        },
    }
    storages = {**settings.STORAGES, "default": media, "dbbackup": backups}
    # django-dbbackup reads its storage from the settings when it is imported.
    monkeypatch.setattr(dbbackup_settings, "STORAGE", backups["BACKEND"])
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", backups["OPTIONS"])
    with override_settings(STORAGES=storages):
        yield boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )


def test_round_trip_with_backups_and_media_on_s3(on_s3: Any) -> None:
    User = get_user_model()
    User.objects.create_user("ada", "ada@example.com", "pw", first_name="Ada")
    default_storage.save("avatars/ada.png", ContentFile(b"\x89PNG ada's avatar"))
    out = io.StringIO()
    call_command("backup", stdout=out)
    database, media_file = (line.split(": ")[1] for line in out.getvalue().splitlines())
    keys = [o["Key"] for o in on_s3.list_objects_v2(Bucket="acme-backups")["Contents"]]
    assert f"backups/{database}" in keys and f"backups/{media_file}" in keys

    User.objects.filter(username="ada").update(first_name="Changed")
    default_storage.delete("avatars/ada.png")
    default_storage.save("avatars/ada.png", ContentFile(b"tampered"))

    services.restore(database, media_file=media_file)
    assert User.objects.get(username="ada").first_name == "Ada"
    with default_storage.open("avatars/ada.png") as restored:
        assert restored.read() == b"\x89PNG ada's avatar"
