"""Django settings for the starter theme's own tests (never used by projects)."""

from pathlib import Path

from quickscale_testing.modules import middleware

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "starter-tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "quickscale_themes.starter",
    "starter_testapp",
]

MIDDLEWARE = middleware()

ROOT_URLCONF = "starter_urls"
AUTH_USER_MODEL = "starter_testapp.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_URL = "/static/"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
# As a generated project: English only (the switcher hides); tests offer more themselves.
LANGUAGES = [("en", "English")]
QUICKSCALE_SITE_NAME = "Acme Starter"
