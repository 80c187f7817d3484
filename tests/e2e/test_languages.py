"""End to end: a generated project in three languages, in a real browser and a real worker.

`quickscale init polyglot --theme todo` with auth, notifications, payments and billing
enabled in quickscale.yml and generated; the project's own settings (under "Your own
settings") offer English, Spanish and Arabic, and its own locale/ translates a few
strings into Arabic (no component ships Arabic). `compilemessages` builds every
catalogue, the components' and the project's, as the project's README says; its tables
are made on SQLite from the models, and it is served by runserver with Redis as the
broker.

- In Chromium the language switcher of the home page (a plain form: no JavaScript)
  turns the site Spanish: the home, sign-up, todo and pricing pages show the
  components' Spanish (read from their catalogues), each with `lang="es"`, axe-clean
  and without a CSP violation, as they are in English; the plan's price is written the
  Spanish way, and the English way again after switching back. A sign-up in Spanish
  stores Spanish on the new user. Arabic turns the layout right to left
  (`dir="rtl"`), with the project's own Arabic strings.
- A user whose stored language is Spanish asks for a password reset from a browser that
  speaks English: the mail, sent by a real Celery worker through a real Redis to a
  local SMTP server, is in Spanish.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import signal
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    ARTIFACTS,
    Mailbox,
    RedisServer,
    accessibility_findings,
    clean_env,
    install_requirements,
    run,
    session_cookie,
    start_server,
)
from quickscale_testing.modules import unavailable
from test_full_stack_browser import text_body
from test_login_limits import Visitor
from test_scale_out import start_worker, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SHOTS = ARTIFACTS / "languages"
MODULES = """
modules:
  auth: {}
  notifications:
    provider: sendgrid
  payments:
    provider: stripe
  billing:
    provider: stripe
    plans:
      - key: free
        name: Free
        default: true
        entitlements:
          todo.lists: {limit: 3}
      - key: pro
        name: Pro
        price: "12345.50"
        currency: eur
        interval: month
        entitlements:
          todo.lists:
