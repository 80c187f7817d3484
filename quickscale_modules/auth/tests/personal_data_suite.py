"""The "Your data" and "Delete my account" pages (settings_personal_data): run only by
test_personal_data.py, in a pytest subprocess with ``--ds=settings_personal_data`` (the
file name keeps it out of the default collection, where quickscale_core's app and its
download link are not installed).

Both actions wait for allauth's re-authentication; the export is built here without a
broker and mailed as a signed link with one; deleting needs the user's email address
typed and ends logged out. One Chromium walk does it all with the mail over real SMTP,
axe clean in light and dark under the strict CSP.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import axe_findings, launched, watch_csp
from conftest import Mailbox, find_link
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.urls import reverse

from quickscale_modules.auth import services

PASSWORD = "correct-horse-battery-9"
EMAIL = "ada@example.com"
OTHER = "grace@example.com"
DATA = "/accounts/data/"
DELETE = "/accounts/delete/"
REAUTHENTICATE = "/accounts/reauthenticate/"


@pytest.fixture(scope="session", autouse=True)
def _celery_app() -> None:
    """The project's Celery app, as its <name>/celery.py makes it: configured from the
    CELERY_* settings (a broker named, tasks run eagerly in this process)."""
    from celery import Celery

    app = Celery("qs_auth_tests")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.set_default()
    app.set_current()


def _user(email: str = EMAIL) -> Any:
    user, _ = services.get_or_create_user_by_email(email, password=PASSWORD, verified=True)
    return user


def _logged_in(email: str = EMAIL) -> Client:
    """A client logged in by password: a login alone is no re-authentication."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def _archive(content: bytes) -> dict[str, Any]:
    """The archive's files: README.md as text, the JSON files parsed."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode()
            if name.endswith(".md")
            else json.loads(archive.read(name))
            for name in archive.namelist()
        }


def _emails_in(files: dict[str, Any]) -> set[str]:
    rows = files["modules-auth.json"]["models"]["account.EmailAddress"]
    return {row["email"] for row in rows}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "posted"),
    [(DATA, {}), (DELETE, {"confirmation": EMAIL})],
    ids=["download", "delete"],
)
def test_each_action_waits_for_re_authentication(page: str, posted: dict[str, str]) -> None:
    """Viewing either page needs a login only; posting needs the password again, and a
    wrong one changes nothing. Anonymous visitors are sent to log in."""
    assert Client().get(page).url == f"/accounts/login/?next={page}"
    _user()
    client = _logged_in()
    assert client.get(page).status_code == 200

    response = client.post(page, posted)
    assert response.status_code == 302
    assert response.url == f"{REAUTHENTICATE}?next={page.replace('/', '%2F')}"
    refused = client.post(response.url, {"password": "not-the-password"})
    assert refused.status_code == 200
    assert "incorrect" in refused.content.decode().lower()
    assert get_user_model().objects.filter(email=EMAIL).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_without_a_broker_the_archive_is_the_response(settings: Any) -> None:
    """The POST waits while the user re-authenticates; allauth then replays it."""
    settings.CELERY_BROKER_URL = ""
    _user(OTHER)
    user = _user()
    LogEntry.objects.create(user=user, action_flag=1, object_repr="a change")
    client = _logged_in()
    asked = client.post(DATA)
    response = client.post(asked.url, {"password": PASSWORD})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.zip"'
    files = _archive(response.content)
    assert {"README.md", "core.json", "modules-auth.json"} <= set(files)
    assert _emails_in(files) == {EMAIL}  # not the other user's
    [me] = files["core.json"]["models"]["qs_auth_testapp.User"]
    assert me["email"] == EMAIL and "password" not in me
    assert [e["object_repr"] for e in files["core.json"]["models"]["admin.LogEntry"]] == [
        "a change"
    ]
    assert mail.outbox == []
    # Re-authenticated a moment ago: the next request is not asked again.
    assert client.post(DATA)["Content-Type"] == "application/zip"


@pytest.mark.django_db
def test_with_a_broker_a_link_is_mailed_that_only_its_user_opens() -> None:
    _user(OTHER)
    _user()
    client = _logged_in()
    response = client.post(client.post(DATA).url, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == DATA
    assert "We emailed you a link to your data. It is valid for 24 hours." in (
        response.content.decode()
    )
    [message] = mail.outbox
    assert message.to == [EMAIL]
    link = find_link(message.body, "/personal-data/")
    assert link.startswith("http://testserver/")
    download = client.get(link)
    assert download.status_code == 200
    assert _emails_in(_archive(b"".join(download))) == {EMAIL}
    assert _logged_in(OTHER).get(link).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["", "grace@example.com", "ada@example"])
def test_a_wrong_confirmation_deletes_nothing(typed: str) -> None:
    _user()
    client = _logged_in()
    response = client.post(client.post(DELETE).url, {"password": PASSWORD})  # re-authenticated
    response = client.post(DELETE, {"confirmation": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert get_user_model().objects.filter(email=EMAIL).exists()
    assert client.get(reverse("quickscale_auth:account")).status_code == 200  # still in


@pytest.mark.django_db
def test_deleting_erases_the_user_and_logs_them_out() -> None:
    """The confirmation travels with the waiting POST through re-authentication; the
    address is compared without regard to case."""
    from allauth.account.models import EmailAddress

    other = _user(OTHER)
    _user()
    client = _logged_in()
    session_key = client.session.session_key
    asked = client.post(DELETE, {"confirmation": "  Ada@Example.com "})
    response = client.post(asked.url, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[0][0] == "/accounts/login/"  # where logging out goes
    assert "Your account has been deleted." in response.content.decode()
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [OTHER]
    assert get_user_model().objects.filter(pk=other.pk).exists()
    assert not SessionStore().exists(session_key)  # logged out: the session is gone
    profile = client.get(reverse("quickscale_auth:account"))
    assert profile.url == "/accounts/login/?next=/accounts/profile/"


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched() as chromium:
        yield chromium


def _wait_for_email(mailbox: Mailbox, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    while not mailbox.messages:
        if time.monotonic() > deadline:
            raise AssertionError("no email arrived over SMTP")
        time.sleep(0.05)
    [body] = mailbox.bodies()
    return body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_download_by_mailed_link_then_delete_in_chromium(
    browser: Any,
    live_server: Any,
    settings: Any,
    smtp_server: Any,
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import Error, expect

    controller, mailbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    _user()
    base, violations, findings = live_server.url, [], []
    context = browser.new_context(accept_downloads=True)
    watch_csp(context, violations)
    page = context.new_page()
    page.set_default_timeout(15_000)

    def checked(name: str) -> None:
        """axe in light and dark, and a screenshot of each, of the page now shown."""
        findings.extend(axe_findings(page))
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(artifacts_dir / f"data-{name}-{scheme}.png"), full_page=True)
        page.emulate_media(color_scheme="light")

    def log_in() -> None:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email:", exact=True).fill(EMAIL)
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()

    def re_authenticate() -> None:
        expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()

    # Your data: re-authenticate, and the link arrives by mail.
    log_in()
    page.get_by_role("link", name="Download a copy of your data").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    checked("page")
    page.get_by_role("button", name="Download my data").click()
    checked("reauthenticate")
    re_authenticate()
    expect(page.get_by_text("We emailed you a link to your data.")).to_be_visible()
    checked("mailed")
    link = find_link(_wait_for_email(mailbox), "/personal-data/")
    assert link.startswith(base)
    with page.expect_download() as started:
        try:
            page.goto(link)
        except Error as error:  # a navigation that becomes a download
            assert "Download is starting" in str(error)
    saved = tmp_path / started.value.suggested_filename
    started.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert {"README.md", "core.json"} <= set(archive.namelist())
        [me] = json.loads(archive.read("core.json"))["models"]["qs_auth_testapp.User"]
        assert me["email"] == EMAIL

    # Delete my account, in a later session: re-authenticated again, then logged out.
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    log_in()
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Delete my account", exact=True)).to_be_visible()
    page.get_by_label("Type your email address to confirm").fill("someone@example.com")
    page.get_by_role("button", name="Delete my account").click()
    re_authenticate()
    expect(page.get_by_text("That is not your email address")).to_be_visible()
    checked("delete-refused")
    page.get_by_label("Type your email address to confirm").fill(EMAIL)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account has been deleted.")).to_be_visible()
    checked("deleted")
    page.goto(f"{base}/accounts/profile/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/accounts/profile/")
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert findings == []
    assert violations == []
