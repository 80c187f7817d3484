"""The sessions feature (allauth.usersessions): off by default, on by the options
``sessions`` / ``session_activity``.

INSTALLED_APPS is fixed at start-up, so the first test runs sessions_suite.py in a
pytest subprocess with settings_sessions (feature on, the starter theme, the strict
CSP): two browsers, ending one session and all the others, the session engine check.
Here, with the feature off: nothing of it shows, and the helpers' tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import run_inner_suite
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import NoReverseMatch, reverse
from quickscale_toolchain.generator.settings_model import component_assignments

from quickscale_modules.auth import services, sessions

PACKAGE_DIR = Path(__file__).resolve().parent.parent
INNER_TESTS = 3  # each must pass, none skipped


def test_the_sessions_suite_passes_with_the_feature_on() -> None:
    run_inner_suite("settings_sessions", "tests/sessions_suite.py", passed=f"{INNER_TESTS} passed")


@pytest.mark.parametrize(
    ("user_agent", "shown"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/18.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
            "Chrome on iOS",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        ("curl/8.11.0", "Unknown device"),
        ("", "Unknown device"),
    ],
)
def test_the_device_is_named_from_the_user_agent(user_agent: str, shown: str) -> None:
    assert sessions.device(user_agent) == shown


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48"),
        ("not an address", ""),
    ],
)
def test_the_location_is_the_network_not_the_address(address: str, shown: str) -> None:
    assert sessions.network(address) == shown


@pytest.mark.parametrize(
    ("options", "written"),
    [
        ({}, {}),
        ({"sessions": False, "session_activity": False}, {}),
        ({"sessions": True}, {"QUICKSCALE_AUTH_SESSIONS": "True"}),
        ({"session_activity": True}, {"USERSESSIONS_TRACK_ACTIVITY": "True"}),
    ],
)
def test_the_options_write_a_setting_only_when_on(
    options: dict[str, bool], written: dict[str, str]
) -> None:
    """Off (the default) the project's settings.py is as without the feature."""
    assigned = component_assignments(PACKAGE_DIR, **options)
    assert assigned == {"LOGIN_URL": '"account_login"', **written}


@pytest.mark.django_db
def test_with_the_feature_off_nothing_of_it_shows() -> None:
    user, _ = services.get_or_create_user_by_email(
        "ada@example.com", password="correct-horse-battery-9", verified=True
    )
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/sessions/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("quickscale_auth:end_session", args=[1])
    account = client.get(reverse("quickscale_auth:account")).content.decode()
    assert "Sessions" not in account
    call_command("check")  # and no check complains


@pytest.mark.parametrize("setting", ["QUICKSCALE_AUTH_SESSIONS", "USERSESSIONS_TRACK_ACTIVITY"])
def test_the_setting_without_the_app_is_refused_in_one_line(settings: Any, setting: str) -> None:
    """On by hand, or in one environment only: the check says to generate with it on."""
    setattr(settings, setting, True)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    [line] = [x for x in str(raised.value).splitlines() if "quickscale_auth.E002" in x]
    assert f"{setting} is on but allauth.usersessions is not in INSTALLED_APPS" in line
    assert "run 'quickscale generate'" in str(raised.value)