"""
#: Under "Your own settings": the project's languages, one of them right to left.
LANGUAGES = """
LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
"""
#: The project's own Arabic: a few strings of the layout (no component ships Arabic).
ARABIC = {"Home": "الرئيسية", "Log in": "تسجيل الدخول", "Sign up": "إنشاء حساب"}
#: The tables made from the models, as pytest-django's --no-migrations makes them:
#: applying dj-stripe's hundred migrations costs more than a minute on SQLite, and the
#: migrations are other tests' subject (test_billing, the fleet's language column).
#: migrate's post_migrate signals still run (billing's plans are loaded by one).
TABLES_FROM_MODELS = """
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
"""
KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_51QuickScaleLanguagesE2E0000000",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_51QuickScaleLanguagesE2E0000000",
    "STRIPE_WEBHOOK_SECRET": "whsec_quickscale_languages_end_to_end",
}
EMAIL = "lucia@example.com"
PASSWORD = "correct-horse-battery-9"


def po_file(entries: dict[str, str], language: str) -> str:
    """A minimal complete gettext catalogue of ``entries``."""
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {language}\\n"\n'
        '"Plural-Forms: nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : '
        'n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;\\n"\n'
    )
    body = "".join(f'\nmsgid "{source}"\nmsgstr "{text}"\n' for source, text in entries.items())
    return header + body


@pytest.fixture(scope="module")
def polyglot(
    tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path
) -> Path:
    """The project, with every catalogue compiled and its SQLite tables made."""
    if shutil.which("msgfmt") is None:
        unavailable("GNU gettext's msgfmt is not installed (apt install gettext)")
    work = tmp_path_factory.mktemp("languages")
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run([quickscale_bin, "init", "polyglot", "--theme", "todo"], cwd=work, env=env)
    project = work / "polyglot"
    config = project / "quickscale.yml"
    config.write_text(config.read_text() + MODULES)
    run(["git", "commit", "-qam", "Enable auth, notifications, payments and billing"], project)
    run([quickscale_bin, "generate", "--no-migrations"], cwd=project, env=env)
    settings = project / "polyglot" / "settings.py"
    settings.write_text(settings.read_text() + LANGUAGES)
    catalogue = project / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(po_file(ARABIC, "ar"), encoding="utf-8")
    install_requirements(project)
    python = [".venv/bin/python", "manage.py"]
    run([*python, "compilemessages", "--ignore=.venv"], project, clean_env())
    run([*python, "shell", "-c", TABLES_FROM_MODELS], project, clean_env())
    return project


# --- What the catalogues say -----------------------------------------------------------


def translated(project: Path, source: str, *packages: str) -> str:
    """``source`` in Spanish as the first of ``packages`` that translates it has it in
    its compiled catalogue: the project's embedded components (e.g.
    "quickscale_modules/auth"), or a package of its venv (ALLAUTH)."""
    for package in packages:
        found = sorted(project.glob(f"{package}/**/locale/es/LC_MESSAGES/django.mo"))
        assert found, f"{package} ships no compiled Spanish catalogue in {project}"
        for mo in found:
            with mo.open("rb") as data:
                text = gettext.GNUTranslations(data).gettext(source)
            if text != source:
                return text
    raise AssertionError(f"{source!r} is not translated to Spanish in {packages}")


STARTER, TODO = "quickscale_themes/starter", "quickscale_themes/todo"
AUTH, BILLING = "quickscale_modules/auth", "quickscale_modules/billing"
ALLAUTH = ".venv/lib/python*/site-packages/allauth"


# --- The site, its mail and its worker ------------------------------------------------


@pytest.fixture(scope="module")
def site_env(
    polyglot: Path, smtp: tuple[int, Mailbox], redis_server: RedisServer
) -> dict[str, str]:
    """The environment of the server and the worker: mail goes out through Redis (a
    database of its own) to the worker, which sends it to the SMTP server."""
    smtp_port, _ = smtp
    return clean_env(
        DJANGO_DEBUG="true",
        REDIS_URL=redis_server.url.replace("/0", "/6"),
        EMAIL_PROVIDER="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        SENDGRID_API_KEY="SG.test",
        **KEYS,
    )


@pytest.fixture(scope="module")
def site(polyglot: Path, site_env: dict[str, str], served: list[Any]) -> str:
    runserver = [".venv/bin/python", "manage.py", "runserver", "--noreload"]
    return start_server(runserver, polyglot, site_env, served)


@pytest.fixture(scope="module")
def worker(
    polyglot: Path, site_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The project's Celery worker; yields its log."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    process = start_worker(polyglot, site_env, log)
    try:
        yield log
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def shell(project: Path, code: str) -> str:
    """The last line `manage.py shell -c code` prints."""
    done = run([".venv/bin/python", "manage.py", "shell", "-c", code], project, clean_env())
    return done.stdout.strip().splitlines()[-1]


# --- In the browser -------------------------------------------------------------------


def check(page: Any, name: str, language: str) -> None:
    """The page is in ``language`` (<html lang>, and dir from the language), axe finds
    nothing serious in either colour scheme, no CSP violation so far; a screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    html = page.locator("html")
    assert html.get_attribute("lang") == language, page.url
    direction = "rtl" if language == "ar" else "ltr"
    assert (html.get_attribute("dir") or "ltr") == direction, page.url
    assert accessibility_findings(page) == [], page.url
    assert page.csp_violations == [], page.csp_violations
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, caret="initial")


