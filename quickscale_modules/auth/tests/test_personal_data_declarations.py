"""The personal data this component declares in its manifest is real: every declared
model, user path and field exists in Django's app registry; the sample hook makes rows
of every declared model for its user alone; and erasing as declared (what the runtime
does: delete, or blank the listed fields) leaves nothing of that user reachable and the
other user's rows as they were.

The default settings install allauth's account app only; the outer test re-runs this
file with settings_every_model (social login, MFA and sessions on), where every
declared model is installed and checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from quickscale_testing.personal_data import Declared

PACKAGE_DIR = Path(__file__).resolve().parents[1]
EVERY = Declared.of(PACKAGE_DIR)
DECLARED = EVERY.installed()
INNER = os.environ.get("DJANGO_SETTINGS_MODULE") == "settings_every_model"


@pytest.mark.parametrize("label", DECLARED.labels)
def test_declaration_names_real_fields(label: str) -> None:
    DECLARED.check_fields(label)


def test_component_is_declared() -> None:
    DECLARED.check_declared()


@pytest.mark.django_db
def test_sample_rows_are_their_users_and_erasure_leaves_the_other_user_alone() -> None:
    DECLARED.check_sample_and_erasure()


def test_sample_passes_over_what_is_not_installed() -> None:
    """Here the account app alone is installed (the others in the subprocess)."""
    if INNER:
        assert DECLARED.models == EVERY.models
    else:
        assert DECLARED.labels == ["account.EmailAddress", "account.EmailConfirmation"]


@pytest.mark.skipif(INNER, reason="outer driver")
def test_every_declaration_holds_with_every_feature_on() -> None:
    from conftest import require

    require("fido2", "allauth.mfa needs django-allauth[mfa]")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__],
        cwd=PACKAGE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings_every_model"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # One per declared model, the component, sample and erasure, the pass-over check.
    expected = len(EVERY.models) + 3
    assert re.search(rf"\b{expected} passed, 1 skipped\b", result.stdout), result.stdout[-2000:]
