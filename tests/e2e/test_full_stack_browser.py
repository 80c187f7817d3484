"""End to end through the real CLI and a real browser, the way a client sees it:

`quickscale init shop --theme todo`, then modules auth + notifications enabled in
quickscale.yml and applied by `quickscale generate`; the project is installed into its
own venv, migrated and served; headless Chromium signs up, receives the verification
email over real SMTP (aiosmtpd), logs in, works with todo lists through htmx, and
resets the password through the emailed link.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTIFACTS, clean_env, free_port, run, start_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery-9"
NEW_PASSWORD = "tangerine-galaxy-kettle-4"
SHOTS = ARTIFACTS / "full-stack"

V2_MODULES = """
modules:
  auth: {}
  notifications:
    provider: sendgrid
"""


class Mailbox:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 20.0) -> Message:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"expected {count} emails, got {len(self.messages)}"
            time.sleep(0.05)
        return self.messages[count - 1]


def text_body(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    raise AssertionError("no text/plain part")


def link_in(body: str, fragment: str) -> str:
    for url in re.findall(r"https?://\S+", body):
        if fragment in url:
            return url
    raise AssertionError(f"no link containing {fragment!r} in:\n{body}")


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[int, Mailbox]]:
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, mailbox
    controller.stop()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path) -> Path:
    """init with the todo theme, then enable modules through the config and generate."""
    work = tmp_path_factory.mktemp("fullstack")
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run([quickscale_bin, "init", "shop", "--theme", "todo"], cwd=work, env=env)
    project = work / "shop"
    config = project / "quickscale.yml"
    text = config.read_text().replace("schema_version: 1", "schema_version: 2")
    config.write_text(text + V2_MODULES)
    run(["git", "commit", "-qam", "Enable auth and notifications"], cwd=project)
    run([quickscale_bin, "validate"], cwd=project, env=env)
    run([quickscale_bin, "generate", "--no-migrations"], cwd=project, env=env)
    assert (project / "quickscale_modules" / "auth").is_dir()
    assert (project / "quickscale_themes" / "todo").is_dir()
    run([sys.executable, "-m", "venv", ".venv"], cwd=project)
    run([".venv/bin/pip", "install", "-q", "-r", "requirements-dev.txt"], cwd=project)
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=clean_env())
    return project


def test_generated_full_stack_project_passes_its_own_tests(shop: Path) -> None:
    result = run([".venv/bin/python", "-m", "pytest", "-q"], cwd=shop, env=clean_env())
    assert " passed" in result.stdout and "failed" not in result.stdout
    run([".venv/bin/ruff", "check", "."], cwd=shop)
    run([".venv/bin/python", "manage.py", "makemigrations", "--check", "--dry-run"], shop)


@pytest.fixture(scope="module")
def server(shop: Path, smtp: tuple[int, Mailbox], served: list) -> str:
    smtp_port, _ = smtp
    env = clean_env(
        DJANGO_DEBUG="true",
        EMAIL_PROVIDER="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
    )
    runserver = [".venv/bin/python", "manage.py", "runserver", "--noreload"]
    return start_server(runserver, shop, env, served)


UNLABELLED_INPUTS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML)"""


def check_page(page: Any, name: str) -> None:
    """Lighthouse-style basics on every page we visit, and a screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.title().strip(), f"{page.url} has no <title>"
    assert page.evaluate("document.documentElement.lang"), f"{page.url} has no lang"
    assert page.evaluate(UNLABELLED_INPUTS) == [], f"unlabelled inputs on {page.url}"
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_sign_up_verify_todo_and_reset_password_in_chromium(
    server: str, smtp: tuple[int, Mailbox], page: Any
) -> None:
    from playwright.sync_api import expect

    _, mailbox = smtp
    # Sign up; the verification email arrives over SMTP.
    page.goto(f"{server}/accounts/signup/")
    check_page(page, "01-signup")
    page.get_by_label("Email", exact=False).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("verify", re.I))).to_be_visible()
    check_page(page, "02-verification-sent")
    verification = mailbox.wait_for(1)
    assert verification["To"] == EMAIL
    page.goto(link_in(text_body(verification), "/accounts/confirm-email/"))
    check_page(page, "03-confirm")
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()

    # Log in.
    page.goto(f"{server}/accounts/login/")
    check_page(page, "04-login")
    page.get_by_label("Email", exact=False).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_load_state()

    # Todo: a list, three items, one completed, one deleted, all without reloads.
    page.goto(f"{server}/todo/")
    check_page(page, "05-todo-index")
    page.get_by_label("New list").fill("Groceries")
    page.get_by_role("button", name="Create list").click()
    page.get_by_role("link", name="Groceries").click()
    page.wait_for_load_state()
    page.evaluate("window.__noReload = 'still here'")
    for title in ("milk", "eggs", "bread"):
        page.get_by_label("New item").fill(title)
        page.get_by_role("button", name="Add").click()
        expect(page.locator(".todo-item__title", has_text=title)).to_be_visible()
    page.get_by_role("button", name="Done: eggs").click()
    expect(page.get_by_role("button", name="Done: eggs")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Delete milk").click()
    expect(page.locator(".todo-item__title", has_text="milk")).to_have_count(0)
    assert page.evaluate("window.__noReload") == "still here", "a full page reload happened"
    check_page(page, "06-todo-list")
    page.reload()
    expect(page.locator(".todo-item__title")).to_have_text(["eggs", "bread"])
    expect(page.get_by_role("button", name="Done: eggs")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Done: bread")).to_have_attribute(
        "aria-pressed", "false"
    )
    check_page(page, "07-todo-after-reload")

    # Log out, reset the password through the emailed link, log in with the new one.
    page.context.clear_cookies()
    page.goto(f"{server}/accounts/password/reset/")
    check_page(page, "08-reset")
    page.get_by_label("Email", exact=False).first.fill(EMAIL)
    sent = len(mailbox.messages)
    page.get_by_role("button", name=re.compile("reset", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("password reset", re.I))).to_be_visible()
    page.goto(link_in(text_body(mailbox.wait_for(sent + 1)), "/accounts/password/reset/key/"))
    page.get_by_label(re.compile(r"^New Password:?$", re.I)).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^New Password \(again\):?$", re.I)).fill(NEW_PASSWORD)
    check_page(page, "09-new-password")
    page.get_by_role("button", name=re.compile("change password", re.I)).click()
    expect(page.get_by_text(re.compile("password is now changed", re.I))).to_be_visible()
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("Email", exact=False).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.goto(f"{server}/todo/")
    expect(page.get_by_role("link", name="Groceries")).to_be_visible()
    check_page(page, "10-back-in")
    assert page.console_errors == []
