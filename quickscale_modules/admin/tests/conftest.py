"""Fixtures of the admin module's tests: users by role, the Spanish catalogue."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

import quickscale_modules.admin


@pytest.fixture(scope="session")
def spanish() -> str:
    """The module's Spanish catalogue compiled (.mo files are built, never committed);
    the language code, for a test to ask for it."""
    here = os.getcwd()
    os.chdir(Path(quickscale_modules.admin.__file__).parent)
    try:
        call_command("compilemessages", locale=["es"], verbosity=0)
    finally:
        os.chdir(here)
    return "es"


@pytest.fixture
def staff(db: Any) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def staff_client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client
