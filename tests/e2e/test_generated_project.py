"""End to end: `quickscale init` → venv → install → migrate → the project's own tests →
a production server, on SQLite and PostgreSQL, and its home page in headless Chromium."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    ARTIFACTS,
    accessibility_findings,
    clean_env,
    production_env,
    run,
    start_server,
)

pytestmark = pytest.mark.e2e


def test_project_migrates_and_its_own_tests_pass_on_sqlite(project: Path) -> None:
    env = clean_env()
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=env)
    assert (project / "db.sqlite3").is_file()
    result = run([".venv/bin/python", "-m", "pytest", "-q", "-W", "error"], cwd=project, env=env)
    assert " passed" in result.stdout and "failed" not in result.stdout
    run([".venv/bin/python", "manage.py", "makemigrations", "--check", "--dry-run"], project, env)


def test_project_is_ruff_clean(project: Path) -> None:
    run([".venv/bin/ruff", "check", "."], cwd=project)
    run([".venv/bin/ruff", "format", "--check", "."], cwd=project)


def test_project_tests_pass_against_postgresql(project: Path, postgres_url: str) -> None:
    env = clean_env(DATABASE_URL=postgres_url)
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=env)
    result = run([".venv/bin/python", "-m", "pytest", "-q"], cwd=project, env=env)
    assert " passed" in result.stdout
    probe = "from django.db import connection; print(connection.vendor)"
    shell = run([".venv/bin/python", "manage.py", "shell", "-c", probe], cwd=project, env=env)
    assert shell.stdout.strip().splitlines()[-1] == "postgresql"


def test_check_deploy_is_clean_with_production_settings(project: Path) -> None:
    result = run(
        [".venv/bin/python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=project,
        env=production_env(),
    )
    assert "no issues" in result.stdout


def test_debug_is_off_unless_set(project: Path) -> None:
    env = clean_env(DJANGO_SECRET_KEY="x" * 60)
    (project / ".env").rename(project / ".env.off")
    try:
        probe = "from django.conf import settings; print(settings.DEBUG)"
        out = run([".venv/bin/python", "manage.py", "shell", "-c", probe], project, env).stdout
    finally:
        (project / ".env.off").rename(project / ".env")
    assert out.strip().splitlines()[-1] == "False"


def test_missing_secret_key_fails_at_start_up_with_a_clear_message(project: Path) -> None:
    (project / ".env").rename(project / ".env.off")
    try:
        result = subprocess.run(
            [".venv/bin/python", "manage.py", "check"],
            cwd=project,
            env=clean_env(),
            capture_output=True,
            text=True,
        )
    finally:
        (project / ".env.off").rename(project / ".env")
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


@pytest.fixture(scope="session")
def production_server(project: Path, served: list) -> str:
    """gunicorn serving the project as in production (DEBUG off, collected static)."""
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="false")
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=env)
    run([".venv/bin/python", "manage.py", "collectstatic", "--noinput"], cwd=project, env=env)
    gunicorn = [".venv/bin/gunicorn", "acme.wsgi", "--workers", "2", "--bind"]
    return start_server(gunicorn, project, env, served)


def test_running_server_serves_home_health_and_static(production_server: str) -> None:
    with urllib.request.urlopen(f"{production_server}/") as home:
        assert home.status == 200
        page = home.read().decode()
    assert "<title>Acme</title>" in page
    with urllib.request.urlopen(f"{production_server}/health/") as health:
        assert health.status == 200
        assert json.loads(health.read())["database"] == "ok"
    # htmx is vendored: the page links a hashed static file that WhiteNoise serves
    src = page.split('src="', 1)[1].split('"', 1)[0]
    assert src.startswith("/static/vendor/htmx.min.") and src.endswith(".js")
    with urllib.request.urlopen(f"{production_server}{src}") as script:
        assert script.status == 200 and b"htmx" in script.read(200_000)


def test_home_page_in_headless_chromium(production_server: str, page: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    response = page.goto(f"{production_server}/")
    assert response is not None and response.status == 200
    assert page.title() == "Acme"
    assert page.evaluate("typeof window.htmx") == "object"  # vendored htmx loaded
    assert page.locator("main h1").inner_text() == "Acme"
    page.screenshot(path=str(ARTIFACTS / "e2e-home.png"), full_page=True)
    assert page.console_errors == []
    assert page.csp_violations == []
    findings = accessibility_findings(page)
    assert findings == [], "\n".join(findings)
