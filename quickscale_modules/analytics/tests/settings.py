"""Django settings for the analytics module's own tests: a minimal project using it,
wired as the module's settings snippet wires a generated project.

The database: quickscale_testing.modules (SQLite, or PostgreSQL in the run of
test_postgres.py).
"""

from pathlib import Path

from quickscale_testing.modules import (
    CONTRIB_APPS,
    FAST_PASSWORD_HASHERS,
    QUIET_LOGGING,
    TEST_TEMPLATES,
    middleware,
    test_database,
)

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "analytics-module-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"

INSTALLED_APPS = [
    *CONTRIB_APPS,
    "quickscale_modules.analytics",
]

MIDDLEWARE = middleware(
    after_authentication=["quickscale_modules.analytics.middleware.PageViewMiddleware"]
)
QUICKSCALE_ANALYTICS_IGNORE_PATHS = ["/admin/", "/health/", "/favicon.ico", "/robots.txt"]
QUICKSCALE_ANALYTICS_RETENTION_DAYS = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "urls"
STATIC_URL = "/static/"
MEDIA_URL = "/media/"


TEMPLATES = TEST_TEMPLATES
PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
LOGGING = QUIET_LOGGING


DATABASES = {"default": test_database("analytics")}
