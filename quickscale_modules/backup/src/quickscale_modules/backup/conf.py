"""The backup module's settings, resolved by its app when Django loads it.

The project's settings.py sets the options of quickscale.yml (QUICKSCALE_BACKUP_PROVIDER,
_KEEP, _HOUR). From them and the environment, as before, the app sets django-dbbackup's
DBBACKUP_* and STORAGES["dbbackup"] (QUICKSCALE_BACKUP_DIR or QUICKSCALE_BACKUP_S3_*),
and the nightly entry of CELERY_BEAT_SCHEDULE; a name (or entry) the project's settings
set wins (quickscale_core.app_settings).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from quickscale_modules.backup.settings import backup_storage

KEEP = 14  # backups kept when the project's settings say nothing (the option's default)
HOUR = 3


def defaults(settings: Any) -> dict[str, Any]:
    keep = getattr(settings, "QUICKSCALE_BACKUP_KEEP", KEEP)
    return {
        "DBBACKUP_CLEANUP_KEEP": keep,
        "DBBACKUP_CLEANUP_KEEP_MEDIA": keep,
        "DBBACKUP_DATE_FORMAT": "%Y-%m-%d-%H%M%S-%f",
        "DBBACKUP_GPG_RECIPIENT": os.environ.get("DBBACKUP_GPG_RECIPIENT") or None,
        "DBBACKUP_GPG_ALWAYS_TRUST": True,  # the server's own key, imported by its operator
        "DBBACKUP_SEND_EMAIL": False,  # failures are notified by the module
        "QUICKSCALE_BACKUP_NOTIFY": [
            a.strip()
            for a in os.environ.get("QUICKSCALE_BACKUP_NOTIFY", "").split(",")
            if a.strip()
        ],
    }


def storages(settings: Any) -> dict[str, Any]:
    """STORAGES["dbbackup"]: where backups go (backups/ next to manage.py by default)."""
    base = Path(getattr(settings, "BASE_DIR", Path.cwd()))
    return {"dbbackup": backup_storage(os.environ, base / "backups")}


def beat_schedule(settings: Any) -> dict[str, Any]:
    """Nightly at QUICKSCALE_BACKUP_HOUR on the scheduler (`celery -A <project> beat`);
    or run `python manage.py backup` from cron."""
    from celery.schedules import crontab

    hour = getattr(settings, "QUICKSCALE_BACKUP_HOUR", HOUR)
    return {
        "backup-nightly": {
            "task": "quickscale_backup.run_backup",
            "schedule": crontab(hour=hour, minute=0),
        }
    }
