"""Django settings for the payments module's own tests: a minimal project using it.

QS_PAYMENTS_TEST_DB=postgres switches the database to QUICKSCALE_TEST_DATABASE_URL
(the PostgreSQL run is driven by test_postgres.py in a subprocess). Where Stripe's API
is (localstripe, started by conftest.py) is set on ``stripe.api_base`` at run time.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from quickscale_core.module_testing import CONTRIB_APPS, FAST_PASSWORD_HASHERS, QUIET_LOGGING

from quickscale_modules.payments import settings as qs_payments

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "payments-module-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
LANGUAGE_CODE = "en"

INSTALLED_APPS = [
    *CONTRIB_APPS,
    *qs_payments.INSTALLED_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

# Test keys in the shape Stripe issues them; the API they reach is a local fake.
globals().update(
    qs_payments.stripe_settings(
        {
            "STRIPE_SECRET_KEY": "sk_test_51QuickScaleModuleTests000000",
            "STRIPE_PUBLISHABLE_KEY": "pk_test_51QuickScaleModuleTests000000",
            "STRIPE_WEBHOOK_SECRET": "whsec_quickscale_tests",
        }
    )
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "urls"
STATIC_URL = "/static/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [TESTS_DIR / "templates"],  # plays the role of custom_frontend/templates
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
LOGGING = QUIET_LOGGING


def _postgres(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
        # Unique per process: other packages' suites share this server.
        "TEST": {"NAME": f"test_qs_payments_{os.getpid()}"},
    }


if os.environ.get("QS_PAYMENTS_TEST_DB") == "postgres":
    DATABASES = {"default": _postgres(os.environ["QUICKSCALE_TEST_DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
