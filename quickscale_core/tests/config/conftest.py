"""Fixtures for config tests: a project directory laid out as `quickscale init` makes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_samples import make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "acme_project")
