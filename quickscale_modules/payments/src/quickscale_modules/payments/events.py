"""Processing of verified Stripe events (internal; the webhook view calls ``receive``).

Each event is stored once (``ProviderWebhookEvent``, unique on Stripe's event id),
then, under a row lock so concurrent deliveries queue up, processed in one savepoint:

1. dj-stripe's own processing (``djstripe.models.Event.process``), which re-reads the
   object from Stripe and keeps dj-stripe's tables in sync;
2. the event applied to its Transaction, whose status only moves up in rank, so
   duplicates and out-of-order deliveries converge on the same state;
3. ``services.payment_event`` sent to listeners.

If any step raises, the savepoint undoes all three, the event is marked failed with
the error, and the view answers 500 so that Stripe delivers it again. An event already
processed is acknowledged and not processed again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction as db
from django.utils import timezone
from quickscale_modules.payments.models import (
    STATUS_RANK,
    ProviderWebhookEvent,
    Transaction,
)

from quickscale_modules.payments import money

logger = logging.getLogger(__name__)

Status = Transaction.Status

# Event type -> the status the event proves (checkout.session.completed: see apply).
_EVENT_STATUS = {
    "checkout.session.async_payment_succeeded": Status.SUCCEEDED,
    "checkout.session.async_payment_failed": Status.FAILED,
    "checkout.session.expired": Status.CANCELED,
    "payment_intent.succeeded": Status.SUCCEEDED,
    "payment_intent.payment_failed": Status.FAILED,
    "payment_intent.canceled": Status.CANCELED,
    "charge.succeeded": Status.SUCCEEDED,
    "charge.failed": Status.FAILED,
}


@dataclass(frozen=True)
class Receipt:
    """What became of one delivery."""

    event: ProviderWebhookEvent
    duplicate: bool  # already processed before: acknowledged, nothing done

    @property
    def failed(self) -> bool:
        return self.event.outcome == ProviderWebhookEvent.Outcome.FAILED


def receive(data: dict[str, Any]) -> Receipt:
    """Store and process one verified event (``data`` is its parsed JSON body)."""
    store(data)
    return process(data["id"], data)


def store(data: dict[str, Any]) -> ProviderWebhookEvent:
    """Record a verified event once (a redelivery finds the first record)."""
    record, _ = ProviderWebhookEvent.objects.get_or_create(
        stripe_event_id=data["id"],
        defaults={
            "type": str(data.get("type", "")),
            "livemode": bool(data.get("livemode")),
            "api_version": str(data.get("api_version") or ""),
            "payload": data,
        },
    )
    return record


def process(stripe_event_id: str, data: dict[str, Any] | None = None) -> Receipt:
    """Process a stored event unless it already was; ``data``: a newer delivery's body.

    Safe to call any number of times, from the webhook or from a task: the row lock
    queues concurrent calls, and a processed event is acknowledged and left alone.
    """
    with db.atomic():
        record = ProviderWebhookEvent.objects.select_for_update().get(
            stripe_event_id=stripe_event_id
        )
        if record.outcome == ProviderWebhookEvent.Outcome.PROCESSED:
            return Receipt(record, duplicate=True)
        record.attempts += 1
        if data is not None:
            record.payload = data
        try:
            with db.atomic():
                _process(record, record.payload)
        except Exception as error:  # any failure: keep the record, let Stripe retry
            logger.exception("Stripe event %s (%s) failed", record.stripe_event_id, record.type)
            record.outcome = ProviderWebhookEvent.Outcome.FAILED
            record.processed_at = None
            record.last_error = f"{type(error).__name__}: {error}"[:2000]
            record.save()
    return Receipt(record, duplicate=False)


def _process(record: ProviderWebhookEvent, data: dict[str, Any]) -> None:
    from djstripe.models import Event as DjstripeEvent
    from djstripe.settings import djstripe_settings
    from quickscale_modules.payments.services import payment_event

    livemode = data.get("livemode")
    DjstripeEvent.process(data, api_key=djstripe_settings.get_default_api_key(livemode))
    record.transaction = apply(data)
    record.outcome = ProviderWebhookEvent.Outcome.PROCESSED
    record.processed_at = timezone.now()
    record.last_error = ""
    record.save()
    payment_event.send(sender=ProviderWebhookEvent, event=record, transaction=record.transaction)


def apply(data: dict[str, Any]) -> Transaction | None:
    """Bring the event's Transaction (if it is one of ours) up to what the event proves."""
    obj = (data.get("data") or {}).get("object") or {}
    kind = obj.get("object")
    transaction = _find_transaction(kind, obj)
    if transaction is None:
        return None
    transaction = Transaction.objects.select_for_update().get(pk=transaction.pk)
    event_type = str(data.get("type", ""))
    candidate = _EVENT_STATUS.get(event_type)
    if kind == "checkout.session":
        _link(transaction, "stripe_checkout_session_id", obj.get("id"))
        _link(transaction, "stripe_payment_intent_id", _id(obj.get("payment_intent")))
        if event_type == "checkout.session.completed" and obj.get("payment_status") in (
            "paid",
            "no_payment_required",
        ):
            candidate = Status.SUCCEEDED
    elif kind == "payment_intent":
        _link(transaction, "stripe_payment_intent_id", obj.get("id"))
        _link(transaction, "stripe_charge_id", _id(obj.get("latest_charge")))
    elif kind == "charge":
        _link(transaction, "stripe_charge_id", obj.get("id"))
        _link(transaction, "stripe_payment_intent_id", _id(obj.get("payment_intent")))
        if obj.get("status") != "succeeded" and candidate == Status.SUCCEEDED:
            candidate = None
        refunded = money.from_minor(int(obj.get("amount_refunded") or 0), transaction.currency)
        transaction.amount_refunded = min(
            max(refunded, transaction.amount_refunded), transaction.amount
        )
    # A refund proves the payment went through: refunded outranks every other status.
    candidates = [Status(transaction.status)]
    if candidate is not None:
        candidates.append(candidate)
    if transaction.amount_refunded > 0:
        candidates.append(_refund_status(transaction.amount_refunded, transaction.amount))
    transaction.status = max(candidates, key=STATUS_RANK.__getitem__)
    transaction.livemode = bool(obj.get("livemode", transaction.livemode))
    transaction.save()
    return transaction


