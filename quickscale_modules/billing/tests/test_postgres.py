"""Runs this package's whole suite again on PostgreSQL, in a subprocess.

The database engine is fixed when Django starts, so a second pytest process is the
honest way to run the same flows (every subscription transition included) on both
engines from one `pytest` command. Locally without QUICKSCALE_TEST_DATABASE_URL this
skips; under CI it fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.postgres
def test_suite_passes_on_postgresql(postgres_url: str) -> None:
    if os.environ.get("QS_BILLING_TEST_DB") == "postgres":
        pytest.skip("already running on PostgreSQL (inner run)")
    env = {**os.environ, "QS_BILLING_TEST_DB": "postgres"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=PACKAGE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None and int(passed.group(1)) >= 30, summary
    assert "failed" not in summary and "error" not in summary, summary
    assert "test_lifecycle.py" not in result.stdout  # no skip or failure in the full path
