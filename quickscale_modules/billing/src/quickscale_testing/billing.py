"""Stripe Billing's side, for tests: the objects a fake Stripe API serves for billing.

Used by this module's suite (through ``responses``, in front of localstripe, which
keeps the customers, plans, subscriptions and invoices there: see the suite's
``stripe_billing.py``) and by the end-to-end tests (an HTTP server on loopback, which
keeps all of them here, customers too). Each builder names the section of Stripe's API
reference it follows. Nothing in it talks to the network.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

DAY = 86400
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}_test{next(_ids):08d}QsBilling"


def api_error(status: int, code: str) -> tuple[int, dict[str, Any]]:
    """An error answer ("Errors", https://docs.stripe.com/api/errors)."""
    return status, {"error": {"type": "invalid_request_error", "code": code, "message": code}}


def form_metadata(params: dict[str, str], prefix: str = "metadata") -> dict[str, str]:
    """The ``prefix[key]`` parameters of a form as {key: value}."""
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
        "metadata": form_metadata(params),
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
        "metadata": form_metadata(params),
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
        "metadata": form_metadata(params),
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


def customer(params: dict[str, str]) -> dict[str, Any]:
    """ "Customers > The Customer object" (https://docs.stripe.com/api/customers/object),
    for a fake without localstripe."""
    return {
        "id": new_id("cus"),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": int(time.time()),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": params.get("email"),
        "invoice_prefix": "QSB",
        "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None},
        "livemode": False,
        "metadata": form_metadata(params),
        "name": None,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
    }


def invoice(sub: dict[str, Any], *, paid: bool) -> dict[str, Any]:
    """A renewal invoice of ``sub``, paid or failed. Reference: "Invoices > The Invoice
    object" (https://docs.stripe.com/api/invoices/object)."""
    item = sub["items"]["data"][0]
    amount = item["price"]["unit_amount"]
    now = int(time.time())
    return {
        "id": new_id("in"),
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "attempt_count": 1,
        "attempted": True,
        "auto_advance": not paid,
        "billing_reason": "subscription_cycle",
        "collection_method": "charge_automatically",
        "created": now,
        "currency": sub["currency"],
        "customer": sub["customer"],
        "default_payment_method": None,
        "description": None,
        "discounts": [],
        "due_date": None,
        "ending_balance": 0,
        "lines": {"object": "list", "data": [], "has_more": False, "url": "/v1/invoices/lines"},
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None if paid else now + 3 * DAY,
        "number": None,
        "paid": paid,
        "period_end": now,
        "period_start": now - 30 * DAY,
        "starting_balance": 0,
        "status": "paid" if paid else "open",
        "subscription": sub["id"],
        "subtotal": amount,
        "total": amount,
    }


Route = tuple[str, str, str]  # method, path pattern, handler name
Answer = tuple[int, dict[str, Any]]


def _getter(table: str) -> Callable[[BillingState, Any, dict[str, str], str], Answer]:
    """A "Retrieve a <object>" handler: the object of ``table`` whose id the path names."""

    def get(self: BillingState, match: Any, params: dict[str, str], query: str) -> Answer:
        found: dict[str, dict[str, Any]] = getattr(self, table)
        key = match.group(1)
        return (200, found[key]) if key in found else api_error(404, "resource_missing")

    return get


class BillingState:
    """Products, Prices, Checkout Sessions (subscription mode), Subscriptions and portal
    sessions, plus Customers when ``keep_customers``: serve ``handle`` over any
    transport. ``writes`` records every write (POST, DELETE) as (method, path, params).
    Subscriptions and invoices live here for the end-to-end tests; the module's suite
    overrides their handlers and ``complete_checkout`` to keep them in localstripe."""

    ROUTES: tuple[Route, ...] = (
        ("GET", r"/v1/products/([\w-]+)", "_get_product"),
        ("POST", r"/v1/products", "_create_product"),
        ("POST", r"/v1/products/([\w-]+)", "_update_product"),
        ("GET", r"/v1/prices", "_list_prices"),
        ("GET", r"/v1/prices/(\w+)", "_get_price"),
        ("POST", r"/v1/prices", "_create_price"),
        ("POST", r"/v1/prices/(\w+)", "_update_price"),
        ("POST", r"/v1/checkout/sessions", "_create_session"),
        ("GET", r"/v1/checkout/sessions/(\w+)", "_get_session"),
        ("GET", r"/v1/subscriptions/(\w+)", "_get_subscription"),
        ("POST", r"/v1/subscriptions/(\w+)", "_update_subscription"),
        ("POST", r"/v1/billing_portal/sessions", "_portal"),
        ("GET", r"/v1/invoices/(\w+)", "_get_invoice"),
    )
    CUSTOMER_ROUTES: tuple[Route, ...] = (
        ("POST", r"/v1/customers", "_create_customer"),
        ("GET", r"/v1/customers/(\w+)", "_get_customer"),
    )

    def __init__(self, *, keep_customers: bool = False) -> None:
        self.keep_customers = keep_customers
        self.products: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.writes: list[tuple[str, str, dict[str, str]]] = []

    @property
    def routes(self) -> tuple[Route, ...]:
        return self.ROUTES + (self.CUSTOMER_ROUTES if self.keep_customers else ())

    def handle(
        self, method: str, path: str, params: dict[str, str]
    ) -> tuple[int, dict[str, Any]] | None:
        """The answer to one request (``path`` may carry a query); None: not ours."""
        bare, _, query = path.partition("?")
        for wanted, pattern, name in self.routes:
            match = re.fullmatch(pattern, bare)
            if wanted == method and match:
                if method in ("POST", "DELETE"):
                    self.writes.append((method, bare, params))
                status, body = getattr(self, name)(match, params, query)
                return status, {k: v for k, v in body.items() if not k.startswith("_")}
        return None

    _get_product = _getter("products")
    _get_price = _getter("prices")
    _get_session = _getter("sessions")
    _get_subscription = _getter("subscriptions")
    _get_invoice = _getter("invoices")
    _get_customer = _getter("customers")

    def _create_customer(self, match: Any, params: dict[str, str], query: str) -> Any:
        new = customer(params)
        self.customers[new["id"]] = new
        return 200, new

    @staticmethod
    def _update(found: dict[str, Any] | None, params: dict[str, str]) -> Any:
        if found is None:
            return api_error(404, "resource_missing")
        if "active" in params:
            found["active"] = params["active"] == "true"
        if "name" in params:
            found["name"] = params["name"]
        return 200, found

    def _update_product(self, match: Any, params: dict[str, str], query: str) -> Any:
        return self._update(self.products.get(match.group(1)), params)

    def _update_price(self, match: Any, params: dict[str, str], query: str) -> Any:
        return self._update(self.prices.get(match.group(1)), params)

    def _create_product(self, match: Any, params: dict[str, str], query: str) -> Any:
        if params["id"] in self.products:
            return api_error(400, "resource_already_exists")
        self.products[params["id"]] = product(params)
        return 200, self.products[params["id"]]

    def _create_price(self, match: Any, params: dict[str, str], query: str) -> Any:
        new = price(params)
        if params.get("transfer_lookup_key") == "true":
            for other in self.prices.values():
                if other["lookup_key"] == new["lookup_key"]:
                    other["lookup_key"] = None
        self.prices[new["id"]] = new
        return 200, new

    def _list_prices(self, match: Any, params: dict[str, str], query: str) -> Any:
        """ "Prices > List all prices" with the lookup_keys[] and active filters."""
        pairs = parse_qsl(query)
        keys = {v for k, v in pairs if k.startswith("lookup_keys")}
        active = dict(pairs).get("active")
        data = [
            p
            for p in self.prices.values()
            if p["lookup_key"] in keys and (active is None or str(p["active"]).lower() == active)
        ]
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/prices"}

    def _create_session(self, match: Any, params: dict[str, str], query: str) -> Any:
        session = checkout_session(params)
        self.sessions[session["id"]] = session
        return 200, session

    def _portal(self, match: Any, params: dict[str, str], query: str) -> Any:
        return 200, portal_session(params)

    def _update_subscription(self, match: Any, params: dict[str, str], query: str) -> Any:
        """ "Subscriptions > Update a subscription": a new price on the item (Stripe
        prorates), or cancel_at_period_end."""
        sub = self.subscriptions.get(match.group(1))
        if sub is None:
            return api_error(404, "resource_missing")
        item = sub["items"]["data"][0]
        if "cancel_at_period_end" in params:
            sub["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
            sub["cancel_at"] = item["current_period_end"] if sub["cancel_at_period_end"] else None
        if "items[0][price]" in params:
            if params.get("items[0][id]") != item["id"]:
                return api_error(400, "invalid_subscription_item")
            item["price"] = self.prices[params["items[0][price]"]]
        sub["metadata"].update(form_metadata(params))
        return 200, sub

    # --- what Stripe does on its side -----------------------------------------------

    def complete_checkout(self, session_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The customer pays on Checkout: a subscription exists, the session completes.
        Returns (session, subscription)."""
        session = self.sessions[session_id]
        params = session["_params"]
        price_obj = self.prices[params["line_items[0][price]"]]
        trial = int(params.get("subscription_data[trial_period_days]", "0"))
        metadata = form_metadata(params, "subscription_data[metadata]")
        sub = subscription(session["customer"], price_obj, metadata, trial)
        self.subscriptions[sub["id"]] = sub
        session.update(status="complete", payment_status="paid", subscription=sub["id"])
        return {k: v for k, v in session.items() if not k.startswith("_")}, sub

    def renewal_failed(self, sub_id: str) -> dict[str, Any]:
        """The renewal's payment fails: an open invoice, the subscription past due.
        Returns the invoice (invoice.payment_failed's object)."""
        failed = invoice(self.subscriptions[sub_id], paid=False)
        self.invoices[failed["id"]] = failed
        self.subscriptions[sub_id].update(status="past_due", latest_invoice=failed["id"])
        return failed

    def set_status(self, sub_id: str, status: str) -> dict[str, Any]:
        self.subscriptions[sub_id]["status"] = status
        if status == "canceled":
            self.subscriptions[sub_id]["ended_at"] = int(time.time())
        return self.subscriptions[sub_id]
