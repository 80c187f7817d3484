"""The auth module's test project for the "Your data" and "Delete my account" pages: the
themed, strict-CSP project (settings_themed) with quickscale_core's app (its
personal-data services, mail template and signed download link) and the declarations a
generated project's QUICKSCALE_PERSONAL_DATA would hold for the models installed here,
written by hand. A broker is named ("memory://") with tasks run eagerly, so an export
takes the mailed path and its task runs in the requesting process. test_personal_data.py
runs personal_data_suite.py with these settings in a subprocess.
"""

from settings_themed import *  # noqa: F403
from settings_themed import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "quickscale_core"]
ROOT_URLCONF = "urls_personal_data"


def _declared(user: str, description: str) -> dict[str, object]:
    return {
        "user": user,
        "description": description,
        "erase": "delete",
        "export": None,
        "anonymize": [],
        "reason": "",
    }


QUICKSCALE_PERSONAL_DATA = {
    "core": {
        "models": {
            "qs_auth_testapp.User": _declared("pk", "Your account"),
            "admin.LogEntry": _declared("user", "Changes you made in the admin"),
        },
        "before_erase": "",
        "sample": "",
    },
    "modules/auth": {
        "models": {
            "account.EmailAddress": _declared("user", "Your email addresses"),
            "account.EmailConfirmation": _declared(
                "email_address__user", "Confirmations sent to your email addresses"
            ),
        },
        "before_erase": "",
        "sample": "",
    },
}

# The manifest's marking: a confirmation key is never exported.
QUICKSCALE_FIELD_MARKINGS = {"account.EmailConfirmation": {"key": ["secret"]}}

CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
