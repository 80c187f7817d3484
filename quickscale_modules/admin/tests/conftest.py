"""Fixtures of the admin module's tests: users by role, the Spanish catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from quickscale_testing.modules import compile_catalogues


@pytest.fixture(scope="session")
def spanish() -> str:
    """The module's Spanish catalogue compiled (.mo files are built, never committed);
    the language code, for a test to ask for it."""
    compile_catalogues("quickscale_modules.admin")
    return "es"


@pytest.fixture
def staff(db: Any) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def staff_client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client
