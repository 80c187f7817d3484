"""Settings helpers for the backup module (called from the project's settings.py).

Where backups go: a local directory by default (``QUICKSCALE_BACKUP_DIR``, default
``<project>/backups``), or an S3-compatible bucket when ``QUICKSCALE_BACKUP_S3_BUCKET``
is set (with django-storages' S3 backend, which the project then needs installed).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def backup_storage(env: Mapping[str, str], default_dir: Path) -> dict[str, Any]:
    """The ``STORAGES["dbbackup"]`` entry django-dbbackup writes to and reads from."""
    bucket = env.get("QUICKSCALE_BACKUP_S3_BUCKET", "")
    if not bucket:
        location = env.get("QUICKSCALE_BACKUP_DIR") or str(default_dir)
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "file_permissions_mode": 0o600},
        }
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env.get("QUICKSCALE_BACKUP_S3_PREFIX", "backups"),
        "default_acl": "private",
        "file_overwrite": False,
    }
    for option, variable in (
        ("endpoint_url", "QUICKSCALE_BACKUP_S3_ENDPOINT_URL"),
        ("region_name", "QUICKSCALE_BACKUP_S3_REGION"),
        ("access_key", "QUICKSCALE_BACKUP_S3_ACCESS_KEY_ID"),
        ("secret_key", "QUICKSCALE_BACKUP_S3_SECRET_ACCESS_KEY"),
    ):
        if env.get(variable):
            options[option] = env[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
