"""The plans as Stripe Products and Prices, created or updated idempotently.

Each paid plan is one Product (id ``qs_plan_<key>``, so it is found again without a
search) and one active recurring Price found by its lookup key
(``quickscale_billing_<key>``). Stripe's Prices are immutable: a changed amount,
currency or interval creates a new Price, which takes over the lookup key, and the old
one is archived (``active=false``); existing subscribers stay on it until they change
plan. Run twice, the second run changes nothing at Stripe.
"""

from __future__ import annotations

from typing import Any

import stripe
from quickscale_modules.billing.models import Plan
from quickscale_modules.billing.plans import to_minor
from quickscale_modules.billing.services import PLAN_METADATA_KEY


def product_id(plan: Plan) -> str:
    return f"qs_plan_{plan.key}"


def lookup_key(plan: Plan) -> str:
    return f"quickscale_billing_{plan.key}"


def _matches(price: Any, plan: Plan, amount: int) -> bool:
    recurring = price.get("recurring") or {}
    return (
        price.get("unit_amount") == amount
        and str(price.get("currency", "")).lower() == plan.currency
        and recurring.get("interval") == plan.interval
        and price.get("product") in (product_id(plan), {"id": product_id(plan)})
    )


def sync(client: stripe.StripeClient) -> list[str]:
    """Create or update Stripe's side of every active paid plan; what was done, in words."""
    done: list[str] = []
    for plan in Plan.objects.filter(active=True):
        if plan.is_free:
            continue
        done += _sync_product(client, plan)
        done += _sync_price(client, plan)
    return done


def _sync_product(client: stripe.StripeClient, plan: Plan) -> list[str]:
    wanted = {"name": plan.name, "metadata": {PLAN_METADATA_KEY: plan.key}}
    try:
        product = client.v1.products.retrieve(product_id(plan))
    except stripe.InvalidRequestError as error:
        if error.http_status != 404:
            raise
        client.v1.products.create({"id": product_id(plan), **wanted})  # type: ignore[arg-type]
        done = [f"created product {product_id(plan)}"]
    else:
        if product.get("name") == plan.name and product.get("active", True):
            done = []
        else:
            client.v1.products.update(product_id(plan), {**wanted, "active": True})  # type: ignore[arg-type]
            done = [f"updated product {product_id(plan)}"]
    if plan.stripe_product_id != product_id(plan):
        plan.stripe_product_id = product_id(plan)
        plan.save(update_fields=["stripe_product_id"])
    return done


def _sync_price(client: stripe.StripeClient, plan: Plan) -> list[str]:
    amount = to_minor(plan.amount, plan.currency)
    found = client.v1.prices.list({"lookup_keys": [lookup_key(plan)], "active": True, "limit": 1})
    current = found.data[0] if found.data else None
    done: list[str] = []
    if current is not None and _matches(current, plan, amount):
        price_id = str(current.id)
    else:
        price = client.v1.prices.create(
            {  # type: ignore[arg-type]
                "product": product_id(plan),
                "currency": plan.currency,
                "unit_amount": amount,
                "recurring": {"interval": plan.interval},
                "lookup_key": lookup_key(plan),
                "transfer_lookup_key": True,
                "metadata": {PLAN_METADATA_KEY: plan.key},
            }
        )
        price_id = str(price.id)
        done.append(f"created price {price_id} for {plan.key}")
        if current is not None:
            client.v1.prices.update(str(current.id), {"active": False})
            done.append(f"archived price {current.id}")
    if plan.stripe_price_id != price_id:
        plan.stripe_price_id = price_id
        plan.save(update_fields=["stripe_price_id"])
    return done
