"""End to end: `modules: payments: {provider: stripe}` in a real project, then a real
browser paying for the example shop's item.

`quickscale init shop`, payments enabled in quickscale.yml and applied by `generate`,
the project installed into its own venv from its pinned requirements and migrated. Its
own tests pass with -W error; `check --deploy` fails without the Stripe keys and
passes with them. In Chromium a logged-in customer presses "Pay": the project creates
the Checkout Session on a fake Stripe API (this test's, on loopback, serving the
Stripe-shaped objects of quickscale_testing.payments) and sends the browser to
Checkout, whose page the test stands in for. The test then plays Stripe: it posts the
signed `checkout.session.completed` to the webhook while the success page, which is
waiting, shows "Paid" without reloading. Another user gets 404 for that payment; the
customer is offered no refund and a refund they post anyway is refused (403), nothing
reaching Stripe; a staff account with "Can refund payments" refunds it. Removing the
module from quickscale.yml unwires it with the table warning.
"""

from __future__ import annotations

import re
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
    post_stripe_event,
    production_env,
    run,
    serve_stand_in,
    session_cookie,
    start_server,
)
from quickscale_testing.modules import parse_form
from quickscale_testing.payments import StripeState, event

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SHOTS = ARTIFACTS / "payments"
KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_51QuickScaleEndToEnd0000000000",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_51QuickScaleEndToEnd0000000000",
    "STRIPE_WEBHOOK_SECRET": "whsec_quickscale_end_to_end",
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path) -> Path:
    work = tmp_path_factory.mktemp("payments")
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run([quickscale_bin, "init", "shop"], cwd=work, env=env)
    project = work / "shop"
    config = project / "quickscale.yml"
    text = config.read_text().replace("schema_version: 1", "schema_version: 2")
    config.write_text(text + "\nmodules:\n  payments:\n    provider: stripe\n")
    run(["git", "commit", "-qam", "Enable payments"], cwd=project)
    run([quickscale_bin, "validate"], cwd=project, env=env)
    run([quickscale_bin, "generate", "--no-migrations"], cwd=project, env=env)
    install_requirements(project)
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=clean_env())
    return project


def test_the_module_is_wired_from_quickscale_yml(shop: Path) -> None:
    settings = (shop / "shop" / "settings.py").read_text()
    assert '"djstripe",  # modules/payments\n    "quickscale_modules.payments",' in settings
    assert "STRIPE_" not in settings  # the keys: the app reads them from the environment
    urls = (shop / "shop" / "urls.py").read_text()
    assert 'path("payments/", include("quickscale_modules.payments.urls"))' in urls
    assert 'path("shop/", include("shop.payments_example"))' in urls
    env_example = (shop / ".env.example").read_text()
    assert all(f"# {name}=" in env_example for name in KEYS)
    requirements = (shop / "requirements.txt").read_text()
    assert "dj-stripe==2.11.0" in requirements and "stripe==15.6.2" in requirements


def test_its_own_tests_pass_with_warnings_as_errors(shop: Path) -> None:
    result = run([".venv/bin/python", "-m", "pytest", "-q", "-W", "error"], shop, clean_env())
    assert " passed" in result.stdout and "failed" not in result.stdout
    assert "test_payments_module.py" not in result.stdout  # nothing skipped or failed there
    run([".venv/bin/ruff", "check", "."], cwd=shop)
    run([".venv/bin/ruff", "format", "--check", "."], cwd=shop)
    run([".venv/bin/python", "manage.py", "makemigrations", "--check", "--dry-run"], shop)


