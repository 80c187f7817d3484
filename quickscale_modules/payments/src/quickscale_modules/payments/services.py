"""The payments module's public surface: start a payment, refund it, read it, listen to it.

Everything else in the package is internal. Stripe is used as Stripe: the Checkout
Session and PaymentIntent parameters you pass through (``session_params``,
``intent_params``) reach Stripe untouched, and the Stripe objects come back to you.

A payment's state changes only when Stripe says so, through the verified webhook
(``views.webhook``): starting a payment records it as pending, and a refund request
changes nothing until Stripe's ``charge.refunded`` event arrives. Listen to
``payment_event`` to react (billing does).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings
from django.db import models
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext as _
from quickscale_modules.payments.models import ProviderWebhookEvent, Transaction

from quickscale_modules.payments import money

#: Amounts in Stripe's minor units and back (12.50 EUR <-> 1250), for other modules.
to_minor = money.to_minor
from_minor = money.from_minor
#: An amount as the reader's language writes it ($1,234.50; 1.234,50 US$), for other modules.
format_price = money.format_price

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

__all__ = [
    "METADATA_KEY",
    "REFUND_PERMISSION",
    "CheckoutStarted",
    "PaymentError",
    "PaymentIntentStarted",
    "PaymentService",
    "ProviderWebhookEvent",
    "Transaction",
    "format_price",
    "from_minor",
    "get_transaction",
    "may_refund",
    "payment_event",
    "return_urls",
    "to_minor",
    "transaction_for_checkout_session",
    "transactions_for",
]

#: Sent once per Stripe event, after it was verified, stored, synced into dj-stripe's
#: tables and applied to its Transaction, inside the same database transaction:
#: ``sender=ProviderWebhookEvent, event=<ProviderWebhookEvent>, transaction=<Transaction
#: or None>``. A receiver that raises marks the event failed and undoes its work, and
#: Stripe's redelivery runs it again; use ``transaction.on_commit`` for side effects
#: outside the database (emails, other APIs).
payment_event = Signal()

#: The metadata key that ties Stripe objects to our Transaction (its primary key).
METADATA_KEY = "quickscale_transaction"


class PaymentError(Exception):
    """A payment or refund that cannot be made; the message says why, for the user."""


@dataclass(frozen=True)
class CheckoutStarted:
    """A pending transaction and the Stripe Checkout page to send the customer to."""

    transaction: Transaction
    url: str
    session: stripe.checkout.Session


@dataclass(frozen=True)
class PaymentIntentStarted:
    """A pending transaction and its PaymentIntent (``client_secret`` for Stripe.js)."""

    transaction: Transaction
    payment_intent: stripe.PaymentIntent

    @property
    def client_secret(self) -> str:
        return str(self.payment_intent.client_secret)


def _default_client() -> stripe.StripeClient:
    """A client on the project's secret key; ``stripe.api_base`` is where dj-stripe's
    STRIPE_API_HOST points it (a local fake in development, Stripe otherwise)."""
    key = getattr(settings, "STRIPE_SECRET_KEY", "")
    if not key:
        raise PaymentError(_("Payments are not configured: STRIPE_SECRET_KEY is not set."))
    return stripe.StripeClient(
        key,
        base_addresses={"api": stripe.api_base},
        # Safe: stripe-python sends one idempotency key with every retry of a write.
        max_network_retries=2,
    )


class PaymentService:
    """Starts and refunds payments on Stripe.

    ``client`` exists for tests (a ``stripe.StripeClient`` pointed elsewhere); the
    application constructs ``PaymentService()`` and gets one on the project's key.
    """

    def __init__(self, client: stripe.StripeClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> stripe.StripeClient:
        if self._client is None:
            self._client = _default_client()
        return self._client

    def start_checkout(
        self,
        *,
        user: AbstractBaseUser | None,
        amount: Decimal,
        currency: str,
        description: str,
        success_url: str,
        cancel_url: str,
        session_params: dict[str, Any] | None = None,
    ) -> CheckoutStarted:
        """A one-off payment on a Stripe-hosted Checkout page.

        ``success_url`` should contain ``{CHECKOUT_SESSION_ID}`` (Stripe replaces it);
        ``return_urls(request)`` gives the module's own return pages.
        ``session_params`` are merged into Stripe's Checkout Session parameters
        (e.g. ``customer_email``, ``locale``, ``payment_method_types``).
        """
        transaction = _new_transaction(user, amount, currency, description)
        minor = money.to_minor(transaction.amount, transaction.currency)
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": transaction.currency,
                        "unit_amount": minor,
                        "product_data": {"name": description},
                    },
                }
            ],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": str(transaction.pk),
            "metadata": {METADATA_KEY: str(transaction.pk)},
            "payment_intent_data": {"metadata": {METADATA_KEY: str(transaction.pk)}},
        }
        params.update(session_params or {})
        try:
            session = self.client.v1.checkout.sessions.create(params)  # type: ignore[arg-type]
        except stripe.StripeError as error:
            transaction.delete()  # nothing was created at Stripe: nothing to record
            raise PaymentError(_user_message(error)) from error
        transaction.stripe_checkout_session_id = session.id
        transaction.livemode = bool(session.livemode)
        transaction.save(update_fields=["stripe_checkout_session_id", "livemode", "updated"])
        return CheckoutStarted(transaction, str(session.url), session)

    def start_payment_intent(
        self,
        *,
        user: AbstractBaseUser | None,
        amount: Decimal,
        currency: str,
        description: str = "",
        intent_params: dict[str, Any] | None = None,
    ) -> PaymentIntentStarted:
        """A one-off payment on a PaymentIntent, for a page with Stripe's Payment Element
        (give it ``client_secret``) or a server-side confirmation (``intent_params``
        with ``customer``, ``payment_method`` and ``confirm``)."""
        transaction = _new_transaction(user, amount, currency, description)
        params: dict[str, Any] = {
            "amount": money.to_minor(transaction.amount, transaction.currency),
            "currency": transaction.currency,
            "metadata": {METADATA_KEY: str(transaction.pk)},
        }
        params.update(intent_params or {})
        try:
            intent = self.client.v1.payment_intents.create(params)  # type: ignore[arg-type]
        except stripe.StripeError as error:
            transaction.delete()
            raise PaymentError(_user_message(error)) from error
        transaction.stripe_payment_intent_id = intent.id
        transaction.livemode = bool(intent.livemode)
        transaction.save(update_fields=["stripe_payment_intent_id", "livemode", "updated"])
        return PaymentIntentStarted(transaction, intent)

    def refund(
        self,
        transaction: Transaction,
        amount: Decimal | None = None,
        *,
        reason: str | None = None,
    ) -> stripe.Refund:
        """Ask Stripe to refund ``amount`` (None: all that is left) of a paid transaction.

        The transaction changes when Stripe's ``charge.refunded`` event arrives. The
        idempotency key includes what was refunded so far, so a form submitted twice
        before that event refunds once, and a later refund of the same amount is new.
        """
        transaction.refresh_from_db()
        refundable = transaction.refundable_amount
        if refundable <= 0:
            raise PaymentError(_("This payment has nothing left to refund."))
        wanted = refundable if amount is None else Decimal(amount)
        if wanted <= 0 or wanted > refundable:
            raise PaymentError(
                _("A refund must be more than 0 and at most %(amount)s.")
                % {"amount": money.format_price(refundable, transaction.currency)}
            )
        params: dict[str, Any] = {
            "amount": money.to_minor(wanted, transaction.currency),
            "metadata": {METADATA_KEY: str(transaction.pk)},
        }
        if transaction.stripe_payment_intent_id:
            params["payment_intent"] = transaction.stripe_payment_intent_id
        elif transaction.stripe_charge_id:
            params["charge"] = transaction.stripe_charge_id
        else:
            raise PaymentError(_("Stripe has not told us which payment to refund yet."))
        if reason:
            params["reason"] = reason
        done = money.to_minor(transaction.amount_refunded, transaction.currency)
        paid_with = params.get("payment_intent") or params["charge"]
        key = f"quickscale-refund-{paid_with}-{done}-{params['amount']}"
        try:
            return self.client.v1.refunds.create(params, {"idempotency_key": key})  # type: ignore[arg-type]
        except stripe.StripeError as error:
            raise PaymentError(_user_message(error)) from error


def _new_transaction(
    user: AbstractBaseUser | None, amount: Decimal, currency: str, description: str
) -> Transaction:
    code = currency.strip().lower()
    if len(code) != 3 or not code.isalpha():
        raise PaymentError(
            _("%(currency)s is not a currency code (e.g. eur).") % {"currency": repr(currency)}
        )
    value = Decimal(amount)
    if value <= 0:
        raise PaymentError(_("The amount must be more than 0."))
    try:
        money.to_minor(value, code)
    except ValueError:
        raise PaymentError(
            _("%(amount)s has more decimal places than %(currency)s allows (%(places)s).")
            % {"amount": value, "currency": code.upper(), "places": money.exponent(code)}
        ) from None
    return Transaction.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        amount=value,
        currency=code,
        description=description[:255],
    )


def _user_message(error: stripe.StripeError) -> str:
    return error.user_message or _("Stripe could not process the request; try again later.")


def transactions_for(user: AbstractBaseUser | AnonymousUser) -> models.QuerySet[Transaction]:
    """The user's transactions, newest first (none for an anonymous user)."""
    if not user.is_authenticated:
        return Transaction.objects.none()
    return Transaction.objects.filter(user=user)


