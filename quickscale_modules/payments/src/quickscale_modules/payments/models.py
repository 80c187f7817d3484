"""What the module records: one row per payment, one row per Stripe event received.

Stripe's own objects (sessions, payment intents, charges, refunds) live in dj-stripe's
tables, kept in sync by the webhook; these two models are the project's view of them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quickscale_modules.payments import money


class Transaction(models.Model):
    """One one-off payment, from the moment it is started until it is (partly) refunded.

    The status only moves forward (see ``Status.rank``), so events that arrive out of
    order, or twice, end in the same state.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        FAILED = "failed", _("Payment failed")
        CANCELED = "canceled", _("Canceled")
        SUCCEEDED = "succeeded", _("Paid")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # a payment record outlives the account
        null=True,
        blank=True,
        related_name="payment_transactions",
        verbose_name=_("user"),
    )
    # The main unit (12.50 EUR); three places fit every currency Stripe supports.
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=3)
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO 4217, lower case, e.g. eur")
    )
    amount_refunded = models.DecimalField(
        _("amount refunded"), max_digits=15, decimal_places=3, default=Decimal(0)
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    stripe_checkout_session_id = models.CharField(
        _("Stripe Checkout session"), max_length=255, blank=True, db_index=True
    )
    stripe_payment_intent_id = models.CharField(
        _("Stripe payment intent"), max_length=255, blank=True, db_index=True
    )
    stripe_charge_id = models.CharField(
        _("Stripe charge"), max_length=255, blank=True, db_index=True
    )
    livemode = models.BooleanField(_("live mode"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created", "-pk"]
        # Refunds are staff work: only a staff account holding this may issue one
        # (services.may_refund); a customer never refunds a payment, their own included.
        permissions = [("refund_transaction", _("Can refund payments"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="qs_payments_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__gte=0)
                & models.Q(amount_refunded__lte=models.F("amount")),
                name="qs_payments_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_amount} {self.currency.upper()} ({self.get_status_display()})"

    @property
    def display_amount(self) -> Decimal:
        """The amount with the currency's own number of decimal places."""
        return self.amount.quantize(Decimal(1).scaleb(-money.exponent(self.currency)))

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_paid(self) -> bool:
        """Money was received (whether or not some of it went back since)."""
        return self.status in PAID_STATUSES

    @property
    def refundable_amount(self) -> Decimal:
        return self.amount - self.amount_refunded if self.is_paid else Decimal(0)


PAID_STATUSES = frozenset(
    {
        Transaction.Status.SUCCEEDED,
        Transaction.Status.PARTIALLY_REFUNDED,
        Transaction.Status.REFUNDED,
    }
)

#: A status may only be replaced by one of higher rank: the result of a set of events
#: does not depend on the order Stripe delivers them in.
STATUS_RANK = {
    Transaction.Status.PENDING: 0,
    Transaction.Status.FAILED: 1,
    Transaction.Status.CANCELED: 1,
    Transaction.Status.SUCCEEDED: 2,
    Transaction.Status.PARTIALLY_REFUNDED: 3,
    Transaction.Status.REFUNDED: 4,
}


class ProviderWebhookEvent(models.Model):
    """A verified Stripe event, stored before it is processed; one row per event id."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        FAILED = "failed", _("Failed")

    stripe_event_id = models.CharField(_("Stripe event"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=255, db_index=True)
    livemode = models.BooleanField(_("live mode"), default=False)
    api_version = models.CharField(_("API version"), max_length=64, blank=True)
    payload = models.JSONField(
        _("payload"), help_text=_("The event as Stripe sent it (last delivery).")
    )
    transaction = models.ForeignKey(
        Transaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("payment"),
    )
    received_at = models.DateTimeField(
        _("received"), auto_now_add=True, help_text=_("First delivery.")
    )
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=Outcome.choices,
        default=Outcome.RECEIVED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(
        _("attempts"), default=0, help_text=_("Deliveries processed.")
    )
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.stripe_event_id} {self.type} ({self.outcome})"
