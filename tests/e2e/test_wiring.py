"""End to end: a project with theme todo and modules auth + notifications, installed for
real into a fresh venv from its own pinned requirements, migrated on SQLite and
PostgreSQL, its own tests passing with -W error, ruff clean, `check --deploy` clean under
production environment variables, and email routed to a local SMTP server."""

from __future__ import annotations

import re
import secrets
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import clean_env, free_port, run

pytestmark = pytest.mark.e2e


def _name(requirement: str) -> str:
    return re.split(r"[=\[<>~ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_installed_package_is_pinned_in_the_requirements(wired: Path) -> None:
    pinned = set()
    for file in ("requirements.txt", "requirements-dev.txt"):
        for line in (wired / file).read_text().splitlines():
            if line and not line.startswith(("#", "-")):
                assert "==" in line, line
                pinned.add(_name(line))
    frozen = run([".venv/bin/pip", "freeze", "--exclude-editable"], cwd=wired).stdout
    installed = {_name(line) for line in frozen.splitlines() if line and not line.startswith("#")}
    assert installed - pinned == set()
    editable = run([".venv/bin/pip", "list", "--editable"], cwd=wired).stdout
    for dist in (
        "quickscale-theme-todo",
        "quickscale-module-auth",
        "quickscale-module-notifications",
    ):
        assert dist in editable


def test_migrates_and_passes_its_own_tests_on_sqlite(wired: Path) -> None:
    env = clean_env()
    migrate = run([".venv/bin/python", "manage.py", "migrate", "--noinput"], wired, env)
    assert "account" in migrate.stdout and "quickscale_todo" in migrate.stdout
    result = run([".venv/bin/python", "-m", "pytest", "-q", "-W", "error"], wired, env)
    assert " passed" in result.stdout and "failed" not in result.stdout
    run([".venv/bin/python", "manage.py", "makemigrations", "--check", "--dry-run"], wired, env)


def test_migrates_and_passes_its_own_tests_on_postgresql(wired: Path, fresh_database: str) -> None:
    env = clean_env(DATABASE_URL=fresh_database)
    migrate = run([".venv/bin/python", "manage.py", "migrate", "--noinput"], wired, env)
    assert "Applying account.0001_initial" in migrate.stdout
    result = run([".venv/bin/python", "-m", "pytest", "-q", "-W", "error"], wired, env)
    assert " passed" in result.stdout and "failed" not in result.stdout
    probe = "from django.db import connection; print(connection.vendor)"
    shell = run([".venv/bin/python", "manage.py", "shell", "-c", probe], wired, env)
    assert shell.stdout.strip().splitlines()[-1] == "postgresql"


def test_is_ruff_clean(wired: Path) -> None:
    run([".venv/bin/ruff", "check", "."], cwd=wired)
    run([".venv/bin/ruff", "format", "--check", "."], cwd=wired)


def _production(wired: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    (wired / ".env").rename(wired / ".env.off")  # production reads real variables only
    try:
        return subprocess.run(
            [".venv/bin/python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=wired,
            env=clean_env(
                DJANGO_DEBUG="false",
                DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
                DJANGO_ALLOWED_HOSTS="shop.example.com",
                **extra,
            ),
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        (wired / ".env.off").rename(wired / ".env")


def test_check_deploy_is_clean_with_production_settings(wired: Path) -> None:
    result = _production(wired, SENDGRID_API_KEY="SG.test-key")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_provider_credential_fails_at_start_up(wired: Path) -> None:
    result = _production(wired)
    assert result.returncode != 0
    assert "SENDGRID_API_KEY" in result.stderr


class Mailbox:
    """aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.original_content)
        return "250 OK"


def test_email_provider_smtp_routes_email_to_a_local_server(wired: Path) -> None:
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = clean_env(
            EMAIL_PROVIDER="smtp", EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(controller.port)
        )
        send = (
            "from django.core.mail import send_mail; "
            "send_mail('Hello', 'Body', 'shop@example.com', ['ada@example.com'])"
        )
        run([".venv/bin/python", "manage.py", "shell", "-c", send], wired, env)
        deadline = time.monotonic() + 10
        while not mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert len(mailbox.messages) == 1 and b"Subject: Hello" in mailbox.messages[0]


def test_its_tests_pass_as_its_ci_workflow_runs_them(wired: Path) -> None:
    """No .env in CI: DEBUG off, and the workflow sets EMAIL_PROVIDER=console."""
    workflow = (wired / ".github/workflows/ci.yml").read_text()
    assert "EMAIL_PROVIDER: console" in workflow
    (wired / ".env").rename(wired / ".env.off")
    try:
        env = clean_env(DJANGO_SECRET_KEY="ci-only-" + "x" * 50, EMAIL_PROVIDER="console")
        result = run([".venv/bin/python", "-m", "pytest", "-q", "-W", "error"], wired, env)
    finally:
        (wired / ".env.off").rename(wired / ".env")
    assert " passed" in result.stdout and "failed" not in result.stdout
