"""End to end: plans in quickscale.yml gate the todo theme's lists, in a real project
and a real browser.

`quickscale init saas --theme todo`, payments and billing enabled in quickscale.yml with
the issue's plans (free: 3 lists; pro: 9.00 EUR a month, 14-day trial, unlimited; team:
yearly), `generate`, the project's own venv, `migrate` on PostgreSQL and `billing_sync`
against a fake Stripe API on loopback (Stripe-shaped objects of
quickscale_testing.billing). In Chromium a free user creates 3 lists and the 4th
is refused with an upgrade link; they subscribe to Pro through Checkout (the test plays
Stripe and posts the signed events to payments' webhook) and the 4th list is created;
they cancel, the period ends, the lists stay readable and a 5th is refused. Another user
gets 404 for the first one's subscription. Parallel posts to two gunicorn servers never
give a free user a 4th list.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    ARTIFACTS,
    JsonStandIn,
    axe_findings,
    clean_env,
    install_requirements,
    new_database,
    post_stripe_event,
    run,
    serve_stand_in,
    session_cookie,
    start_server,
)
from quickscale_testing.billing import BillingState
from quickscale_testing.modules import parse_form
from quickscale_testing.payments import account, event
from test_login_limits import Visitor, prepare, shell

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SHOTS = ARTIFACTS / "billing"
KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_51QuickScaleBillingE2E000000000",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_51QuickScaleBillingE2E000000000",
    "STRIPE_WEBHOOK_SECRET": "whsec_quickscale_billing_end_to_end",
}
PLANS = """
modules:
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
        price: "9.00"
        currency: eur
        interval: month
        trial_days: 14
        entitlements:
          todo.lists:
      - key: team
        name: Team
        price: "90.00"
        currency: eur
        interval: year
        entitlements:
          todo.lists:
