"""Django settings for the todo theme's own tests (never used by projects).

SQLite is always the default database. When QUICKSCALE_TEST_DATABASE_URL is set, a second
alias "postgres" is added and the ``backend`` fixture runs the marked tests on it as well.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from quickscale_testing.modules import CONTRIB_APPS, middleware

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "todo-tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    *CONTRIB_APPS,
    "quickscale_themes.starter",
    "quickscale_themes.todo",
    "todo_testapp",
]

MIDDLEWARE = middleware()

ROOT_URLCONF = "todo_urls"
AUTH_USER_MODEL = "todo_testapp.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quickscale_todo:list_index"
LOGOUT_REDIRECT_URL = "quickscale_starter:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Stands in for the project's custom_frontend/templates (login page only).
        "DIRS": [TESTS_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quickscale_themes.starter.context_processors.site",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"QUICKSCALE_TEST_DATABASE_URL must be a postgres:// URL, not {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # A name of our own, so other packages' test runs never collide with ours.
        "TEST": {"NAME": "test_quickscale_theme_todo"},
    }


# A file for the tests that need two connections at once: an in-memory database is one
# connection's (or, shared, locks per table rather than as SQLite locks a file).
_SQLITE_FILE = str(Path(tempfile.gettempdir()) / f"quickscale_todo_tests_{os.getpid()}.sqlite3")
DATABASES: dict[str, dict[str, object]] = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "sqlite_file": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _SQLITE_FILE,
        "TEST": {"NAME": _SQLITE_FILE},
    },
}
if os.environ.get("QUICKSCALE_TEST_DATABASE_URL"):
    DATABASES["postgres"] = _database_from_url(os.environ["QUICKSCALE_TEST_DATABASE_URL"])
DATABASE_ROUTERS = ["dbrouting.ActiveDatabaseRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_URL = "/static/"
# Stands in for the project's vendored htmx (static/vendor/htmx.min.js).
STATICFILES_DIRS = [TESTS_DIR / "static"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
# As a generated project: English only (the switcher hides); tests offer more themselves.
LANGUAGES = [("en", "English")]
QUICKSCALE_SITE_NAME = "Acme Todo"
QUICKSCALE_TODO_LISTS_PER_PAGE = 5
