"""Production settings fail at start-up, with the variable to set, when credentials lack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
SRC_DIR = TESTS_DIR.parent / "src"


def _start_django(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENDGRID_", "MAILGUN_", "EMAIL_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "prod_settings",
            "PYTHONPATH": os.pathsep.join([str(TESTS_DIR), str(SRC_DIR)]),
            **extra_env,
        }
    )
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_missing_credentials_stop_django_setup_with_clear_message() -> None:
    result = _start_django({"QS_TEST_PROVIDER": "sendgrid"})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "SENDGRID_API_KEY" in last_line


def test_credentials_present_start_with_the_anymail_backend() -> None:
    result = _start_django({"QS_TEST_PROVIDER": "sendgrid", "SENDGRID_API_KEY": "SG.x"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "anymail.backends.sendgrid.EmailBackend"
