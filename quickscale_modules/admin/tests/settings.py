"""Django settings for the admin module's own tests: a minimal project using it, wired
as the module's settings snippet wires a generated project.

The database: quickscale_testing.modules (SQLite, or PostgreSQL in the run of
test_postgres.py).
"""

from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from quickscale_testing.modules import (
    CONTRIB_APPS,
    FAST_PASSWORD_HASHERS,
    QUIET_LOGGING,
    TEST_TEMPLATES,
    middleware,
    test_database,
)

from quickscale_modules.admin import settings as qs_admin

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "admin-module-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
LANGUAGE_CODE = "en"

INSTALLED_APPS = [
    "unfold",
    *CONTRIB_APPS,
    "csp",
    "auditlog",
    "quickscale_modules.admin",
]

# Where the module's settings snippet puts them: after the authentication middleware.
MIDDLEWARE = middleware(
    after_authentication=[
        "quickscale_modules.admin.audit.AuditMiddleware",
        "quickscale_modules.admin.middleware.AdminPolicyMiddleware",
    ],
    csp=True,
)

# The strict policy every page of a generated project has (quickscale_core.settings).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}

UNFOLD = qs_admin.unfold_config(site_title="Acme", stylesheets=["css/variant.css"])
# One counter of an installed model, one of a component that is not enabled here.
QUICKSCALE_ADMIN_COUNTERS = [
    {"label": "Audit log entries", "model": "auditlog.LogEntry"},
    {"label": "Invoices", "model": "quickscale_notenabled.Invoice"},
]
# What generation writes from the manifests' markings; here one field of a model the
# tests have, so they can tell a marked field from the others.
QUICKSCALE_FIELD_MARKINGS = {"auth.User": {"last_name": ["secret"]}}
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = qs_admin.AUDITLOG_EXCLUDE
AUDITLOG_EXCLUDE_TRACKING_FIELDS = qs_admin.AUDITLOG_EXCLUDE_FIELDS
AUDITLOG_DISABLE_REMOTE_ADDR = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "urls"
STATIC_URL = "/static/"
STATICFILES_DIRS = [TESTS_DIR / "static"]  # plays the role of the variant's static files


TEMPLATES = TEST_TEMPLATES
PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
LOGGING = QUIET_LOGGING


DATABASES = {"default": test_database("admin")}
