"""End to end in headless Chromium, with emails delivered over real SMTP (aiosmtpd).

Sign up, receive the verification email, follow its link, log in, reset the password
via the emailed link, log in with the new password.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import launched
from conftest import Mailbox, find_link, require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"
NEW_PASSWORD = "tangerine-galaxy-kettle-4"
EMAIL = "grace@example.com"


@pytest.fixture
def page() -> Iterator[object]:
    with launched() as browser:
        tab = browser.new_context().new_page()
        tab.set_default_timeout(15_000)
        yield tab


def _wait_for_email(mailbox: Mailbox, count: int, timeout: float = 15.0) -> str:
    """Body of the `count`-th message, once the SMTP server has received it."""
    deadline = time.monotonic() + timeout
    while len(mailbox.messages) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} emails over SMTP, got {len(mailbox.messages)}")
        time.sleep(0.05)
    return mailbox.bodies()[count - 1]


@pytest.mark.parametrize("with_notifications", [False, True], ids=["auth", "auth+notifications"])
def test_sign_up_verify_log_in_reset_password_in_chromium(
    page, live_server, settings, smtp_server, artifacts_dir: Path, with_notifications: bool
) -> None:  # type: ignore[no-untyped-def]
    """With notifications installed, the SMTP settings come from its helper the way a
    generated project gets them (EMAIL_PROVIDER=smtp overriding the configured ESP), and
    allauth's emails are sent by its service."""
    from playwright.sync_api import expect

    controller, mailbox = smtp_server
    if with_notifications:
        notifications: Any = require(
            "quickscale_modules.notifications.settings", "notifications integration"
        )
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, *notifications.INSTALLED_APPS]
        env = {
            "EMAIL_PROVIDER": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(controller.port),
        }
        for key, value in notifications.email_settings("sendgrid", env=env, debug=False).items():
            setattr(settings, key, value)
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_USE_TLS = False
    base = live_server.url
    prefix = "with-notifications" if with_notifications else "auth-only"

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"{prefix}-{name}.png"), full_page=True)

    # Sign up.
    page.goto(f"{base}/accounts/signup/")
    expect(page).to_have_title("Sign up · Acme")
    page.get_by_label("Email:", exact=True).fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):", exact=True).fill(PASSWORD)
    shot("01-signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    shot("02-verification-sent")

    # The verification email arrives over SMTP; follow its link and confirm.
    body = _wait_for_email(mailbox, 1)
    message = mailbox.messages[0]
    assert message["To"] == EMAIL
    if with_notifications:  # only the notifications service reads the `.en.txt` file
        assert message["Subject"] == "[Acme] Confirm your Acme account (sent by notifications)"
    else:
        assert message["Subject"] == "[Acme] Please Confirm Your Email Address"
    page.goto(find_link(body, "/accounts/confirm-email/"))
    shot("03-confirm-email")
    page.get_by_role("button", name="Confirm").click()

    # Log in.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    expect(page.get_by_test_id("account-email")).to_have_text(EMAIL)
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()
    shot("04-account")
    page.get_by_role("button", name="Log out").click()

    # Reset the password through the emailed link.
    page.goto(f"{base}/accounts/password/reset/")
    page.get_by_label("Email:", exact=True).fill(EMAIL)
    sent_before = len(mailbox.messages)
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_role("heading", name="Password Reset")).to_be_visible()
    reset_body = _wait_for_email(mailbox, sent_before + 1)
    page.goto(find_link(reset_body, "/accounts/password/reset/key/"))
    page.get_by_label("New Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again):", exact=True).fill(NEW_PASSWORD)
    shot("05-new-password")
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()

    # The old password no longer works; the new one does.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    page.get_by_label("Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("account-email")).to_have_text(EMAIL)
    shot("06-logged-in-with-new-password")
