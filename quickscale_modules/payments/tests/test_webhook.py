"""The webhook endpoint: verification, idempotency, order, failure and redelivery.

Every request is a real POST to /payments/webhook/, signed with Stripe's scheme
(stripe_fixtures.signature_header), never a call into the module's functions.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from djstripe import models as djstripe
from quickscale_modules.payments.models import ProviderWebhookEvent, Transaction
from quickscale_testing.payments import event, signature_header
from stripe_support import card_customer, fetch, post

from quickscale_modules.payments import services

pytestmark = pytest.mark.django_db

Status = Transaction.Status


def _paid_intent(stripe_api: Any, amount: str = "10.00") -> tuple[Transaction, dict[str, Any]]:
    """A PaymentIntent localstripe has charged, and its (still pending) Transaction."""
    customer, card = card_customer(stripe_api.base)
    started = services.PaymentService().start_payment_intent(
        user=None,
        amount=Decimal(amount),
        currency="eur",
        intent_params={"customer": customer, "payment_method": card, "confirm": True},
    )
    intent = fetch(stripe_api.base, f"/v1/payment_intents/{started.payment_intent.id}")
    return started.transaction, intent


def _nothing_stored() -> bool:
    return not ProviderWebhookEvent.objects.exists() and not djstripe.Event.objects.exists()


# --- verification --------------------------------------------------------------------


def _one_byte_changed(body: str, secret: str) -> tuple[str, str]:
    """The body with one byte changed after signing, and the original's signature."""
    header = signature_header(body, secret)
    at = body.index('"amount": ') + len('"amount": ')
    changed = body[:at] + ("9" if body[at] != "9" else "8") + body[at + 1 :]
    assert len(changed) == len(body) and changed != body
    return changed, header


@pytest.mark.parametrize(
    "case",
    [
        "wrong secret",
        "timestamp too old",
        "one byte changed",
        "no signature header",
        "malformed header",
        "signature of another scheme",
    ],
)
def test_a_request_that_does_not_verify_gets_400_and_changes_nothing(
    case: str, stripe_api: Any, webhook: Any, settings: Any
) -> None:
    transaction, intent = _paid_intent(stripe_api)
    body = json.dumps(event("payment_intent.succeeded", intent))
    secret = settings.STRIPE_WEBHOOK_SECRET
    if case == "wrong secret":
        response = webhook.post(body, secret="whsec_not_the_right_one")
    elif case == "timestamp too old":
        response = webhook.post(body, timestamp=int(time.time()) - 301)
    elif case == "one byte changed":
        changed, header = _one_byte_changed(body, secret)
        response = webhook.post(changed, header=header)
    elif case == "no signature header":
        response = webhook.client.post(webhook.url, body, content_type="application/json")
    elif case == "malformed header":
        response = webhook.post(body, header="t=abc,v1=")
    else:
        good = signature_header(body, secret).split(",v1=")[1]
        response = webhook.post(body, header=f"t={int(time.time())},v0={good}")
    assert response.status_code == 400
    assert _nothing_stored()
    transaction.refresh_from_db()
    assert transaction.status == Status.PENDING


