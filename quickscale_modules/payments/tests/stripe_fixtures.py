"""Stripe's side of the tests, for what localstripe does not have.

localstripe (a real, stateful fake started by conftest.py) serves customers, payment
methods, payment intents, charges and refunds. It has no Checkout Sessions, no
``GET /v1/account`` (dj-stripe asks it which account a key belongs to) and sends no
refund events. ``StripeStub`` answers those calls at the HTTP boundary (``responses``)
with objects shaped as Stripe's API reference describes them; each builder names the
section it follows. Every other request passes through to localstripe.

``signed()`` plays Stripe's webhook sender: the event envelope, signed with Stripe's
scheme (``t=<unix time>,v1=<HMAC-SHA256 of "<t>.<body>">``), written here from the
documentation rather than with the stripe library the endpoint verifies with.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
from typing import Any
from urllib.parse import parse_qsl

import responses

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


class StripeStub:
    """Checkout Sessions (and what paying one creates), refunds of those, and the
    account, answered over HTTP through ``responses``; the rest goes to localstripe."""

    def __init__(self, mock: responses.RequestsMock, api_base: str) -> None:
        self.mock = mock
        self.base = api_base
        self.sessions: dict[str, dict[str, Any]] = {}
        self.intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        mock.add(responses.GET, f"{api_base}/v1/account", json=account())
        mock.add_callback(
            responses.POST, f"{api_base}/v1/checkout/sessions", callback=self._create_session
        )
        # Retrieval of the objects made here (localstripe's ids look different).
        for path, table in (
            (r"checkout/sessions/cs_test\w+QuickScale", "sessions"),
            (r"payment_intents/pi_test\w+QuickScale", "intents"),
            (r"charges/ch_test\w+QuickScale", "charges"),
        ):
            url = re.compile(rf"{re.escape(api_base)}/v1/{path}")
            mock.add_callback(responses.GET, url, callback=self._get(table))
        # Refunds of payments made through the stubbed Checkout; a refund of one of
        # localstripe's own payments matches nothing here and reaches localstripe.
        mock.add_callback(
            responses.POST,
            f"{api_base}/v1/refunds",
            callback=self._create_refund,
            match=[self._refunds_a_stubbed_payment],
        )
        mock.add_passthru(api_base)

    @staticmethod
    def _form(request: Any) -> dict[str, str]:
        body = request.body or ""
        if isinstance(body, bytes):
            body = body.decode()
        return dict(parse_qsl(body, keep_blank_values=True))

    def _create_session(self, request: Any) -> tuple[int, dict[str, str], str]:
        params = self._form(request)
        self.requests.append(("POST", "/v1/checkout/sessions", params))
        session = checkout_session(params)
        self.sessions[session["id"]] = session
        return 200, {"Request-Id": new_id("req")}, json.dumps(session)

    def _get(self, table: str) -> Any:
        def answer(request: Any) -> tuple[int, dict[str, str], str]:
            object_id = request.path_url.split("?")[0].rsplit("/", 1)[-1]
            found = getattr(self, table).get(object_id)
            if found is None:
                return 404, {}, json.dumps({"error": {"type": "invalid_request_error"}})
            return 200, {}, json.dumps(found)

        return answer

    def _refunds_a_stubbed_payment(self, request: Any) -> tuple[bool, str]:
        found = self._form(request).get("payment_intent", "") in self.intents
        return found, "" if found else "a payment localstripe made"

    def _create_refund(self, request: Any) -> tuple[int, dict[str, str], str]:
        params = self._form(request)
        intent = self.intents[params["payment_intent"]]
        self.requests.append(("POST", "/v1/refunds", params))
        charge_obj = self.charges[intent["latest_charge"]]
        left = charge_obj["amount"] - charge_obj["amount_refunded"]
        amount = int(params.get("amount", left))
        if amount > left:
            error = {"error": {"type": "invalid_request_error", "code": "charge_already_refunded"}}
            return 400, {}, json.dumps(error)
        charge_obj["amount_refunded"] += amount
        charge_obj["refunded"] = charge_obj["amount_refunded"] >= charge_obj["amount"]
        metadata = {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")}
        return 200, {}, json.dumps(refund(charge_obj, amount, metadata))

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
