"""Stripe's side, for tests: signed webhooks and the Stripe objects a fake API serves.

Used by this module's own suite, by the end-to-end tests, and by a project's tests that
need to post a webhook (``signature_header`` + ``event``). ``StripeState`` holds the
objects that localstripe (the stateful fake the suite starts) does not have: Checkout
Sessions and what paying one creates, refunds of those, and the platform account that
dj-stripe asks for. Each builder names the section of Stripe's API reference it
follows. Signing is written here from Stripe's documentation, not with the stripe
library the endpoint verifies with. Nothing in it talks to the network: ``serve``
answers on loopback only, as Stripe's API for a project's code under test.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

API_VERSION = "2026-08-26.dahlia"
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}_test{next(_ids):08d}QuickScale"


# --- signing (https://docs.stripe.com/webhooks#verify-manually) ----------------------


def signature_header(body: str, secret: str, timestamp: int | None = None) -> str:
    """``Stripe-Signature`` as Stripe computes it: HMAC-SHA256 over "<t>.<body>"."""
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def event(event_type: str, obj: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    """An Event. Reference: "Events > The Event object"
    (https://docs.stripe.com/api/events/object)."""
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "account": None,
        "api_version": API_VERSION,
        "context": None,
        "created": int(time.time()),
        "data": {"object": obj, "previous_attributes": None},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


# --- objects localstripe lacks ------------------------------------------------------


def account() -> dict[str, Any]:
    """The platform's own account. Reference: "Connect > Accounts > Retrieve account"
    and "The Account object" (https://docs.stripe.com/api/accounts/retrieve)."""
    return {
        "id": "acct_1QuickScaleTest",
        "object": "account",
        "business_profile": {"name": "Acme (test)", "url": None, "support_email": None},
        "business_type": "company",
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "controller": {"type": "account"},
        "country": "FR",
        "created": 1700000000,
        "default_currency": "eur",
        "details_submitted": True,
        "email": "owner@acme.test",
        "metadata": {},
        "payouts_enabled": True,
        "settings": {"dashboard": {"display_name": "Acme", "timezone": "Etc/UTC"}},
        "type": "standard",
    }


def checkout_session(params: dict[str, str]) -> dict[str, Any]:
    """A new Checkout Session in payment mode, from the create call's form parameters.
    Reference: "Checkout > Sessions > Create a Checkout Session" and "The Checkout
    Session object" (https://docs.stripe.com/api/checkout/sessions/object)."""
    session_id = new_id("cs")
    amount = int(params["line_items[0][price_data][unit_amount]"]) * int(
        params.get("line_items[0][quantity]", "1")
    )
    metadata = {k[9:-1]: v for k, v in params.items() if re.fullmatch(r"metadata\[[^]]+\]", k)}
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "created": int(time.time()),
        "currency": params["line_items[0][price_data][currency]"],
        "customer": None,
        "customer_creation": "if_required",
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "expires_at": int(time.time()) + 86400,
        "livemode": False,
        "locale": None,
        "metadata": metadata,
        "mode": "payment",
        "payment_intent": None,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "submit_type": None,
        "subscription": None,
        "invoice": None,
        "success_url": params.get("success_url"),
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": f"https://checkout.stripe.com/c/pay/{session_id}#fidkdWxOYHwnPyd1blpxYHZxWjA0",
    }


def payment_intent(session: dict[str, Any], charge_id: str) -> dict[str, Any]:
    """The PaymentIntent Checkout creates when the customer pays. Reference: "Payment
    Intents > The PaymentIntent object" (https://docs.stripe.com/api/payment_intents/object)."""
    return {
        "id": new_id("pi"),
        "object": "payment_intent",
        "amount": session["amount_total"],
        "amount_capturable": 0,
        "amount_received": session["amount_total"],
        "capture_method": "automatic_async",
        "client_secret": None,
        "confirmation_method": "automatic",
        "created": int(time.time()),
        "currency": session["currency"],
        "customer": None,
        "description": None,
        "last_payment_error": None,
        "latest_charge": charge_id,
        "livemode": False,
        "metadata": dict(session["metadata"]),
        "next_action": None,
        "payment_method": None,
        "payment_method_types": ["card"],
        "status": "succeeded",
    }