def _deploy_check(shop: Path, **extra: str) -> Any:
    import subprocess

    (shop / ".env").rename(shop / ".env.off")  # production reads real variables only
    try:
        return subprocess.run(
            [".venv/bin/python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=shop,
            env=production_env(**extra),
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        (shop / ".env.off").rename(shop / ".env")


def test_check_deploy_fails_clearly_without_the_stripe_keys(shop: Path) -> None:
    result = _deploy_check(shop)
    assert result.returncode != 0
    assert "quickscale_payments.E001" in result.stderr
    assert "STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET" in result.stderr


def test_check_deploy_passes_with_the_stripe_keys(shop: Path) -> None:
    result = _deploy_check(shop, **KEYS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_live_key_while_debugging_is_a_warning(shop: Path) -> None:
    env = clean_env(DJANGO_DEBUG="true", STRIPE_SECRET_KEY="sk_live_51QuickScaleEndToEnd000000")
    result = run([".venv/bin/python", "manage.py", "check"], cwd=shop, env=env)
    assert "quickscale_payments.W001" in result.stderr


# --- in the browser ------------------------------------------------------------------


class _FakeStripe(JsonStandIn):
    """Stripe's API as the project's server sees it (STRIPE_API_HOST)."""

    state: StripeState

    def do_GET(self) -> None:
        self.send_json(*self.state.retrieve(self.path))

    def do_POST(self) -> None:
        params = parse_form(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        if self.path.startswith("/v1/checkout/sessions"):
            self.send_json(*self.state.create_session(params))
        elif self.path.startswith("/v1/refunds"):
            self.send_json(*self.state.create_refund(params))
        else:
            self.send_json(404, {"error": {"type": "invalid_request_error"}})


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[tuple[str, StripeState]]:
    state = StripeState()
    with serve_stand_in(type("Handler", (_FakeStripe,), {"state": state})) as base:
        yield base, state


@pytest.fixture(scope="module")
def server(shop: Path, fake_stripe: tuple[str, StripeState], served: list) -> str:
    api, _ = fake_stripe
    env = clean_env(DJANGO_DEBUG="true", STRIPE_API_HOST=api, **KEYS)
    runserver = [".venv/bin/python", "manage.py", "runserver", "--noreload"]
    return start_server(runserver, shop, env, served)


def staff_cookie(project: Path, username: str) -> str:
    """A new staff account holding "Can refund payments", logged in as session_cookie
    logs a customer in; the browser gets the cookie."""
    cookie = session_cookie(project, username)
    code = (
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Permission; "
        f"u = get_user_model().objects.get(username={username!r}); u.is_staff = True; "
        "u.save(); u.user_permissions.add(Permission.objects.get(codename='refund_transaction'))"
    )
    run([".venv/bin/python", "manage.py", "shell", "-c", code], project, clean_env())
    return cookie


def _post_event(base: str, payload: dict[str, Any]) -> int:
    return post_stripe_event(base, payload, KEYS["STRIPE_WEBHOOK_SECRET"])


CHECKOUT_PAGE = (
    "<!doctype html><html lang='en'><title>Stripe Checkout</title>"
    "<main><h1>Stripe Checkout (played by the test)</h1></main></html>"
)


def _check(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert axe_findings(page) == [], f"axe on {page.url}"
    assert page.csp_violations == [], page.csp_violations


def test_pay_for_the_example_item_in_chromium(
    shop: Path, server: str, fake_stripe: tuple[str, StripeState], page: Any
) -> None:
    from playwright.sync_api import expect

    _, stripe = fake_stripe
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(shop, "ada"), "url": server}]
    )
    checkout_urls: list[str] = []

    def stand_in_for_checkout(route: Any) -> None:
        checkout_urls.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=CHECKOUT_PAGE)

    page.context.route("https://checkout.stripe.com/**", stand_in_for_checkout)

    page.goto(f"{server}/shop/")
    _check(page, "01-shop")
    page.get_by_role("button", name=re.compile(r"^Pay €5\.00")).click()
    expect(page.get_by_role("heading", name=re.compile("Stripe Checkout"))).to_be_visible()

    # The Pay button created one Checkout Session for the item, for this transaction.
    [(_, _, sent)] = [r for r in stripe.requests if r[1] == "/v1/checkout/sessions"]
    assert (sent["line_items[0][price_data][unit_amount]"], sent["mode"]) == ("500", "payment")
    [session] = stripe.sessions.values()
    assert checkout_urls == [session["url"].split("#")[0]]  # a fragment stays in the browser

    # The customer pays; Stripe sends the browser back before its webhook arrives.
    paid = stripe.pay(session["id"])
    success = paid["success_url"].replace("{CHECKOUT_SESSION_ID}", paid["id"])
    page.goto(success)
    status = page.locator("#payment-status")
    expect(status).to_contain_text("Waiting for Stripe")
    _check(page, "02-success-waiting")
    page.evaluate("window.__sameDocument = true")
    assert _post_event(server, event("checkout.session.completed", dict(paid))) == 200
    expect(status).to_contain_text("Paid", timeout=20_000)
    assert page.evaluate("window.__sameDocument") is True, "the page reloaded"
    assert page.url == success  # no extra URL
    _check(page, "03-success-paid")

    # Refunds are staff work: the customer is offered none, and one posted anyway is
    # refused before it reaches Stripe; another customer cannot even see the payment.
    page.goto(f"{server}/shop/")
    assert page.locator("form[action$='/refund/']").count() == 0
    refund_action = f"/shop/{session['metadata']['quickscale_transaction']}/refund/"
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    denied = page.request.post(f"{server}{refund_action}", headers={"X-CSRFToken": token})
    assert denied.status == 403
    other = page.context.browser.new_context()
    other.add_cookies([{"name": "sessionid", "value": session_cookie(shop, "bob"), "url": server}])
    intruder = other.new_page()
    assert intruder.goto(success).status == 404
    intruder.goto(f"{server}/shop/")
    assert "No payments yet." in intruder.content()
    other.close()
    assert [r for r in stripe.requests if r[1] == "/v1/refunds"] == []

    # Staff with "Can refund payments" refund it; Stripe's charge.refunded makes it
    # "Refunded", as the customer then sees.
    cashier = page.context.browser.new_context()
    cashier.add_cookies(
        [{"name": "sessionid", "value": staff_cookie(shop, "cashier"), "url": server}]
    )
    desk = cashier.new_page()
    desk.goto(f"{server}/shop/")
    expect(desk.locator("table.payments")).to_contain_text("ada@example.com")
    desk.get_by_role("button", name=re.compile("^Refund")).click()
    expect(desk.get_by_text("Refund requested")).to_be_visible()
    cashier.close()
    charge = stripe.charges[stripe.intents[paid["payment_intent"]]["latest_charge"]]
    assert charge["refunded"] is True
    assert _post_event(server, event("charge.refunded", dict(charge))) == 200
    page.reload()
    expect(page.locator("table.payments")).to_contain_text("Refunded")
    _check(page, "04-shop-refunded")
    assert page.console_errors == []


def test_removing_the_module_unwires_it_with_the_table_warning(
    shop: Path, quickscale_bin: str, source_repo: Path
) -> None:
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run(["git", "add", "-A"], cwd=shop)  # what generate wrote when payments came in
    run(["git", "commit", "-qm", "Wire payments", "--allow-empty"], cwd=shop)
    config = shop / "quickscale.yml"
    config.write_text(
        re.sub(r"\nmodules:\n  payments:\n    provider: stripe\n", "\n", config.read_text())
    )
    run(["git", "commit", "-qam", "Remove payments"], cwd=shop)
    preview = run([quickscale_bin, "preview"], cwd=shop, env=env)
    assert "quickscale_payments_transaction" in preview.stdout + preview.stderr
    assert "djstripe_event" in preview.stdout + preview.stderr
    run([quickscale_bin, "generate", "--no-migrations"], cwd=shop, env=env)
    assert not (shop / "quickscale_modules" / "payments").exists()
    settings = (shop / "shop" / "settings.py").read_text()
    assert "djstripe" not in settings and "STRIPE_" not in settings
    assert "payments" not in (shop / "shop" / "urls.py").read_text()
    run([".venv/bin/python", "manage.py", "check"], cwd=shop, env=clean_env())