def test_a_recent_timestamp_within_the_tolerance_is_accepted(stripe_api, webhook) -> None:
    _, intent = _paid_intent(stripe_api)
    response = webhook.post(
        event("payment_intent.succeeded", intent), timestamp=int(time.time()) - 240
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe not utf-8", b"[1, 2, 3]", b'{"object": "customer", "id": "cus_1"}', b"{not json"],
)
def test_a_signed_body_that_is_not_an_event_gets_400(body: bytes, webhook, settings) -> None:
    text = body.decode("latin-1")
    header = signature_header(text, settings.STRIPE_WEBHOOK_SECRET)
    response = webhook.client.post(
        webhook.url, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    assert _nothing_stored()


def test_without_a_configured_secret_nothing_is_accepted(stripe_api, webhook) -> None:
    _, intent = _paid_intent(stripe_api)
    with override_settings(STRIPE_WEBHOOK_SECRET=""):
        response = webhook.post(event("payment_intent.succeeded", intent), secret="whsec_any")
    assert response.status_code == 500
    assert _nothing_stored()


def test_only_post_is_allowed(client) -> None:
    assert client.get("/payments/webhook/").status_code == 405


# --- idempotency, order ---------------------------------------------------------------


def test_the_same_event_delivered_twice_is_processed_once(stripe_api, webhook) -> None:
    transaction, intent = _paid_intent(stripe_api)
    calls: list[str] = []

    def listener(sender: Any, event: ProviderWebhookEvent, **kwargs: Any) -> None:
        calls.append(event.stripe_event_id)

    services.payment_event.connect(listener)
    try:
        payload = event("payment_intent.succeeded", intent)
        first = webhook.post(payload)
        second = webhook.post(payload)
    finally:
        services.payment_event.disconnect(listener)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == b"Already processed."
    record = ProviderWebhookEvent.objects.get()
    assert (record.outcome, record.attempts, record.transaction) == ("processed", 1, transaction)
    assert record.processed_at is not None
    assert calls == [payload["id"]]
    assert djstripe.Event.objects.filter(id=payload["id"]).count() == 1


def test_refund_event_before_the_payment_event_ends_refunded(stripe_api, webhook) -> None:
    transaction, intent = _paid_intent(stripe_api)  # snapshot before the refund
    # Refunded at once from Stripe's Dashboard, before any event reached us.
    post(stripe_api.base, "/v1/refunds", {"payment_intent": intent["id"]})
    charge = fetch(stripe_api.base, f"/v1/charges/{intent['latest_charge']['id']}")

    assert webhook.send("charge.refunded", charge)[0].status_code == 200
    assert webhook.send("payment_intent.succeeded", intent)[0].status_code == 200
    transaction.refresh_from_db()
    assert (transaction.status, transaction.amount_refunded) == (Status.REFUNDED, Decimal("10"))
    assert transaction.stripe_charge_id == charge["id"]


def test_checkout_refund_before_completion_finds_its_transaction(stripe_api, webhook) -> None:
    """The charge names only its PaymentIntent, which the Transaction does not know yet:
    it is found through the PaymentIntent's metadata, as dj-stripe synced it."""
    started = services.PaymentService().start_checkout(
        user=None,
        amount=Decimal("8"),
        currency="usd",
        description="Poster",
        success_url="https://shop.test/ok?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="https://shop.test/back",
    )
    session = dict(stripe_api.pay(started.session.id))
    intent = stripe_api.intents[session["payment_intent"]]
    charge = stripe_api.charges[intent["latest_charge"]]
    charge.update(amount_refunded=800, refunded=True)

    assert webhook.send("charge.refunded", dict(charge))[0].status_code == 200
    assert webhook.send("checkout.session.completed", session)[0].status_code == 200
    transaction = Transaction.objects.get(pk=started.transaction.pk)
    assert (transaction.status, transaction.amount_refunded) == (Status.REFUNDED, Decimal("8"))


def test_an_older_partial_refund_arriving_late_does_not_undo_a_later_one(
    stripe_api, webhook
) -> None:
    transaction, intent = _paid_intent(stripe_api, "30.00")
    webhook.send("payment_intent.succeeded", intent)
    charge_id = intent["latest_charge"]["id"]
    transaction.refresh_from_db()
    services.PaymentService().refund(transaction, Decimal("10"))
    after_first = fetch(stripe_api.base, f"/v1/charges/{charge_id}")
    services.PaymentService().refund(transaction, Decimal("10"))  # before the event
    after_second = fetch(stripe_api.base, f"/v1/charges/{charge_id}")
    webhook.send("charge.refunded", after_second)
    webhook.send("charge.refunded", after_first)
    transaction.refresh_from_db()
    assert (transaction.status, transaction.amount_refunded) == (
        Status.PARTIALLY_REFUNDED,
        Decimal("20"),
    )


def test_an_event_for_no_transaction_of_ours_is_stored_and_processed(stripe_api, webhook) -> None:
    customer, _ = card_customer(stripe_api.base)
    response, event_id = webhook.send(
        "customer.updated", fetch(stripe_api.base, f"/v1/customers/{customer}")
    )
    assert response.status_code == 200
    record = ProviderWebhookEvent.objects.get(stripe_event_id=event_id)
    assert (record.outcome, record.transaction, record.type) == (
        "processed",
        None,
        "customer.updated",
    )


# --- failure and redelivery -----------------------------------------------------------


def test_a_failing_handler_marks_the_event_failed_and_a_redelivery_processes_it_once(
    stripe_api, webhook
) -> None:
    transaction, intent = _paid_intent(stripe_api)
    effects: list[str] = []
    failures = iter([RuntimeError("billing is down")])

    def listener(sender: Any, event: ProviderWebhookEvent, transaction: Any, **kw: Any) -> None:
        effects.append(transaction.status)  # a database side effect, say
        failure = next(failures, None)
        if failure:
            raise failure

    services.payment_event.connect(listener)
    try:
        payload = event("payment_intent.succeeded", intent)
        failed = webhook.post(payload)
        record = ProviderWebhookEvent.objects.get()
        assert failed.status_code == 500
        assert (record.outcome, record.attempts) == ("failed", 1)
        assert "RuntimeError: billing is down" in record.last_error
        transaction.refresh_from_db()
        assert transaction.status == Status.PENDING  # the savepoint undid the update
        assert not djstripe.Event.objects.exists()  # and dj-stripe's sync

        retried = webhook.post(payload)
        again = webhook.post(payload)
    finally:
        services.payment_event.disconnect(listener)
    assert (retried.status_code, again.status_code) == (200, 200)
    record.refresh_from_db()
    assert (record.outcome, record.attempts, record.last_error) == ("processed", 2, "")
    transaction.refresh_from_db()
    assert transaction.status == Status.SUCCEEDED
    assert effects == [Status.SUCCEEDED, Status.SUCCEEDED]  # the failed run, then one more
    assert djstripe.Event.objects.filter(id=payload["id"]).count() == 1


def test_stripe_unreachable_while_syncing_fails_the_event_until_it_answers(
    stripe_api, webhook
) -> None:
    import responses

    transaction, intent = _paid_intent(stripe_api)
    payload = event("payment_intent.succeeded", intent)
    url = f"{stripe_api.base}/v1/payment_intents/{intent['id']}"
    outage = stripe_api.mock.add(responses.GET, url, status=503, json={"error": {}})
    assert webhook.post(payload).status_code == 500
    assert ProviderWebhookEvent.objects.get().outcome == "failed"
    stripe_api.mock.remove(outage)
    assert webhook.post(payload).status_code == 200
    transaction.refresh_from_db()
    assert transaction.status == Status.SUCCEEDED
