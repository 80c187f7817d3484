"""The whole path, twice: on localstripe's PaymentIntents and on Stripe Checkout.

charge -> signed webhook -> Transaction succeeded -> refund -> signed webhook ->
Transaction refunded, with dj-stripe's tables in sync at each step. test_postgres.py
runs this file again on PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from djstripe import models as djstripe
from quickscale_modules.payments.models import ProviderWebhookEvent, Transaction
from stripe_support import card_customer, fetch

from quickscale_modules.payments import services

pytestmark = pytest.mark.django_db

Status = Transaction.Status


@pytest.fixture
def ada(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("ada", "ada@example.com", "pw")


def test_charge_webhook_succeeded_refund_webhook_refunded(stripe_api, webhook, ada) -> None:
    customer, card = card_customer(stripe_api.base)
    started = services.PaymentService().start_payment_intent(
        user=ada,
        amount=Decimal("12.50"),
        currency="eur",
        description="Sticker pack",
        intent_params={"customer": customer, "payment_method": card, "confirm": True},
    )
    transaction = started.transaction
    assert started.payment_intent.status == "succeeded"  # localstripe charged the card
    assert transaction.status == Status.PENDING  # until Stripe's event says so

    # Stripe's side: the event carries the PaymentIntent as localstripe now has it.
    intent = fetch(stripe_api.base, f"/v1/payment_intents/{started.payment_intent.id}")
    response, event_id = webhook.send("payment_intent.succeeded", intent)
    assert response.status_code == 200
    transaction.refresh_from_db()
    assert transaction.status == Status.SUCCEEDED
    assert transaction.stripe_charge_id.startswith("ch_")
    assert djstripe.PaymentIntent.objects.get(id=intent["id"]).stripe_data["status"] == "succeeded"
    assert djstripe.Event.objects.filter(id=event_id).exists()

    refund = services.PaymentService().refund(transaction)
    assert refund.status == "succeeded" and refund.amount == 1250
    transaction.refresh_from_db()
    assert transaction.status == Status.SUCCEEDED  # a refund counts once Stripe confirms

    charge = fetch(stripe_api.base, f"/v1/charges/{transaction.stripe_charge_id}")
    assert charge["refunded"] is True
    response, event_id = webhook.send("charge.refunded", charge)
    assert response.status_code == 200
    transaction.refresh_from_db()
    assert (transaction.status, transaction.amount_refunded) == (Status.REFUNDED, Decimal("12.50"))
    assert djstripe.Charge.objects.get(id=charge["id"]).stripe_data["refunded"] is True
    assert ProviderWebhookEvent.objects.get(stripe_event_id=event_id).transaction == transaction
    with pytest.raises(services.PaymentError, match="nothing left to refund"):
        services.PaymentService().refund(transaction)


def test_checkout_session_paid_then_refunded_in_two_parts(stripe_api, webhook, client, ada) -> None:
    client.force_login(ada)
    started = services.PaymentService().start_checkout(
        user=ada,
        amount=Decimal("20.00"),
        currency="EUR",
        description="Workshop ticket",
        success_url="https://shop.test/payments/success/?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="https://shop.test/payments/cancel/",
    )
    transaction = started.transaction
    assert started.url.startswith("https://checkout.stripe.com/")
    [(_, _, sent)] = [r for r in stripe_api.requests if r[1] == "/v1/checkout/sessions"]
    assert sent["mode"] == "payment"
    assert sent["line_items[0][price_data][unit_amount]"] == "2000"
    assert sent["line_items[0][price_data][currency]"] == "eur"
    assert sent["payment_intent_data[metadata][quickscale_transaction]"] == str(transaction.pk)
    assert sent["client_reference_id"] == str(transaction.pk)
    assert transaction.stripe_checkout_session_id == started.session.id

    success = f"/payments/success/?session_id={started.session.id}"
    assert "Waiting for Stripe" in client.get(success).content.decode()

    session = stripe_api.pay(started.session.id)
    response, _ = webhook.send("checkout.session.completed", dict(session))
    assert response.status_code == 200
    transaction.refresh_from_db()
    assert transaction.status == Status.SUCCEEDED
    assert transaction.stripe_payment_intent_id == session["payment_intent"]
    assert djstripe.Session.objects.filter(id=session["id"]).exists()
    page = client.get(success).content.decode()
    assert "<strong>Paid</strong>" in page and "hx-trigger" not in page

    services.PaymentService().refund(transaction, Decimal("5.00"))
    charge = stripe_api.charges[stripe_api.intents[session["payment_intent"]]["latest_charge"]]
    webhook.send("charge.refunded", dict(charge))
    transaction.refresh_from_db()
    assert transaction.status == Status.PARTIALLY_REFUNDED
    assert transaction.refundable_amount == Decimal("15.00")

    services.PaymentService().refund(transaction)  # the rest
    webhook.send("charge.refunded", dict(charge))
    transaction.refresh_from_db()
    assert (transaction.status, transaction.amount_refunded) == (Status.REFUNDED, Decimal("20"))
    refunds = [r[2] for r in stripe_api.requests if r[1] == "/v1/refunds"]
    assert [r["amount"] for r in refunds] == ["500", "1500"]
