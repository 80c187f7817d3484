"""Django settings for the auth module's own tests: a minimal project using the helpers.

The database: SQLite in memory, or QUICKSCALE_TEST_DATABASE_URL in the PostgreSQL run
that test_postgres.py drives in a subprocess (quickscale_testing.modules).
"""

import os
from pathlib import Path

from quickscale_testing.modules import (
    CONTRIB_APPS,
    FAST_PASSWORD_HASHERS,
    middleware,
    test_database,
)

from quickscale_modules.auth import settings as qs_auth

TESTS_DIR = Path(__file__).resolve().parent

# Social login is off by default; test_social.py turns it on in a subprocess, as
# quickscale.yml's `social` option does: GitHub, Apple, and OpenID Connect against the local
# provider of test_social_oidc.py (conf.py makes allauth's settings of it).
if os.environ.get("QS_AUTH_SOCIAL"):
    QUICKSCALE_AUTH_SOCIAL = {
        "github": {"scope": ["user:email"]},
        "apple": {},
        "openid_connect": {"server_url": os.environ["QS_AUTH_OIDC_URL"], "name": "Acme ID"},
    }
SOCIAL_PROVIDERS = globals().get("QUICKSCALE_AUTH_SOCIAL", {})

SECRET_KEY = "auth-module-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en"

INSTALLED_APPS = [
    *CONTRIB_APPS,
    "qs_auth_testapp",
    *qs_auth.installed_apps(SOCIAL_PROVIDERS),
]

MIDDLEWARE = middleware(last=qs_auth.MIDDLEWARE)

AUTHENTICATION_BACKENDS = qs_auth.AUTHENTICATION_BACKENDS
AUTH_USER_MODEL = "qs_auth_testapp.User"
globals().update(
    qs_auth.allauth_settings(
        debug=True,
        ACCOUNT_EMAIL_SUBJECT_PREFIX="[Acme] ",
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

# Rate limits live in the cache: a real (in-process) one, cleared between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = FAST_PASSWORD_HASHERS

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "Acme <no-reply@acme.test>"


DATABASES = {"default": test_database("auth")}