def get_transaction(pk: int, *, user: AbstractBaseUser | AnonymousUser) -> Transaction:
    """The user's transaction ``pk``; Transaction.DoesNotExist for anybody else's."""
    return transactions_for(user).get(pk=pk)


#: The permission a staff account needs to refund a payment ("Can refund payments").
REFUND_PERMISSION = "quickscale_payments.refund_transaction"


def may_refund(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` may ask Stripe for a refund: an active staff account holding
    REFUND_PERMISSION (a superuser holds every permission). Never a customer, for their
    own payment neither: a refund is the shop's money going back. ``PaymentService.refund``
    itself checks nothing, so a view that refunds on a user's request asks this first."""
    return bool(
        user.is_authenticated
        and user.is_active
        and getattr(user, "is_staff", False)
        and user.has_perm(REFUND_PERMISSION)
    )


def transaction_for_checkout_session(
    session_id: str, *, user: AbstractBaseUser | AnonymousUser
) -> Transaction:
    """The transaction a Checkout Session paid, for its owner.

    A guest's payment (no user) is shown to whoever holds the session id, which only
    Stripe's redirect gives out; a user's payment only to that user.
    """
    if not session_id:
        raise Transaction.DoesNotExist("no Checkout Session id")
    transaction = Transaction.objects.get(stripe_checkout_session_id=session_id)
    if transaction.user_id is not None and transaction.user_id != getattr(user, "pk", None):
        raise Transaction.DoesNotExist(session_id)
    return transaction


def return_urls(request: HttpRequest) -> tuple[str, str]:
    """Absolute success and cancel URLs of the module's own return pages."""
    success = request.build_absolute_uri(reverse("quickscale_payments:success"))
    cancel = request.build_absolute_uri(reverse("quickscale_payments:cancel"))
    return f"{success}?session_id={{CHECKOUT_SESSION_ID}}", cancel
