"""Subscriptions kept up to date from Stripe's events, as payments' webhook delivers them.

Billing has no webhook endpoint: payments verifies each event, stores it once, syncs
dj-stripe's tables and sends ``payment_event`` inside its database transaction; this
module listens. A receiver that raises makes payments mark the event failed and
Stripe retry it. Events may arrive late or out of order: an event older than the last
one applied to a Subscription changes nothing.

- ``checkout.session.completed`` (subscription mode) links the Stripe subscription
  and customer to the user named in the session's metadata;
- ``customer.subscription.created|updated|deleted`` set status, plan (from the Price),
  period end, trial end and cancel-at-period-end: checkout → trialing → active,
  payment failed → past_due → canceled, upgrades and downgrades, cancellations.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from quickscale_modules.billing.models import Plan, Subscription
from quickscale_modules.billing.services import PLAN_METADATA_KEY, USER_METADATA_KEY
from quickscale_modules.payments.services import payment_event

logger = logging.getLogger(__name__)


def connect() -> None:
    payment_event.connect(on_payment_event, dispatch_uid="quickscale_billing.lifecycle")


def on_payment_event(sender: Any, event: Any, **kwargs: Any) -> None:
    data: dict[str, Any] = event.payload or {}
    event_type = str(data.get("type", ""))
    obj = (data.get("data") or {}).get("object") or {}
    if event_type == "checkout.session.completed" and obj.get("mode") == "subscription":
        _link_checkout(obj)
    elif event_type.startswith("customer.subscription."):
        apply_subscription(obj, int(data.get("created") or 0))


def _id(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _user_pk(metadata: Any) -> int | None:
    value = str((metadata or {}).get(USER_METADATA_KEY) or "") if isinstance(metadata, dict) else ""
    return int(value) if value.isdigit() else None


def _link_checkout(session: dict[str, Any]) -> None:
    pk = _user_pk(session.get("metadata"))
    if pk is None:
        return
    subscription = Subscription.objects.select_for_update().filter(user_id=pk).first()
    if subscription is None:
        return
    subscription.stripe_customer_id = (
        _id(session.get("customer")) or subscription.stripe_customer_id
    )
    subscription.stripe_subscription_id = (
        _id(session.get("subscription")) or subscription.stripe_subscription_id
    )
    subscription.save()


def _find(obj: dict[str, Any]) -> Subscription | None:
    rows = Subscription.objects.select_for_update()
    found = rows.filter(stripe_subscription_id=_id(obj.get("id"))).first()
    if found is None and _user_pk(obj.get("metadata")) is not None:
        found = rows.filter(user_id=_user_pk(obj.get("metadata"))).first()
    if found is None and _id(obj.get("customer")):
        found = rows.filter(stripe_customer_id=_id(obj.get("customer"))).first()
    return found


def _time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC) if value else None


def _plan(item: dict[str, Any]) -> Plan | None:
    price = item.get("price") or item.get("plan") or {}
    if not isinstance(price, dict):
        return Plan.objects.filter(stripe_price_id=str(price)).first()
    found = Plan.objects.filter(stripe_price_id=_id(price)).first()
    key = str((price.get("metadata") or {}).get(PLAN_METADATA_KEY) or "")
    return found or (Plan.objects.filter(key=key).first() if key else None)


def apply_subscription(obj: dict[str, Any], created: int) -> Subscription | None:
    """Bring our Subscription up to Stripe's subscription object ``obj``."""
    subscription = _find(obj)
    if subscription is None:
        logger.info("Stripe subscription %s belongs to no user here", obj.get("id"))
        return None
    if created < subscription.stripe_event_created:
        return subscription  # an older event arriving late: what we have is newer
    items = ((obj.get("items") or {}).get("data")) or [{}]
    item = items[0]
    plan = _plan(item)
    if plan is not None:
        subscription.plan = plan
    subscription.status = str(obj.get("status") or subscription.status)
    subscription.stripe_subscription_id = _id(obj.get("id"))
    subscription.stripe_customer_id = _id(obj.get("customer")) or subscription.stripe_customer_id
    subscription.stripe_item_id = _id(item.get("id")) or subscription.stripe_item_id
    # Newer API versions keep the period on the item, older ones on the subscription.
    period_end = item.get("current_period_end") or obj.get("current_period_end")
    subscription.current_period_end = _time(period_end)
    subscription.trial_end = _time(obj.get("trial_end")) or subscription.trial_end
    subscription.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
    subscription.stripe_event_created = created
    subscription.save()
    return subscription
