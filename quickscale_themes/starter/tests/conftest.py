"""Shared fixtures of the starter theme tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def make_user(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    def factory(username: str = "ann", **extra: Any) -> Any:
        extra.setdefault("email", f"{username}@example.com")
        return get_user_model().objects.create_user(
            username=username, password="pw-123456", **extra
        )

    return factory
