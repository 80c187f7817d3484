"""System check: with provider aws, the bucket is set before deploying.

A deploy check (``manage.py check --deploy``), as for the other modules' credentials: an
image builds and migrates without it, and in development backups fall back to the local
directory.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

S3_BACKEND = "storages.backends.s3.S3Storage"


@checks.register(deploy=True)
def check_bucket_for_deployment(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Provider aws with DEBUG off: backups must go to the bucket, not the disk."""
    provider = getattr(settings, "QUICKSCALE_BACKUP_PROVIDER", "local")
    backend = settings.STORAGES.get("dbbackup", {}).get("BACKEND")
    if settings.DEBUG or provider != "aws" or backend == S3_BACKEND:
        return []
    return [
        checks.Error(
            "backup: provider aws needs QUICKSCALE_BACKUP_S3_BUCKET when DEBUG is off; "
            "backups would go to the server's disk.",
            hint=(
                "Set QUICKSCALE_BACKUP_S3_BUCKET (and the QUICKSCALE_BACKUP_S3_* credentials) "
                "as environment variables; see quickscale_modules/backup/README.md."
            ),
            id="quickscale_backup.E001",
        )
    ]