def switch_language(page: Any, code: str) -> None:
    """Choose ``code`` in the layout's language switcher and send its form (no script:
    a POST to the switcher's view, which sends the browser back to the page)."""
    switcher = page.locator("select[name=language]")
    switcher.select_option(code)
    form = page.locator("form", has=switcher)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def price(page: Any) -> str:
    """The Pro plan's price as the pricing page writes it, spaces made plain."""
    text: str = page.locator("#plan-pro").locator("xpath=..").locator(".plan-price").inner_text()
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def test_the_site_switches_between_english_spanish_and_arabic_in_chromium(
    polyglot: Path, site: str, page: Any
) -> None:
    from playwright.sync_api import expect

    home, log_in = translated(polyglot, "Home", STARTER), translated(polyglot, "Log in", STARTER)
    language = translated(polyglot, "Language", STARTER)
    sign_up = translated(polyglot, "Sign up", AUTH)
    plans = translated(polyglot, "Plans", BILLING)
    subscribe = translated(polyglot, "Log in to subscribe", BILLING)
    new_list, create = (
        translated(polyglot, "New list", TODO),
        translated(polyglot, "Create list", TODO),
    )

    # English first: the browser asks for nothing else.
    page.goto(f"{site}/")
    expect(page.get_by_role("banner").get_by_role("link", name="Home", exact=True)).to_be_visible()
    check(page, "01-home-en", "en")
    page.goto(f"{site}/billing/")
    expect(page.get_by_role("heading", name="Plans")).to_be_visible()
    expect(page.get_by_role("link", name="Log in to subscribe")).to_have_count(1)
    english_price = price(page)
    assert english_price.startswith("€12,345.50"), english_price
    check(page, "02-pricing-en", "en")

    # The switcher, on the home page, turns it Spanish.
    page.goto(f"{site}/")
    switch_language(page, "es")
    assert page.url == f"{site}/"
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=home, exact=True)).to_be_visible()
    expect(header.get_by_role("link", name=log_in, exact=True)).to_be_visible()
    expect(header.get_by_label(language)).to_have_value("es")
    check(page, "03-home-es", "es")
    page.goto(f"{site}/billing/")
    expect(page.get_by_role("heading", name=plans)).to_be_visible()
    expect(page.get_by_role("link", name=subscribe)).to_have_count(1)
    spanish_price = price(page)
    assert spanish_price.startswith("12.345,50 €"), spanish_price
    check(page, "04-pricing-es", "es")

    # Sign up in Spanish: the new user's language is Spanish.
    page.goto(f"{site}/accounts/signup/")
    expect(page.get_by_role("heading", name=sign_up)).to_be_visible()
    check(page, "05-signup-es", "es")
    page.locator("input[name=email]").fill("sofia@example.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form", has=page.locator("input[name=password2]")).locator(
            "[type=submit]"
        ).click()
    check(page, "06-signed-up-es", "es")

    # Logged in: the todo lists and the pricing page in Spanish.
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(polyglot, "ana"), "url": site}]
    )
    page.goto(f"{site}/todo/")
    expect(page.get_by_label(new_list)).to_be_visible()
    expect(page.get_by_role("button", name=create)).to_be_visible()
    check(page, "07-todo-es", "es")

    # Back to English: the same price, written the English way.
    switch_language(page, "en")
    expect(page.get_by_label("New list")).to_be_visible()
    expect(page.get_by_role("button", name="Create list")).to_be_visible()
    check(page, "08-todo-en", "en")
    page.goto(f"{site}/billing/")
    assert price(page) == english_price
    page.context.clear_cookies()  # logged out, and no language chosen
    page.goto(f"{site}/accounts/signup/")
    check(page, "09-signup-en", "en")

    # Arabic: right to left, with the project's own translations.
    page.goto(f"{site}/")
    switch_language(page, "ar")
    header = page.get_by_role("banner")
    for arabic in ARABIC.values():
        expect(header.get_by_role("link", name=arabic, exact=True)).to_be_visible()
    check(page, "10-home-ar", "ar")
    assert page.console_errors == []

    # Stored on the users: the language of the sign-up, and the switcher's last choice;
    # the price as the config wrote it, whatever the pages showed.
    stored = (
        "from django.contrib.auth import get_user_model as m; "
        "from decimal import Decimal; from quickscale_modules.billing.models import Plan; "
        "pro = Plan.objects.get(key='pro'); "
        "print(*m().objects.filter(email__in=['sofia@example.com', 'ana@example.com'])"
        ".order_by('email').values_list('email', 'language'), "
        "pro.amount == Decimal('12345.50'), pro.currency)"
    )
    assert shell(polyglot, stored) == (
        "('ana@example.com', 'en') ('sofia@example.com', 'es') True eur"
    )


def test_a_password_reset_mail_sent_by_the_worker_is_in_the_user_s_language(
    polyglot: Path, site: str, smtp: tuple[int, Mailbox], worker: Path
) -> None:
    """The user's stored language is Spanish; the reset is asked for in English (the
    browser's language, no cookie); the worker sends the mail, in Spanish."""
    _, mailbox = smtp
    make_user = (
        "from django.contrib.auth import get_user_model as m; "
        f"u = m().objects.create_user('lucia', {EMAIL!r}, {PASSWORD!r}, language='es'); "
        "print(u.language)"
    )
    assert shell(polyglot, make_user) == "es"
    visitor = Visitor()
    english = {"Accept-Language": "en"}
    status, _, page = visitor.request(f"{site}/accounts/password/reset/", headers=english)
    assert status == 200 and 'lang="en"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    form = {"email": EMAIL, "csrfmiddlewaretoken": token[1]}
    status, location, _ = visitor.request(f"{site}/accounts/password/reset/", form, english)
    assert (status, location) == (302, "/accounts/password/reset/done/")

    def arrived() -> bool:
        return any(m["To"] == EMAIL for m in mailbox.messages)

    wait_until(arrived, "the reset mail", worker)
    [mail] = [m for m in mailbox.messages if m["To"] == EMAIL]
    assert "quickscale_notifications.deliver_email" in worker.read_text()  # the worker sent it
    subject, body = str(make_header(decode_header(mail["Subject"]))), text_body(mail)
    assert translated(polyglot, "Password Reset Email", AUTH, ALLAUTH) in subject, subject
    greeting = translated(polyglot, "Hello from %(site_name)s!", AUTH, ALLAUTH)
    assert greeting.split("%(site_name)s")[0] in body, body
    assert "/accounts/password/reset/key/" in body
    assert "Password Reset" not in subject and "password reset" not in body, body
