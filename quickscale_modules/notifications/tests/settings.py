"""Django settings for the notifications module's own tests (no project needed)."""

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "notifications-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("pt", "Portuguese"),
    ("de", "German"),
    ("es", "Spanish"),
    ("ar", "Arabic"),
    ("he", "Hebrew"),
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "anymail",
    "quickscale_modules.notifications",
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [TESTS_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]

DEFAULT_FROM_EMAIL = "Acme <no-reply@acme.test>"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
