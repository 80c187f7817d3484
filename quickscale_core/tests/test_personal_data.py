"""Personal data's runtime (quickscale_core.personal_data) and the generated project's
own personal-data test, on SQLite and on PostgreSQL.

Core's tests configure no Django project: the small project in personal_data/ (one
app standing for a project's user and two components, declared by hand in its
settings) runs in a subprocess, once per database, with the generated test
(__tests__/test_personal_data.py.j2) rendered into it beside its own suite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from quickscale_testing.modules import DATABASE_URL, ENGINE_SWITCH, postgres_url

PROJECT = Path(__file__).resolve().parent / "personal_data"
GENERATED_TEST = (
    Path(__file__).resolve().parents[1]
    / "src/quickscale_toolchain/generator/templates/project/__tests__/test_personal_data.py.j2"
)


def run_suite(tmp_path: Path, env: dict[str, str]) -> str:
    """Copy the project, render the generated test into it, run both; return the summary."""
    work = tmp_path / "project"
    shutil.copytree(PROJECT, work, ignore=shutil.ignore_patterns("__pycache__"))
    template = jinja2.Template(GENERATED_TEST.read_text(), keep_trailing_newline=True)
    (work / "suite_generated.py").write_text(template.render(project_name="pd_testapp"))
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-o", "python_files=suite_*.py", "--rootdir", str(work), "--ds", "settings", ".",
        ],
        cwd=work,
        env={**os.environ, **env, "PYTHONPATH": str(work)},
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None and int(passed.group(1)) >= 19, summary
    return summary


def test_personal_data_on_sqlite(tmp_path: Path) -> None:
    run_suite(tmp_path, {ENGINE_SWITCH: "sqlite"})


@pytest.mark.postgres
def test_personal_data_on_postgresql(tmp_path: Path) -> None:
    run_suite(tmp_path, {ENGINE_SWITCH: "postgres", DATABASE_URL: postgres_url()})
