"""Django settings for the backup module's own tests: a minimal project using it.

The database: quickscale_testing.modules (PostgreSQL in the run of
test_postgres.py); on SQLite a file, since backups copy the database file. Backups and
media files live in temporary directories of this test run.
"""

import tempfile
from pathlib import Path

from quickscale_modules.backup.settings import backup_storage
from quickscale_testing.modules import FAST_PASSWORD_HASHERS, on_postgres, test_database

WORK = Path(tempfile.mkdtemp(prefix="qs-backup-tests-"))

SECRET_KEY = "backup-module-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
ADMINS = [("Ops", "ops@example.com")]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "dbbackup",
    "quickscale_modules.backup",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MEDIA_ROOT = WORK / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "dbbackup": backup_storage({"QUICKSCALE_BACKUP_DIR": str(WORK / "backups")}, WORK),
}
DBBACKUP_CLEANUP_KEEP = 2
DBBACKUP_CLEANUP_KEEP_MEDIA = 2
DBBACKUP_DATE_FORMAT = "%Y-%m-%d-%H%M%S-%f"
DBBACKUP_GPG_ALWAYS_TRUST = True
DBBACKUP_SEND_EMAIL = False
DBBACKUP_TMP_DIR = str(WORK)

PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

DATABASES = {"default": test_database("backup")}
if not on_postgres():
    DATABASES["default"]["NAME"] = str(WORK / "db.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(WORK / "test.sqlite3")}
