"""The service layer: what it refuses, what it sends to Stripe, who may read what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import responses
from quickscale_modules.payments.models import Transaction
from stripe_support import card_customer

from quickscale_modules.payments import money, services

pytestmark = pytest.mark.django_db


def _checkout(**overrides: Any) -> services.CheckoutStarted:
    arguments: dict[str, Any] = {
        "user": None,
        "amount": Decimal("10"),
        "currency": "eur",
        "description": "Poster",
        "success_url": "https://shop.test/ok?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://shop.test/back",
    }
    arguments.update(overrides)
    return services.PaymentService().start_checkout(**arguments)


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        (Decimal("0"), "eur", "more than 0"),
        (Decimal("-5"), "eur", "more than 0"),
        (Decimal("1.5"), "jpy", "more decimal places than JPY"),
        (Decimal("1.234"), "eur", "more decimal places than EUR"),
        (Decimal("5"), "euro", "not a currency code"),
    ],
)
def test_an_impossible_payment_is_refused_before_reaching_stripe(
    amount: Decimal, currency: str, message: str, stripe_api: Any
) -> None:
    with pytest.raises(services.PaymentError, match=message):
        _checkout(amount=amount, currency=currency)
    assert not Transaction.objects.exists()
    assert stripe_api.requests == []


def test_stripe_refusing_the_session_leaves_no_transaction(stripe_api: Any) -> None:
    error = {"error": {"type": "invalid_request_error", "message": "Invalid currency: xyz"}}
    stripe_api.mock.replace(
        responses.POST, f"{stripe_api.base}/v1/checkout/sessions", json=error, status=400
    )
    with pytest.raises(services.PaymentError):
        _checkout(currency="xyz")
    assert not Transaction.objects.exists()


def test_stripe_parameters_pass_through_untouched(stripe_api: Any) -> None:
    _checkout(session_params={"customer_email": "ada@example.com", "locale": "fr"})
    [(_, _, sent)] = stripe_api.requests
    assert (sent["customer_email"], sent["locale"]) == ("ada@example.com", "fr")


def test_a_payment_not_yet_confirmed_cannot_be_refunded(stripe_api: Any) -> None:
    started = _checkout()
    with pytest.raises(services.PaymentError, match="nothing left to refund"):
        services.PaymentService().refund(started.transaction)


def test_a_refund_larger_than_what_is_left_is_refused(stripe_api: Any, webhook: Any) -> None:
    customer, card = card_customer(stripe_api.base)
    started = services.PaymentService().start_payment_intent(
        user=None,
        amount=Decimal("10"),
        currency="eur",
        intent_params={"customer": customer, "payment_method": card, "confirm": True},
    )
    Transaction.objects.filter(pk=started.transaction.pk).update(status="succeeded")
    with pytest.raises(services.PaymentError, match=r"at most €10\.00\."):
        services.PaymentService().refund(started.transaction, Decimal("10.01"))


def test_refunds_carry_an_idempotency_key_that_changes_with_what_was_refunded(
    stripe_api: Any,
) -> None:
    started = _checkout()
    stripe_api.pay(started.session.id)
    transaction = started.transaction
    Transaction.objects.filter(pk=transaction.pk).update(
        status="succeeded",
        stripe_payment_intent_id=stripe_api.sessions[started.session.id]["payment_intent"],
    )
    keys = []
    for _ in range(2):
        services.PaymentService().refund(transaction, Decimal("2"))
        keys.append(stripe_api.mock.calls[-1].request.headers["Idempotency-Key"])
    assert keys[0] == keys[1]  # a double submit before the event: Stripe refunds once
    Transaction.objects.filter(pk=transaction.pk).update(
        status="partially_refunded", amount_refunded=Decimal("2")
    )
    services.PaymentService().refund(transaction, Decimal("2"))
    assert stripe_api.mock.calls[-1].request.headers["Idempotency-Key"] != keys[0]


def test_a_user_reads_only_their_own_transactions(django_user_model: Any) -> None:
    ada = django_user_model.objects.create_user("ada")
    bob = django_user_model.objects.create_user("bob")
    mine = Transaction.objects.create(user=ada, amount=Decimal("3"), currency="eur")
    assert services.get_transaction(mine.pk, user=ada) == mine
    with pytest.raises(Transaction.DoesNotExist):
        services.get_transaction(mine.pk, user=bob)
    from django.contrib.auth.models import AnonymousUser

    assert list(services.transactions_for(AnonymousUser())) == []
    assert list(services.transactions_for(ada)) == [mine]


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("12.50"), "eur", 1250),
        (Decimal("500"), "jpy", 500),
        (Decimal("1.234"), "bhd", 1234),
    ],
)
def test_amounts_convert_to_and_from_stripe_minor_units(
    amount: Decimal, currency: str, minor: int
) -> None:
    assert money.to_minor(amount, currency) == minor
    assert money.from_minor(minor, currency) == amount
