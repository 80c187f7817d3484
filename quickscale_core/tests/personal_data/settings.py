"""Django settings of the small project personal data's runtime is tested in: one app
(pd_testapp) standing for a project and two components, declared by hand in
QUICKSCALE_PERSONAL_DATA as generation would write them. SQLite in memory, or
PostgreSQL in the run test_personal_data.py starts with QS_MODULE_TEST_DB=postgres."""

from quickscale_testing.modules import (
    CONTRIB_APPS,
    FAST_PASSWORD_HASHERS,
    QUIET_LOGGING,
    TEST_TEMPLATES,
    middleware,
    test_database,
)

SECRET_KEY = "personal-data-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
INSTALLED_APPS = [*CONTRIB_APPS, "quickscale_core", "pd_testapp"]
MIDDLEWARE = middleware()
AUTH_USER_MODEL = "pd_testapp.User"
PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
DATABASES = {"default": test_database("personal_data")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "urls"
STATIC_URL = "/static/"
TEMPLATES = TEST_TEMPLATES
LOGGING = QUIET_LOGGING
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "Acme <noreply@acme.test>"
CELERY_BROKER_URL = ""  # no broker: an export is built in the request
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# MEDIA_ROOT (the stored archives) is set per test by the suite's conftest.

QUICKSCALE_FIELD_MARKINGS = {
    "pd_testapp.User": {"password": ["secret"]},
    "pd_testapp.Note": {"private": ["secret"]},
}

QUICKSCALE_PERSONAL_DATA = {
    "core": {
        "models": {
            "pd_testapp.User": {
                "user": "pk",
                "description": "Your account",
                "erase": "delete",
                "export": None,
                "anonymize": [],
                "reason": "",
            },
            "admin.LogEntry": {
                "user": "user",
                "description": "Changes you made in the admin",
                "erase": "delete",
                "export": None,
                "anonymize": [],
                "reason": "",
            },
        },
        "before_erase": "",
        "sample": "",
    },
    "themes/notes": {
        "models": {
            "pd_testapp.Note": {
                "user": "owner",
                "description": "Your notes",
                "erase": "delete",
                "export": None,
                "anonymize": [],
                "reason": "",
            },
            "pd_testapp.Tag": {
                "user": "note__owner",
                "description": "The tags of your notes",
                "erase": "delete",
                "export": ["label"],
                "anonymize": [],
                "reason": "",
            },
        },
        "before_erase": "pd_testapp.hooks.before_erase",
        "sample": "pd_testapp.hooks.sample_notes",
    },
    "modules/ledger": {
        "models": {
            "pd_testapp.Payment": {
                "user": "user",
                "description": "Your payments",
                "erase": "anonymize",
                "export": None,
                "anonymize": ["user", "description", "payer_name"],
                "reason": "Payment records are kept for bookkeeping, without who paid.",
            },
            "pd_testapp.Consent": {
                "user": "user",
                "description": "The terms you agreed to",
                "erase": "keep",
                "export": None,
                "anonymize": [],
                "reason": "Proof of consent is kept as the law asks.",
            },
            # An optional app of the component that this project leaves out: no rows.
            "socialaccount.SocialAccount": {
                "user": "user",
                "description": "Accounts you linked",
                "erase": "delete",
                "export": None,
                "anonymize": [],
                "reason": "",
            },
        },
        "before_erase": "pd_testapp.hooks.before_erase_ledger",
        "sample": "pd_testapp.hooks.sample_ledger",
    },
    "modules/quiet": {"models": {}, "before_erase": "", "sample": ""},
    "modules/audit": {
        "models": {
            "pd_testapp.AuditEntry": {
                "user": "actor",
                "description": "What you did",
                "erase": "anonymize",
                "export": None,
                "anonymize": ["actor"],
                "reason": "The audit trail keeps what happened, without who did it.",
            },
        },
        "before_erase": "",
        "sample": "pd_testapp.hooks.sample_audit",
    },
}
