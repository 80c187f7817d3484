"""``unavailable``: a missing real component skips a test locally and fails it in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
from quickscale_core.module_testing import unavailable

def test_needs_a_server():
    unavailable("no frobnicator at /usr/bin/frob (apt-get install frob)")
"""


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 failed")])
def test_a_missing_component_is_skipped_locally_and_fails_in_ci(
    tmp_path: Path, ci: str, outcome: str
) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci else {})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert outcome in done.stdout, done.stdout
    assert "no frobnicator at /usr/bin/frob (apt-get install frob)" in done.stdout
    if ci:
        assert "CI must provide it" in done.stdout
