"""Fixtures for CLI tests: the real console script and a real source repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from quickscale_testing.repos import make_source_repo

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def quickscale_bin() -> str:
    """The installed console script (next to this interpreter), as a user runs it."""
    candidate = Path(sys.executable).with_name("quickscale")
    found = str(candidate) if candidate.exists() else shutil.which("quickscale")
    assert found, "the quickscale console script is not installed in this environment"
    return found


@pytest.fixture(scope="session")
def source_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real git source repository holding this working tree's quickscale_core."""
    return make_source_repo(tmp_path_factory.mktemp("source") / "quickscale")


@pytest.fixture
def run_cli(quickscale_bin: str, source_repo: Path) -> RunCli:
    """Run ``quickscale ARGS`` in a subprocess with the test source repository."""

    def run(
        *args: str, cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "QUICKSCALE_SOURCE": str(source_repo), **(env or {})}
        return subprocess.run(
            [quickscale_bin, *args],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
