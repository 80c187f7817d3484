"""Fixtures of the analytics module's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from quickscale_testing.modules import compile_catalogues

from quickscale_modules.analytics import privacy

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _fresh_salt_cache() -> Iterator[None]:
    """Each test's database starts empty: no salt remembered from another test."""
    privacy._salts.clear()
    yield
    privacy._salts.clear()


@pytest.fixture(scope="session")
def spanish() -> str:
    """The module's Spanish catalogue compiled (.mo files are built, never committed);
    the language code, for a test to ask for it."""
    compile_catalogues("quickscale_modules.analytics")
    return "es"
