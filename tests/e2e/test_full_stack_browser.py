"""End to end through the real CLI and a real browser, the way a client sees it:

`quickscale init shop --theme todo`, then modules auth + notifications enabled in
quickscale.yml and applied by `quickscale generate`; the project is installed into its
own venv, migrated and served; headless Chromium signs up, receives the verification
email over real SMTP (aiosmtpd), logs in, works with todo lists through htmx, and
resets the password through the emailed link. On every page axe-core finds no serious or
critical violation, in the light and the dark colour scheme, and the browser reports no
Content-Security-Policy violation. The same project served by gunicorn in production
mode sends the security headers (docs/security.md).
"""

from __future__ import annotations

import http.client
import re
import sys
import urllib.parse
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    ARTIFACTS,
    Mailbox,
    accessibility_findings,
    clean_env,
    production_env,
    run,
    start_server,
)

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
def shop(tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path) -> Path:
    """init with the todo theme, then enable modules through the config and generate."""
    work = tmp_path_factory.mktemp("fullstack")
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run([quickscale_bin, "init", "shop", "--theme", "todo"], cwd=work, env=env)
    project = work / "shop"
    config = project / "quickscale.yml"
    text = config.read_text()  # schema_version 2, as init writes it
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


@pytest.fixture(scope="module")
def production_server(shop: Path, served: list) -> str:
    """gunicorn serving the project as in production: DEBUG off, collected static files,
    the real settings (emails printed rather than sent: no provider key here)."""
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="false", EMAIL_PROVIDER="console")
    run([".venv/bin/python", "manage.py", "collectstatic", "--noinput"], cwd=shop, env=env)
    verified_user = (
        "from django.contrib.auth import get_user_model\n"
        "from allauth.account.models import EmailAddress\n"
        f"user = get_user_model().objects.create_user('grace', {HEADERS_EMAIL!r}, {PASSWORD!r})\n"
        "EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)"
    )
    run([".venv/bin/python", "manage.py", "shell", "-c", verified_user], cwd=shop, env=env)
    gunicorn = [".venv/bin/gunicorn", "shop.wsgi", "--workers", "2", "--bind"]
    return start_server(gunicorn, shop, env, served)


HEADERS_EMAIL = "grace@example.com"


def fetch(
    url: str, cookies: dict[str, str], form: dict[str, str] | None = None
) -> tuple[int, Any, str]:
    """(status, headers, body) of a GET, or a POST of ``form``, without following
    redirects. Cookies are kept by hand: the production ones are Secure, and this
    server speaks plain HTTP (as behind a TLS-terminating proxy)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request("GET" if form is None else "POST", parts.path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    for cookie in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = cookie.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, response.headers, text


def assert_security_headers(headers: Any, where: str) -> None:
    csp = headers["Content-Security-Policy"]
    assert csp, f"no Content-Security-Policy on {where}"
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"], where
    for directive in ("script-src", "style-src"):
        assert directives[directive][0] == "'self'", where
        assert all(s == "'self'" or s.startswith("'nonce-") for s in directives[directive])
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert not any(w in csp for w in ("unsafe-inline", "unsafe-eval", "*")), f"{where}: {csp}"
    policy = headers["Permissions-Policy"]
    assert all(f"{f}=()" in policy for f in ("camera", "geolocation", "microphone")), where
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin", where


def test_production_server_sends_the_security_headers_on_every_kind_of_page(
    production_server: str,
) -> None:
    """gunicorn, DEBUG off: CSP, Permissions-Policy and CORP on the home page, a login
    page, logged-in pages and a 404; Cache-Control no-store exactly when logged in."""
    cookies: dict[str, str] = {}
    status, headers, home = fetch(f"{production_server}/", cookies)
    assert status == 200
    assert_security_headers(headers, "/")
    assert "no-store" not in (headers["Cache-Control"] or "")  # anonymous: cacheable
    status, headers, login = fetch(f"{production_server}/accounts/login/", cookies)
    assert status == 200
    assert_security_headers(headers, "the login page")
    status, headers, _ = fetch(f"{production_server}/no-such-page/", cookies)
    assert status == 404
    assert_security_headers(headers, "a 404")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    assert token, login
    form = {"csrfmiddlewaretoken": token[1], "login": HEADERS_EMAIL, "password": PASSWORD}
    status, headers, _ = fetch(f"{production_server}/accounts/login/", cookies, form)
    assert status == 302 and "sessionid" in cookies, "the login failed"
    assert "no-store" in headers["Cache-Control"]  # the login response itself
    for path, expected in (("/", 200), ("/accounts/profile/", 200), ("/todo/", 200)):
        status, headers, body = fetch(f"{production_server}{path}", cookies)
        assert status == expected, path
        assert HEADERS_EMAIL in body or "grace" in body, f"not logged in on {path}"
        assert_security_headers(headers, f"{path}, logged in")
        assert "no-store" in headers["Cache-Control"], path
    status, headers, _ = fetch(f"{production_server}/no-such-page/", cookies)
    assert status == 404
    assert_security_headers(headers, "a 404, logged in")
    assert "no-store" in headers["Cache-Control"]

    # Static files (WhiteNoise) carry CORP too, and stay cacheable for logged-in users.
    script = re.search(r'src="(/static/vendor/htmx\.min\.[0-9a-f]+\.js)"', home)
    assert script, "the page links no hashed htmx"
    status, headers, _ = fetch(f"{production_server}{script[1]}", cookies)
    assert status == 200
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "no-store" not in headers["Cache-Control"] and "max-age" in headers["Cache-Control"]


UNLABELLED_INPUTS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML)"""


def check_page(page: Any, name: str) -> None:
    """Lighthouse-style basics on every page we visit, and a screenshot; axe-core's
    serious and critical findings in both colour schemes are collected in
    ``page.a11y_findings`` (asserted empty at the end, so one run lists them all)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.title().strip(), f"{page.url} has no <title>"
    assert page.evaluate("document.documentElement.lang"), f"{page.url} has no lang"
    assert page.evaluate(UNLABELLED_INPUTS) == [], f"unlabelled inputs on {page.url}"
    page.a11y_findings = [*getattr(page, "a11y_findings", []), *accessibility_findings(page)]
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx would then
    # copy with setAttribute when it swaps them, a CSP violation the site never causes.
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, caret="initial")


def test_sign_up_verify_todo_and_reset_password_in_chromium(
    server: str, smtp: tuple[int, Mailbox], page: Any
) -> None:
    from playwright.sync_api import expect

    _, mailbox = smtp
    page.goto(f"{server}/")
    check_page(page, "00-home-anonymous")
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
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_load_state()
    page.goto(f"{server}/")
    check_page(page, "04a-home-logged-in")
    page.goto(f"{server}/accounts/profile/")
    expect(page.get_by_text(EMAIL)).to_be_visible()
    check_page(page, "04b-account")
    page.goto(f"{server}/accounts/email/")
    check_page(page, "04c-email")

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
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.goto(f"{server}/todo/")
    expect(page.get_by_role("link", name="Groceries")).to_be_visible()
    check_page(page, "10-back-in")
    assert page.csp_violations == []
    assert page.console_errors == []
    assert page.a11y_findings == [], "\n".join(page.a11y_findings)
