"""Django settings for the billing module's own tests: a minimal project using it.

SQLite in a file; the PostgreSQL run (test_postgres.py, see quickscale_testing.modules)
switches the database to QUICKSCALE_TEST_DATABASE_URL. Where Stripe's API is
(localstripe, started by conftest.py) is set on ``stripe.api_base`` at run time.
"""

import os
import tempfile
from pathlib import Path

from quickscale_testing.modules import (
    CONTRIB_APPS,
    FAST_PASSWORD_HASHERS,
    QUIET_LOGGING,
    middleware,
    test_database,
)

from quickscale_modules.billing import settings as qs_billing
from quickscale_modules.payments import settings as qs_payments

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "billing-module-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
LANGUAGE_CODE = "en"

INSTALLED_APPS = [
    *CONTRIB_APPS,
    *qs_payments.INSTALLED_APPS,
    *qs_billing.INSTALLED_APPS,
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
LOGIN_URL = "/login/"
# The plans file `quickscale generate` writes; the tests write their own.
QUICKSCALE_BILLING_PLANS_FILE = str(TESTS_DIR / "plans.json")
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


DATABASES = {"default": test_database("billing")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, as a project's db.sqlite3: test_limits.py opens several connections at once
    # (an in-memory database is one connection's, or shared, locks per table instead).
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"quickscale_billing_tests_{os.getpid()}.db")
    }