def _refund_status(refunded: Decimal, amount: Decimal) -> Status:
    return Status.REFUNDED if refunded >= amount else Status.PARTIALLY_REFUNDED


def _id(value: Any) -> str:
    """A Stripe reference may be an id or an expanded object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _link(transaction: Transaction, field: str, value: Any) -> None:
    if value and not getattr(transaction, field):
        setattr(transaction, field, str(value))


def _find_transaction(kind: str | None, obj: dict[str, Any]) -> Transaction | None:
    """Our Transaction for a Stripe object: by the ids we know, else by the metadata we
    put on it (a charge may arrive before the event that told us its PaymentIntent)."""
    if kind not in ("checkout.session", "payment_intent", "charge"):
        return None
    from quickscale_modules.payments.services import METADATA_KEY

    candidates = Transaction.objects.all()
    lookups: list[dict[str, str]] = []
    if kind == "checkout.session":
        lookups.append({"stripe_checkout_session_id": str(obj.get("id") or "")})
    if kind == "payment_intent":
        lookups.append({"stripe_payment_intent_id": str(obj.get("id") or "")})
    if kind == "charge":
        lookups.append({"stripe_charge_id": str(obj.get("id") or "")})
        lookups.append({"stripe_payment_intent_id": _id(obj.get("payment_intent"))})
    for lookup in lookups:
        if all(lookup.values()):
            found = candidates.filter(**lookup).first()
            if found is not None:
                return found
    pk = _metadata_pk(obj.get("metadata"), METADATA_KEY)
    if pk is None and kind == "checkout.session":
        reference = str(obj.get("client_reference_id") or "")
        pk = int(reference) if reference.isdigit() else None
    if pk is None and kind == "charge" and _id(obj.get("payment_intent")):
        pk = _metadata_pk(_payment_intent_metadata(_id(obj.get("payment_intent"))), METADATA_KEY)
    return candidates.filter(pk=pk).first() if pk is not None else None


def _metadata_pk(metadata: Any, key: str) -> int | None:
    value = str((metadata or {}).get(key) or "") if isinstance(metadata, dict) else ""
    return int(value) if value.isdigit() else None


def _payment_intent_metadata(payment_intent_id: str) -> dict[str, Any]:
    """The PaymentIntent's metadata as dj-stripe has just synced it (processing a charge
    syncs the PaymentIntent it belongs to)."""
    from djstripe.models import PaymentIntent

    intent = PaymentIntent.objects.filter(id=payment_intent_id).first()
    if intent is None:
        return {}
    metadata = intent.stripe_data.get("metadata") if intent.stripe_data else None
    return metadata if isinstance(metadata, dict) else {}
