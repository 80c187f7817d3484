"""Runs this package's whole suite again on PostgreSQL, in a subprocess (see
quickscale_testing.modules): skipped locally without QUICKSCALE_TEST_DATABASE_URL,
a failure under CI. The round trip there goes through pg_dump and pg_restore."""

from pathlib import Path

import pytest
from quickscale_testing.modules import rerun_on_postgres


@pytest.mark.postgres
def test_suite_passes_on_postgresql() -> None:
    rerun_on_postgres(Path(__file__).resolve().parent.parent, min_passed=9)
