"""The "Your data" and "Delete my account" pages.

quickscale_core's app (the download link of a mailed archive) and a broker are fixed at
start-up, so the first test runs personal_data_suite.py in a pytest subprocess with
settings_personal_data: both actions wait for re-authentication, the archive is the
response without a broker and a mailed link with one, deleting needs the typed address
and ends logged out, and one Chromium walk does it all. Here: the confirmation's rule.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import run_inner_suite

from quickscale_modules.auth import forms, services

INNER_TESTS = 9  # each must pass, none skipped


def test_the_personal_data_suite_passes() -> None:
    run_inner_suite(
        "settings_personal_data", "tests/personal_data_suite.py", passed=f"{INNER_TESTS} passed"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("ada@example.com", True),
        ("  ADA@example.com ", True),
        ("", False),
        ("ada@example.co", False),
        ("grace@example.com", False),
        ("ada", False),
    ],
)
def test_the_confirmation_is_the_user_s_own_address(typed: str, valid: bool) -> None:
    user: Any
    user, _ = services.get_or_create_user_by_email("ada@example.com", password="x-9-long-pass")
    form = forms.DeleteAccountForm({"confirmation": typed}, user=user)
    assert form.is_valid() is valid