def charge(intent: dict[str, Any], charge_id: str) -> dict[str, Any]:
    """The Charge behind that PaymentIntent. Reference: "Charges > The Charge object"
    (https://docs.stripe.com/api/charges/object)."""
    return {
        "id": charge_id,
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"],
        "amount_refunded": 0,
        "balance_transaction": None,
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "captured": True,
        "created": int(time.time()),
        "currency": intent["currency"],
        "customer": None,
        "description": None,
        "disputed": False,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": {},
        "paid": True,
        "payment_intent": intent["id"],
        "payment_method": None,
        "refunded": False,
        "status": "succeeded",
    }


def refund(charge_obj: dict[str, Any], amount: int, metadata: dict[str, str]) -> dict[str, Any]:
    """A card refund, which succeeds at once. Reference: "Refunds > Create a refund" and
    "The Refund object" (https://docs.stripe.com/api/refunds/object)."""
    return {
        "id": new_id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge_obj["id"],
        "created": int(time.time()),
        "currency": charge_obj["currency"],
        "metadata": metadata,
        "payment_intent": charge_obj["payment_intent"],
        "reason": None,
        "status": "succeeded",
    }


def _error(code: str) -> dict[str, Any]:
    return {"error": {"type": "invalid_request_error", "code": code}}


class StripeState:
    """What a fake Stripe API holds for Checkout: serve it over any transport."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []

    def create_session(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.requests.append(("POST", "/v1/checkout/sessions", params))
        session = checkout_session(params)
        self.sessions[session["id"]] = session
        return 200, session

    def retrieve(self, path: str) -> tuple[int, dict[str, Any]]:
        """GET ``/v1/account`` or ``/v1/<collection>/<id>`` of an object held here."""
        path = path.split("?")[0].rstrip("/")
        if path == "/v1/account":
            return 200, account()
        tables = {
            "/v1/checkout/sessions/": self.sessions,
            "/v1/payment_intents/": self.intents,
            "/v1/charges/": self.charges,
        }
        for prefix, table in tables.items():
            if path.startswith(prefix) and path[len(prefix) :] in table:
                return 200, table[path[len(prefix) :]]
        return 404, _error("resource_missing")

    def holds_payment(self, params: dict[str, str]) -> bool:
        return params.get("payment_intent", "") in self.intents

    def create_refund(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None:
            return 404, _error("resource_missing")
        self.requests.append(("POST", "/v1/refunds", params))
        charge_obj = self.charges[intent["latest_charge"]]
        left = charge_obj["amount"] - charge_obj["amount_refunded"]
        amount = int(params.get("amount", left))
        if amount > left:
            return 400, _error("charge_already_refunded")
        charge_obj["amount_refunded"] += amount
        charge_obj["refunded"] = charge_obj["amount_refunded"] >= charge_obj["amount"]
        metadata = {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")}
        return 200, refund(charge_obj, amount, metadata)

    def pay(self, session_id: str) -> dict[str, Any]:
        """The customer pays on the Checkout page: the session completes, with its
        PaymentIntent and Charge. Returns the completed session."""
        session = self.sessions[session_id]
        charge_id = new_id("ch")
        intent = payment_intent(session, charge_id)
        self.intents[intent["id"]] = intent
        self.charges[charge_id] = charge(intent, charge_id)
        session.update(
            status="complete",
            payment_status="paid",
            payment_intent=intent["id"],
            customer_details={"email": "ada@example.com", "name": "Ada"},
        )
        return session


class _StripeApi(BaseHTTPRequestHandler):
    """Stripe's API over HTTP, answered from ``state``: form-encoded requests, JSON out."""

    state: StripeState

    def do_GET(self) -> None:
        self._send(*self.state.retrieve(self.path))

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        params = dict(parse_qsl(body, keep_blank_values=True))  # metadata[key] stays flat
        if self.path.startswith("/v1/checkout/sessions"):
            self._send(*self.state.create_session(params))
        elif self.path.startswith("/v1/refunds"):
            self._send(*self.state.create_refund(params))
        else:
            self._send(404, _error("resource_missing"))

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(state: StripeState) -> Iterator[str]:
    """Serve ``state`` as Stripe's API on a free loopback port; yields its base URL, for
    ``stripe.api_base`` (the module's client uses it) or STRIPE_API_HOST."""
    handler = type("StripeApi", (_StripeApi,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
