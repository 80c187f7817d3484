"""`quickscale init NAME` refuses a name the project could not live under, in one line.

Each name of the security finding, through the real console script: a module of a pinned
dependency (``csp`` gave ``No module named 'csp.constants'``, ``axes`` a duplicate app
label, ...) or a directory the project ignores (a package git would not track). Each
exits 2, the code docs/cli.md gives a bad project name, before anything is created.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli
from quickscale_toolchain.errors import ExitCode

CASES = [
    ("csp", "shadow the 'csp' module of django-csp"),
    ("celery", "shadow the 'celery' module of celery"),
    ("axes", "shadow the 'axes' module of django-axes"),
    ("redis", "shadow the 'redis' module of redis"),
    ("environ", "shadow the 'environ' module of django-environ"),
    ("allauth", "shadow the 'allauth' module of django-allauth"),
    ("__pycache__", ".gitignore excludes '__pycache__/': git would track none of its files"),
    ("media", ".gitignore excludes 'media/'"),
    ("staticfiles", ".gitignore excludes 'staticfiles/'"),
    ("scripts", "every project has 'scripts/' at its top"),
]


@pytest.mark.parametrize(("name", "says"), CASES, ids=[name for name, _ in CASES])
def test_init_refuses_the_name_in_one_line(
    run_cli: RunCli, tmp_path: Path, name: str, says: str
) -> None:
    result = run_cli("init", name, cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: '{name}' ") and says in line, line
    fix = name.strip("_")
    assert line.endswith(f" — pick another name, e.g. '{fix}_site'"), line
    assert list(tmp_path.iterdir()) == []
