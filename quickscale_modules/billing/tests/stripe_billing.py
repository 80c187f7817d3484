"""Stripe Billing's side for this suite: what localstripe lacks, answered at the HTTP
boundary with ``responses`` in front of it, from Stripe's API reference (each builder
names its section). Customers (and anything not stubbed) go through to localstripe.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses
from quickscale_modules.payments.testing import account, new_id, parse_form

DAY = 86400


def _error(status: int, code: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"type": "invalid_request_error", "code": code, "message": code}}


def _metadata(params: dict[str, str], prefix: str = "metadata") -> dict[str, str]:
    found = {}
    for key, value in params.items():
        match = re.fullmatch(rf"{re.escape(prefix)}\[([^]]+)\]", key)
        if match:
            found[match.group(1)] = value
    return found


def product(params: dict[str, str]) -> dict[str, Any]:
    """ "Products > Create a product" / "The Product object"
    (https://docs.stripe.com/api/products/object)."""
    return {
        "id": params["id"],
        "object": "product",
        "active": True,
        "created": int(time.time()),
        "default_price": None,
        "description": None,
        "images": [],
        "livemode": False,
        "metadata": _metadata(params),
        "name": params["name"],
        "type": "service",
        "updated": int(time.time()),
        "url": None,
    }


def price(params: dict[str, str]) -> dict[str, Any]:
    """ "Prices > Create a price" / "The Price object"
    (https://docs.stripe.com/api/prices/object): recurring, per unit."""
    return {
        "id": new_id("price"),
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": int(time.time()),
        "currency": params["currency"],
        "livemode": False,
        "lookup_key": params.get("lookup_key"),
        "metadata": _metadata(params),
        "nickname": None,
        "product": params["product"],
        "recurring": {
            "interval": params["recurring[interval]"],
            "interval_count": 1,
            "usage_type": "licensed",
            "meter": None,
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": int(params["unit_amount"]),
        "unit_amount_decimal": params["unit_amount"],
    }


def checkout_session(params: dict[str, str]) -> dict[str, Any]:
    """ "Checkout > Sessions > Create a Checkout Session" in subscription mode
    (https://docs.stripe.com/api/checkout/sessions/create, mode=subscription)."""
    session_id = new_id("cs")
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": None,
        "amount_total": None,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": None,
        "created": int(time.time()),
        "currency": None,
        "customer": params.get("customer"),
        "expires_at": int(time.time()) + DAY,
        "invoice": None,
        "livemode": False,
        "metadata": _metadata(params),
        "mode": "subscription",
        "payment_intent": None,
        "payment_status": "unpaid",
        "status": "open",
        "subscription": None,
        "success_url": params.get("success_url"),
        "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        "_params": params,
    }


def subscription(
    customer: str, price_obj: dict[str, Any], metadata: dict[str, str], trial_days: int
) -> dict[str, Any]:
    """ "Subscriptions > The Subscription object"
    (https://docs.stripe.com/api/subscriptions/object), as Checkout creates it;
    the billing period is on the item (API versions from 2025-03-31)."""
    now = int(time.time())
    trial_end = now + trial_days * DAY if trial_days else None
    period_end = (
        trial_end or now + (365 if price_obj["recurring"]["interval"] == "year" else 30) * DAY
    )
    sub_id = new_id("sub")
    return {
        "id": sub_id,
        "object": "subscription",
        "billing_cycle_anchor": period_end,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "collection_method": "charge_automatically",
        "created": now,
        "currency": price_obj["currency"],
        "customer": customer,
        "default_payment_method": None,
        "description": None,
        "discount": None,
        "discounts": [],
        "ended_at": None,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": new_id("si"),
                    "object": "subscription_item",
                    "created": now,
                    "current_period_end": period_end,
                    "current_period_start": now,
                    "metadata": {},
                    "price": price_obj,
                    "quantity": 1,
                    "subscription": sub_id,
                    "tax_rates": [],
                }
            ],
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": metadata,
        "pending_update": None,
        "schedule": None,
        "start_date": now,
        "status": "trialing" if trial_days else "active",
        "trial_end": trial_end,
        "trial_start": now if trial_days else None,
    }


def portal_session(params: dict[str, str]) -> dict[str, Any]:
    """ "Customer Portal > Sessions > Create a portal session"
    (https://docs.stripe.com/api/customer_portal/sessions/create)."""
    session_id = new_id("bps")
    return {
        "id": session_id,
        "object": "billing_portal.session",
        "created": int(time.time()),
        "customer": params["customer"],
        "livemode": False,
        "return_url": params.get("return_url"),
        "url": f"https://billing.stripe.com/p/session/{session_id}",
    }