"""


class _FakeStripe(JsonStandIn):
    """Stripe's API as the project sees it (STRIPE_API_HOST): billing's objects and
    customers, and the platform account dj-stripe asks for."""

    state: BillingState

    def _answer(self, method: str, params: dict[str, str]) -> None:
        if self.path.split("?")[0] == "/v1/account":
            self.send_json(200, account())
            return
        answer = self.state.handle(method, self.path, params)
        self.send_json(*(answer or (404, {"error": {"type": "invalid_request_error"}})))

    def do_GET(self) -> None:
        self._answer("GET", {})

    def do_POST(self) -> None:
        self._answer("POST", parse_form(self.rfile.read(int(self.headers["Content-Length"] or 0))))


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[tuple[str, BillingState]]:
    state = BillingState(keep_customers=True)
    with serve_stand_in(type("H", (_FakeStripe,), {"state": state})) as base:
        yield base, state


@pytest.fixture(scope="module")
def saas_database(postgres_url: str) -> Iterator[str]:
    """The project's PostgreSQL database, for the whole module: the race test needs
    PostgreSQL, and migrating dj-stripe costs most of a minute, so it is done once."""
    with new_database(postgres_url) as url:
        yield url


@pytest.fixture(scope="module")
def saas(
    tmp_path_factory: pytest.TempPathFactory,
    quickscale_bin: str,
    source_repo: Path,
    fake_stripe: tuple[str, BillingState],
    saas_database: str,
) -> Path:
    work = tmp_path_factory.mktemp("billing")
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run([quickscale_bin, "init", "saas", "--theme", "todo"], cwd=work, env=env)
    project = work / "saas"
    config = project / "quickscale.yml"
    config.write_text(config.read_text().replace("schema_version: 1", "schema_version: 2") + PLANS)
    run([quickscale_bin, "validate"], cwd=project, env=env)
    run([quickscale_bin, "generate", "--no-migrations"], cwd=project, env=env)
    install_requirements(project)
    # As a user points a project at PostgreSQL: every manage.py command reads .env.
    with (project / ".env").open("a", encoding="utf-8") as dotenv:
        dotenv.write(f"\nDATABASE_URL={saas_database}\n")
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=clean_env())
    api, _ = fake_stripe
    synced = run(
        [".venv/bin/python", "manage.py", "billing_sync"],
        cwd=project,
        env=clean_env(STRIPE_API_HOST=api, **KEYS),
    )
    assert "created price" in synced.stdout
    return project


def test_the_plans_are_data_and_the_hook_is_wired(saas: Path) -> None:
    plans = json.loads((saas / "saas" / "billing_plans.json").read_text())
    assert [p["key"] for p in plans["plans"]] == ["free", "pro", "team"]
    assert plans["plans"][1]["price"] == "9.00"  # text, as written
    extensions = (saas / "saas" / "backend_extensions.py").read_text()
    assert "class BillingTodoPolicy(TodoPolicy)" in extensions
    settings = (saas / "saas" / "settings.py").read_text()
    assert 'QUICKSCALE_TODO_POLICY = "saas.backend_extensions.BillingTodoPolicy"' in settings
    theme = saas / "quickscale_themes" / "todo" / "src"
    assert not [p for p in theme.rglob("*.py") if "quickscale_modules.billing" in p.read_text()]


def test_its_billing_smoke_tests_pass_with_warnings_as_errors(saas: Path) -> None:
    tests = ["tests/test_billing_module.py", "tests/test_backend_extensions.py"]
    result = run(
        [".venv/bin/python", "-m", "pytest", "-q", "-W", "error", *tests], saas, clean_env()
    )
    assert " passed" in result.stdout and "failed" not in result.stdout
    run([".venv/bin/ruff", "check", "."], cwd=saas)
    run([".venv/bin/ruff", "format", "--check", "."], cwd=saas)


@pytest.fixture(scope="module")
def server(saas: Path, fake_stripe: tuple[str, BillingState], served: list) -> str:
    api, _ = fake_stripe
    env = clean_env(DJANGO_DEBUG="true", STRIPE_API_HOST=api, **KEYS)
    runserver = [".venv/bin/python", "manage.py", "runserver", "--noreload"]
    return start_server(runserver, saas, env, served)


def _post_event(base: str, event_type: str, obj: dict[str, Any]) -> None:
    status = post_stripe_event(base, event(event_type, obj), KEYS["STRIPE_WEBHOOK_SECRET"])
    assert status == 200


def _check(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert axe_findings(page) == [], f"axe on {page.url}"
    assert page.csp_violations == [], page.csp_violations


def _create_list(page: Any, title: str, *, refused: bool = False) -> None:
    """Submit the new-list form (htmx swaps the lists panel) and wait for the answer."""
    from playwright.sync_api import expect

    page.get_by_label("New list").fill(title)
    page.get_by_role("button", name="Create list").click()
    if refused:
        expect(page.get_by_text("reached the number of lists your plan allows")).to_be_visible()
    else:
        expect(page.locator(".todo-lists__title", has_text=title)).to_be_visible()


CHECKOUT_PAGE = (
    "<!doctype html><html lang='en'><title>Stripe Checkout</title>"
    "<main><h1>Stripe Checkout (played by the test)</h1></main></html>"
)


def test_plans_gate_the_lists_in_chromium(
    saas: Path, server: str, fake_stripe: tuple[str, BillingState], page: Any
) -> None:
    from playwright.sync_api import expect

    _, stripe = fake_stripe
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(saas, "ada"), "url": server}]
    )
    page.context.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=CHECKOUT_PAGE),
    )
    lists = page.locator(".todo-lists__title")

    # Free: three lists, the fourth refused with a link to the plans.
    page.goto(f"{server}/todo/")
    for n in range(1, 4):
        _create_list(page, f"List {n}")
    _create_list(page, "List 4", refused=True)
    expect(lists).to_have_count(3)
    _check(page, "01-fourth-list-refused")
    page.get_by_role("link", name="Upgrade your plan").click()
    expect(page.get_by_role("heading", name="Plans")).to_be_visible()
    _check(page, "02-pricing")

    # Pro through Checkout; Stripe's signed events make it the user's plan.
    page.get_by_role("button", name="Subscribe to Pro").click()
    expect(page.get_by_role("heading", name=re.compile("Stripe Checkout"))).to_be_visible()
    [session_id] = stripe.sessions
    session, subscription = stripe.complete_checkout(session_id)
    _post_event(server, "checkout.session.completed", session)
    _post_event(server, "customer.subscription.created", subscription)
    page.goto(f"{server}/billing/subscription/")
    expect(page.locator(".subscription-status")).to_have_text("Trialing")
    own_url = page.url
    assert re.search(r"/billing/subscriptions/\d+/$", own_url)
    _check(page, "03-subscription-trialing")
    page.goto(f"{server}/todo/")
    _create_list(page, "List 4")
    expect(lists).to_have_count(4)

    # Cancel at the end of the period; then the period ends.
    page.goto(own_url)
    page.get_by_role("button", name="Cancel at the end of the period").click()
    expect(page.get_by_text("ends at the end of the paid period")).to_be_visible()
    assert stripe.subscriptions[subscription["id"]]["cancel_at_period_end"] is True
    _post_event(server, "customer.subscription.updated", subscription)
    _post_event(
        server, "customer.subscription.deleted", stripe.set_status(subscription["id"], "canceled")
    )
    page.goto(own_url)
    expect(page.locator(".subscription-status")).to_have_text("Canceled")
    page.goto(f"{server}/todo/")
    expect(lists).to_have_count(4)
    lists.first.click()
    expect(page).to_have_url(re.compile(r"/todo/\d+/$"))  # still readable
    page.goto(f"{server}/todo/")
    _create_list(page, "List 5", refused=True)
    expect(lists).to_have_count(4)

    # Another user cannot see that subscription.
    other = page.context.browser.new_context()
    other.add_cookies([{"name": "sessionid", "value": session_cookie(saas, "bob"), "url": server}])
    intruder = other.new_page()
    assert intruder.goto(own_url).status == 404
    other.close()
    assert page.console_errors == []


# --- The plan's limit under parallel requests ----------------------------------------

ROUNDS, PARALLEL = 8, 6
REFUSED = "reached the number of lists your plan allows"
NEW_USER = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
user = get_user_model().objects.create_user("racer", "racer@example.com", "a-long-passphrase")
client = Client()
client.force_login(user)
print(user.pk, settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
"""
COUNT_LISTS = "SELECT count(*) FROM quickscale_todo_todolist WHERE owner_id = %s"
DELETE_LISTS = "DELETE FROM quickscale_todo_todolist WHERE owner_id = %s"


