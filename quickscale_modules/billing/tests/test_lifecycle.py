"""Every subscription transition, driven by signed events through payments' webhook,
each event's object the subscription or invoice as localstripe holds it (see
``stripe_billing.py`` for what is stubbed in front of localstripe, and why)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from quickscale_modules.billing.models import Plan, Subscription
from quickscale_modules.payments.services import ProviderWebhookEvent

from quickscale_modules.billing import services

pytestmark = pytest.mark.django_db


def _subscribe(
    client: Client, stripe_api: Any, webhook: Any, user: Any, key: str
) -> dict[str, Any]:
    """Pricing page -> Checkout -> paid -> Stripe's events; the subscription at Stripe."""
    client.force_login(user)
    response = client.post(f"/billing/subscribe/{key}/")
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/")
    session_id = response["Location"].rsplit("/", 1)[1]
    session, sub = stripe_api.complete_checkout(session_id)
    assert webhook.send("checkout.session.completed", session).status_code == 200
    assert webhook.send("customer.subscription.created", sub).status_code == 200
    return sub


@pytest.fixture
def synced(plans: Any, stripe_api: Any) -> Any:
    call_command("billing_sync", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return stripe_api


def test_checkout_then_trial_then_active(
    synced: Any, webhook: Any, ada: Any, client: Client
) -> None:
    assert services.entitlement_limit(ada, "todo.lists") == 3  # the free default
    sub = _subscribe(client, synced, webhook, ada, "pro")
    [(_, _, params)] = [w for w in synced.writes if w[1] == "/v1/checkout/sessions"]
    assert params["mode"] == "subscription"
    assert params["subscription_data[trial_period_days]"] == "14"
    # The Stripe customer and the subscription are localstripe's: a trial on the plan
    # billing_sync made (localstripe keeps a trialing subscription "incomplete").
    ours = Subscription.objects.get(user=ada)
    stored = synced.stored(f"/v1/subscriptions/{sub['id']}")
    assert (stored["customer"], stored["status"], stored["plan"]["id"]) == (
        ours.stripe_customer_id,
        "incomplete",
        ours.plan.stripe_price_id,
    )
    assert stored["trial_end"] == sub["trial_end"] > time.time() + 13 * 86400
    assert synced.stored(f"/v1/customers/{ours.stripe_customer_id}")["email"] == ada.email
    assert (ours.status, ours.plan.key, ours.stripe_subscription_id) == (
        "trialing",
        "pro",
        sub["id"],
    )
    fresh = type(ada).objects.get(pk=ada.pk)
    assert services.entitlement_limit(fresh, "todo.lists") is None
    assert services.has_entitlement(fresh, "reports.export")
    # The trial ends and the first invoice is paid.
    paid, active = synced.end_trial(sub["id"])
    assert paid["status"] == "paid" and paid["subscription"] == sub["id"]
    # localstripe charged the card and made the subscription active itself.
    assert synced.stored(f"/v1/invoices/{paid['id']}")["amount_paid"] == 900
    assert synced.stored(f"/v1/subscriptions/{sub['id']}")["status"] == "active"
    assert webhook.send("invoice.paid", paid).status_code == 200
    assert webhook.send("customer.subscription.updated", active).status_code == 200
    assert Subscription.objects.get(user=ada).status == "active"
    # dj-stripe's tables were synced by payments' processing.
    from djstripe.models import Subscription as DjstripeSubscription

    assert DjstripeSubscription.objects.filter(id=sub["id"]).exists()


def test_payment_failed_then_past_due_then_canceled(
    synced: Any, webhook: Any, ada: Any, client: Client
) -> None:
    sub = _subscribe(client, synced, webhook, ada, "team")
    assert Subscription.objects.get(user=ada).status == "active"
    # No trial: localstripe invoiced the first year and charged the card at once.
    first = synced.stored(f"/v1/invoices/{sub['latest_invoice']}")
    assert (first["status"], first["amount_paid"]) == ("paid", 9900)
    failed = synced.renewal_failed(sub["id"])
    assert failed["status"] == "open" and failed["attempted"]
    # localstripe's invoice, its charge declined.
    assert synced.stored(f"/v1/invoices/{failed['id']}")["charge"]["failure_code"] == (
        "card_declined"
    )
    assert webhook.send("invoice.payment_failed", failed).status_code == 200
    from djstripe.models import Invoice

    assert Invoice.objects.get(id=failed["id"]).status == "open"  # synced by payments
    past_due = synced.subscription(sub["id"])
    assert past_due["latest_invoice"] == failed["id"]
    assert webhook.send("customer.subscription.updated", past_due).status_code == 200
    assert Subscription.objects.get(user=ada).status == "past_due"
    fresh = type(ada).objects.get(pk=ada.pk)
    assert services.entitlement_limit(fresh, "team.seats") == 10  # kept while Stripe retries
    ended = synced.end_subscription(sub["id"])
    assert synced.stored(f"/v1/subscriptions/{sub['id']}")["status"] == "canceled"
    assert webhook.send("customer.subscription.deleted", ended).status_code == 200
    fresh = type(ada).objects.get(pk=ada.pk)
    assert Subscription.objects.get(user=ada).status == "canceled"
    assert services.current_plan(fresh).key == "free"
    assert services.entitlement_limit(fresh, "todo.lists") == 3


def test_upgrade_and_downgrade_with_proration(
    synced: Any, webhook: Any, ada: Any, client: Client
) -> None:
    sub = _subscribe(client, synced, webhook, ada, "pro")
    ours = Subscription.objects.get(user=ada)
    response = client.post(f"/billing/subscriptions/{ours.pk}/change/", {"plan": "team"})
    assert response.status_code == 302
    [(_, path, params)] = [w for w in synced.writes if w[1].startswith("/v1/subscriptions/")]
    assert path == f"/v1/subscriptions/{sub['id']}"
    assert params["proration_behavior"] == "create_prorations"
    assert params["items[0][id]"] == ours.stripe_item_id
    assert Subscription.objects.get(user=ada).plan.key == "pro"  # until Stripe says so
    team_price = Plan.objects.get(key="team").stripe_price_id
    assert synced.stored(path)["plan"]["id"] == team_price  # changed in localstripe
    webhook.send("customer.subscription.updated", synced.subscription(sub["id"]))
    assert Subscription.objects.get(user=ada).plan.key == "team"
    client.post(f"/billing/subscriptions/{ours.pk}/change/", {"plan": "pro"})
    webhook.send("customer.subscription.updated", synced.subscription(sub["id"]))
    assert Subscription.objects.get(user=ada).plan.key == "pro"
    # localstripe prorated the downgrade: the year of team paid is credited.
    stored = synced.stored(path)
    lines = synced.stored(f"/v1/invoices/{stored['latest_invoice']}")["lines"]["data"]
    assert [(line["amount"], line["proration"]) for line in lines] == [(-9900, True), (900, False)]


def test_cancel_at_period_end_keeps_the_plan_until_stripe_ends_it(
    synced: Any, webhook: Any, ada: Any, client: Client
) -> None:
    sub = _subscribe(client, synced, webhook, ada, "team")
    ours = Subscription.objects.get(user=ada)
    client.post(f"/billing/subscriptions/{ours.pk}/cancel/")
    assert synced.stored(f"/v1/subscriptions/{sub['id']}")["cancel_at_period_end"] is True
    webhook.send("customer.subscription.updated", synced.subscription(sub["id"]))
    ours.refresh_from_db()
    assert ours.cancel_at_period_end and ours.status == "active" and ours.plan.key == "team"
    page = client.get(f"/billing/subscriptions/{ours.pk}/").content.decode()
    assert "Ends" in page and "Cancel at the end" not in page
    webhook.send("customer.subscription.deleted", synced.end_subscription(sub["id"]))
    assert synced.stored(f"/v1/subscriptions/{sub['id']}")["status"] == "canceled"
    fresh = type(ada).objects.get(pk=ada.pk)
    assert services.current_plan(fresh).key == "free"


def test_an_older_event_arriving_late_changes_nothing(
    synced: Any, webhook: Any, ada: Any, client: Client
) -> None:
    sub = _subscribe(client, synced, webhook, ada, "pro")
    _, active = synced.end_trial(sub["id"])
    assert synced.stored(f"/v1/subscriptions/{sub['id']}")["status"] == "active"
    webhook.send("customer.subscription.updated", active, created=int(time.time()) + 10)
    # The trialing subscription's event, delivered after the newer one.
    assert (
        webhook.send(
            "customer.subscription.updated", sub, created=int(time.time()) - 10
        ).status_code
        == 200
    )
    assert Subscription.objects.get(user=ada).status == "active"


def test_the_portal_link_and_another_user_gets_404(
    synced: Any, webhook: Any, ada: Any, bob: Any, client: Client
) -> None:
    sub = _subscribe(client, synced, webhook, ada, "pro")
    ours = Subscription.objects.get(user=ada)
    stored = synced.stored(f"/v1/subscriptions/{sub['id']}")
    assert stored["customer"] == ours.stripe_customer_id  # localstripe's
    response = client.post(f"/billing/subscriptions/{ours.pk}/portal/")
    assert response.status_code == 303
    assert response["Location"].startswith("https://billing.stripe.com/p/session/")
    [(_, _, params)] = [w for w in synced.writes if w[1] == "/v1/billing_portal/sessions"]
    assert params["customer"] == ours.stripe_customer_id
    other = Client()
    other.force_login(bob)
    for path in ("", "portal/", "cancel/", "change/"):
        method = other.get if not path else other.post
        assert method(f"/billing/subscriptions/{ours.pk}/{path}").status_code == 404
    assert "Pro" not in other.get("/billing/subscription/").content.decode()


def test_a_forged_event_changes_nothing(synced: Any, ada: Any, client: Client) -> None:
    body = '{"id": "evt_x", "object": "event", "type": "customer.subscription.updated", "data": {}}'
    response = client.post(
        "/payments/webhook/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={int(time.time())},v1=00",
    )
    assert response.status_code == 400
    assert not ProviderWebhookEvent.objects.exists()
