"""Django settings for the payments module's own tests: a minimal project using it.

The database: SQLite in memory, or QUICKSCALE_TEST_DATABASE_URL in the PostgreSQL run
that test_postgres.py drives in a subprocess (quickscale_testing.modules). Where
Stripe's API is (localstripe, started by conftest.py) is set on ``stripe.api_base`` at
run time.
"""

from pathlib import Path

from quickscale_testing.modules import (
    CONTRIB_APPS,
    FAST_PASSWORD_HASHERS,
    QUIET_LOGGING,
    middleware,
    test_database,
)

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

MIDDLEWARE = middleware()

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


DATABASES = {"default": test_database("payments")}