def _post_at_once(servers: list[str], signed_in: Visitor, token: str) -> list[str]:
    """PARALLEL new-list forms posted at the same moment, alternating between the
    servers: how each ended ("created", "refused", or the HTTP status)."""
    start, ends = threading.Barrier(PARALLEL), [""] * PARALLEL

    def post(n: int) -> None:
        visitor = Visitor()  # cookies of its own: answers set the messages cookie
        visitor.cookies = dict(signed_in.cookies)
        form = {"title": f"List {n}", "csrfmiddlewaretoken": token}
        start.wait()
        status, _, body = visitor.request(f"{servers[n % 2]}/todo/", form)
        ends[n] = {302: "created"}.get(status, "refused" if REFUSED in body else str(status))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(ends)


def test_parallel_requests_on_two_servers_never_pass_the_free_plan_s_limit(
    saas: Path, saas_database: str, redis_server: Any, served: list[Any]
) -> None:
    """As the finding was made: two one-worker gunicorn servers in production settings
    on PostgreSQL, Redis as the cache, one free user (3 lists). In each round PARALLEL
    new-list forms are posted at once, half to each server; then the lists are deleted.
    Every round ends with exactly 3 lists: each post is a creation or a refusal."""
    import psycopg

    env = prepare(saas, saas_database, REDIS_URL=redis_server.url.replace("/0", "/5"), **KEYS)
    owner, cookie, session = shell(saas, env, NEW_USER).split()
    gunicorn = [".venv/bin/gunicorn", "saas.wsgi", "--workers", "1", "--bind"]
    ours = len(served)
    try:
        servers = [start_server(gunicorn, saas, env, served) for _ in range(2)]
        signed_in = Visitor()
        signed_in.cookies[cookie] = session
        token = ""
        for server in servers:  # each serves a page first; the CSRF cookie is set
            token = signed_in.form_token(f"{server}/todo/")
        rounds = []
        with psycopg.connect(saas_database, autocommit=True) as database:
            for _ in range(ROUNDS):
                ends = _post_at_once(servers, signed_in, token)
                [(count,)] = database.execute(COUNT_LISTS, (owner,)).fetchall()
                rounds.append((count, ends))
                database.execute(DELETE_LISTS, (owner,))
        over = sum(count > 3 for count, _ in rounds)
        expected = (3, ["created"] * 3 + ["refused"] * (PARALLEL - 3))
        assert rounds == [expected] * ROUNDS, f"{over} of {ROUNDS} rounds passed the limit"
    finally:
        for process in served[ours:]:
            process.terminate()
            process.wait(timeout=10)