class StripeBilling:
    """Products, Prices, Checkout Sessions, Subscriptions and portal sessions, served
    at ``api_base`` through ``responses``; every other request reaches localstripe."""

    def __init__(self, mock: responses.RequestsMock, api_base: str) -> None:
        self.base = api_base
        self.products: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.writes: list[tuple[str, str, dict[str, str]]] = []
        base = re.escape(api_base)
        routes: list[tuple[str, str, Any]] = [
            ("GET", rf"{base}/v1/account", lambda r, m, p: (200, account())),
            ("GET", rf"{base}/v1/products/([\w-]+)", self._get(self.products)),
            ("POST", rf"{base}/v1/products", self._create_product),
            ("POST", rf"{base}/v1/products/([\w-]+)", self._update(self.products)),
            ("GET", rf"{base}/v1/prices", self._list_prices),
            ("GET", rf"{base}/v1/prices/(\w+)", self._get(self.prices)),
            ("POST", rf"{base}/v1/prices", self._create_price),
            ("POST", rf"{base}/v1/prices/(\w+)", self._update(self.prices)),
            ("POST", rf"{base}/v1/checkout/sessions", self._create_session),
            ("GET", rf"{base}/v1/checkout/sessions/(\w+)", self._get(self.sessions)),
            ("GET", rf"{base}/v1/subscriptions/(\w+)", self._get(self.subscriptions)),
            ("POST", rf"{base}/v1/subscriptions/(\w+)", self._update_subscription),
            ("POST", rf"{base}/v1/billing_portal/sessions", self._portal),
        ]
        for method, pattern, handler in routes:
            if method == "GET":  # stripe-python may add ?expand[]=...
                pattern += r"(?:\?.*)?"
            mock.add_callback(
                method, re.compile(pattern + "$"), callback=self._wrap(pattern, handler)
            )
        mock.add_passthru(api_base)

    def _wrap(self, pattern: str, handler: Any) -> Any:
        def callback(request: Any) -> tuple[int, dict[str, str], str]:
            match = re.match(pattern + "$", request.url)
            params = parse_form(request.body)
            if request.method == "POST":
                self.writes.append((request.method, urlsplit(request.url).path, params))
            status, body = handler(request, match, params)
            return status, {}, json.dumps({k: v for k, v in body.items() if not k.startswith("_")})

        return callback

    @staticmethod
    def _get(table: dict[str, dict[str, Any]]) -> Any:
        def handler(request: Any, match: Any, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
            found = table.get(match.group(1))
            return (200, found) if found else _error(404, "resource_missing")

        return handler

    @staticmethod
    def _update(table: dict[str, dict[str, Any]]) -> Any:
        def handler(request: Any, match: Any, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
            found = table.get(match.group(1))
            if found is None:
                return _error(404, "resource_missing")
            for key, value in params.items():
                if key == "active":
                    found["active"] = value == "true"
                elif key == "name":
                    found["name"] = value
            return 200, found

        return handler

    def _create_product(self, request: Any, match: Any, params: dict[str, str]) -> Any:
        if params["id"] in self.products:
            return _error(400, "resource_already_exists")
        self.products[params["id"]] = product(params)
        return 200, self.products[params["id"]]

    def _create_price(self, request: Any, match: Any, params: dict[str, str]) -> Any:
        new = price(params)
        if params.get("transfer_lookup_key") == "true":
            for other in self.prices.values():
                if other["lookup_key"] == new["lookup_key"]:
                    other["lookup_key"] = None
        self.prices[new["id"]] = new
        return 200, new

    def _list_prices(self, request: Any, match: Any, params: dict[str, str]) -> Any:
        """ "Prices > List all prices" with lookup_keys[] and active filters."""
        query = parse_qsl(urlsplit(request.url).query)
        keys = {v for k, v in query if k.startswith("lookup_keys")}
        active = dict(query).get("active")
        data = [
            p
            for p in self.prices.values()
            if p["lookup_key"] in keys and (active is None or str(p["active"]).lower() == active)
        ]
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/prices"}

    def _create_session(self, request: Any, match: Any, params: dict[str, str]) -> Any:
        session = checkout_session(params)
        self.sessions[session["id"]] = session
        return 200, session

    def _portal(self, request: Any, match: Any, params: dict[str, str]) -> Any:
        return 200, portal_session(params)

    def _update_subscription(self, request: Any, match: Any, params: dict[str, str]) -> Any:
        """ "Subscriptions > Update a subscription": a new price on the item (Stripe
        prorates), or cancel_at_period_end."""
        sub = self.subscriptions.get(match.group(1))
        if sub is None:
            return _error(404, "resource_missing")
        if "cancel_at_period_end" in params:
            sub["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
            item = sub["items"]["data"][0]
            sub["cancel_at"] = item["current_period_end"] if sub["cancel_at_period_end"] else None
        if "items[0][price]" in params:
            item = sub["items"]["data"][0]
            if params.get("items[0][id]") != item["id"]:
                return _error(400, "invalid_subscription_item")
            item["price"] = self.prices[params["items[0][price]"]]
        sub["metadata"].update(_metadata(params))
        return 200, sub

    # --- what Stripe does on its side -----------------------------------------------

    def complete_checkout(self, session_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The customer pays on Checkout: a subscription exists, the session completes.
        Returns (session, subscription)."""
        session = self.sessions[session_id]
        params = session["_params"]
        price_obj = self.prices[params["line_items[0][price]"]]
        trial = int(params.get("subscription_data[trial_period_days]", "0"))
        sub = subscription(
            session["customer"], price_obj, _metadata(params, "subscription_data[metadata]"), trial
        )
        self.subscriptions[sub["id"]] = sub
        session.update(status="complete", payment_status="paid", subscription=sub["id"])
        return session, sub

    def set_status(self, sub_id: str, status: str) -> dict[str, Any]:
        self.subscriptions[sub_id]["status"] = status
        if status == "canceled":
            self.subscriptions[sub_id]["ended_at"] = int(time.time())
        return self.subscriptions[sub_id]
