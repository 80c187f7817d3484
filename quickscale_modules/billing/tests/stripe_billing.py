"""Stripe's API for this suite: localstripe, with ``responses`` answering in front of it
what localstripe lacks, from ``quickscale_testing.billing.BillingState``.

localstripe keeps the customers, their cards, the plans, the subscriptions and the
invoices. In front of it, written from Stripe's API reference:

- **Products and Prices** are BillingState's: localstripe has no Price. Stripe's Prices
  replaced its Plans and stay compatible with them: a recurring Price and a Plan with
  the same id are one thing, and a plan's id is accepted where a price's is expected
  ("The Plan object", https://docs.stripe.com/api/plans/object). So each Price created
  here is also created in localstripe as a Plan of the same id, amount, currency and
  interval, under a Product of the same id as the Price's.
- **Checkout Sessions** and **portal sessions** are BillingState's. Completing a
  Checkout (``complete_checkout``) creates the subscription in localstripe.
- **Subscriptions**: their GET and update go to localstripe, translated:

  - an update's ``items[0][price]`` becomes ``items[0][plan]`` (the same id);
    ``proration_behavior=create_prorations`` is dropped, as localstripe always
    prorates a change of plan (an "Unused time" invoice item); the item's id is
    checked against the subscription's item, which localstripe does not do (and
    localstripe gives the item a new id when its plan changes, where Stripe keeps it);
  - what is read gets the statuses localstripe does not compute ("The Subscription
    object", ``status``, https://docs.stripe.com/api/subscriptions/object):
    ``trialing`` while the trial runs (localstripe leaves such a subscription
    ``incomplete``) and ``past_due`` when the latest invoice is open after a failed
    attempt (localstripe's invoice payment leaves the subscription as it was); and
    each item gets the ``price`` view of its plan (BillingState's Price of that id)
    and its ``subscription``, which localstripe leaves out and dj-stripe needs ("The
    subscription item object", https://docs.stripe.com/api/subscription_items/object);
    ``default_tax_rates`` is a list, never null.
- **Invoices**: their GET goes to localstripe, without the ``expand`` localstripe
  refuses for fields it lacks: the invoice and each line get the empty ``discounts``
  list dj-stripe expands ("The Invoice object", https://docs.stripe.com/api/invoices/object).
- The platform **account** comes from payments' testing objects.

Everything else passes through to localstripe.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import responses
from quickscale_testing.billing import DAY, BillingState, api_error, form_metadata
from quickscale_testing.modules import parse_form
from quickscale_testing.payments import account

# localstripe's test payment methods ("Testing", https://docs.stripe.com/testing):
# 4242 4242 4242 4242 pays; 4000 0000 0000 0341 attaches, but its charges are declined.
CARD_PAYS = "pm_card_visa"
CARD_DECLINES = "pm_card_chargeCustomerFail"


class LocalstripeError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"localstripe answered {status}: {body}")
        self.status = status
        self.body = body


class Localstripe:
    """localstripe's API with JSON bodies, over urllib: ``responses`` intercepts
    ``requests``, so these calls reach localstripe itself."""

    def __init__(self, base: str, api_key: str) -> None:
        self.base = base
        self.api_key = api_key

    def call(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(data).encode() if data is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise LocalstripeError(error.code, json.loads(error.read() or b"{}")) from None

    def answer(
        self,
        method: str,
        path: str,
        data: dict[str, Any] | None = None,
        view: Callable[[Any], Any] = lambda body: body,
    ) -> Any:
        """(status, body) for a stub to return: a success as ``view`` shows it,
        localstripe's error as it was."""
        try:
            return 200, view(self.call(method, path, data))
        except LocalstripeError as error:
            return error.status, error.body


class StripeBilling(BillingState):
    """BillingState served at ``api_base`` through ``responses``, with plans,
    subscriptions and invoices in localstripe."""

    # "Subscriptions > Cancel a subscription" too: localstripe's, recorded in ``writes``.
    ROUTES = (*BillingState.ROUTES, ("DELETE", r"/v1/subscriptions/(\w+)", "_cancel_subscription"))

    def __init__(self, mock: responses.RequestsMock, api_base: str, api_key: str) -> None:
        super().__init__()
        self.base = api_base
        self.localstripe = Localstripe(api_base, api_key)
        mock.add_callback(responses.GET, f"{api_base}/v1/account", callback=self._account)
        for method, pattern, _ in self.routes:
            url = re.compile(re.escape(api_base) + pattern + r"(?:\?.*)?$")
            mock.add_callback(method, url, callback=self._answer)
        mock.add_passthru(api_base)

    @staticmethod
    def _account(request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps(account())

    def _answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        answer = self.handle(request.method, path, parse_form(request.body))
        assert answer is not None, request.url
        status, body = answer
        return status, {}, json.dumps(body)

    def stored(self, path: str) -> Any:
        """What localstripe itself answers at ``path``, without this layer's view."""
        return self.localstripe.call("GET", path)

    # --- Prices: also localstripe's Plans ---------------------------------------------

    def _create_price(self, match: Any, params: dict[str, str], query: str) -> Any:
        status, new = super()._create_price(match, params, query)
        product = self.products[new["product"]]
        try:
            self.localstripe.call("GET", f"/v1/products/{product['id']}")
        except LocalstripeError:  # the first Price of this Product in this localstripe
            created = {"id": product["id"], "name": product["name"]}
            self.localstripe.call("POST", "/v1/products", created)
        self.localstripe.call(
            "POST",
            "/v1/plans",
            {
                "id": new["id"],
                "product": product["id"],
                "amount": new["unit_amount"],
                "currency": new["currency"],
                "interval": new["recurring"]["interval"],
                "metadata": new["metadata"],
            },
        )
        return status, new

    # --- Subscriptions: localstripe's, seen as Stripe shows them ----------------------

    def subscription(self, sub_id: str) -> dict[str, Any]:
        """Subscription ``sub_id`` as "Retrieve a subscription" answers it."""
        return self._as_stripe(self.localstripe.call("GET", f"/v1/subscriptions/{sub_id}"))

    def _as_stripe(self, sub: dict[str, Any]) -> dict[str, Any]:
        if sub["status"] == "incomplete" and (sub["trial_end"] or 0) > time.time():
            sub["status"] = "trialing"
        elif sub["status"] == "active" and sub["latest_invoice"]:
            latest = self.localstripe.call("GET", f"/v1/invoices/{sub['latest_invoice']}")
            if latest["status"] == "open" and latest["attempted"]:
                sub["status"] = "past_due"
        sub["default_tax_rates"] = sub["default_tax_rates"] or []  # a list at Stripe
        for item in sub["items"]["data"]:
            item.update(price=self.prices[item["plan"]["id"]], subscription=sub["id"])
        return sub

    def _get_subscription(self, match: Any, params: dict[str, str], query: str) -> Any:
        path = f"/v1/subscriptions/{match.group(1)}"
        return self.localstripe.answer("GET", path, view=self._as_stripe)

    def _update_subscription(self, match: Any, params: dict[str, str], query: str) -> Any:
        sub_id = match.group(1)
        update: dict[str, Any] = {"metadata": form_metadata(params)}
        params = {k: v for k, v in params.items() if not k.startswith("metadata[")}
        if params.get("proration_behavior") == "create_prorations":
            del params["proration_behavior"]  # localstripe always prorates
        if "cancel_at_period_end" in params:
            update["cancel_at_period_end"] = params.pop("cancel_at_period_end") == "true"
        if "items[0][price]" in params:
            status, current = self.localstripe.answer("GET", f"/v1/subscriptions/{sub_id}")
            if status != 200:
                return status, current
            if params.pop("items[0][id]", None) != current["items"]["data"][0]["id"]:
                return api_error(400, "invalid_subscription_item")
            update["items"] = [{"plan": params.pop("items[0][price]")}]
        assert not params, f"not translated for localstripe: {params}"
        path = f"/v1/subscriptions/{sub_id}"
        return self.localstripe.answer("POST", path, update, view=self._as_stripe)

    def _cancel_subscription(self, match: Any, params: dict[str, str], query: str) -> Any:
        path = f"/v1/subscriptions/{match.group(1)}"
        return self.localstripe.answer("DELETE", path, view=self._as_stripe)

    # --- Invoices: localstripe's, seen as Stripe shows them -------------------------

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        """Invoice ``invoice_id`` as "Retrieve an invoice" answers it."""
        return self._invoice_as_stripe(self.localstripe.call("GET", f"/v1/invoices/{invoice_id}"))

    @staticmethod
    def _invoice_as_stripe(found: dict[str, Any]) -> dict[str, Any]:
        for obj in (found, *found["lines"]["data"]):
            obj.setdefault("discounts", [])
        return found

    def _get_invoice(self, match: Any, params: dict[str, str], query: str) -> Any:
        path = f"/v1/invoices/{match.group(1)}"
        return self.localstripe.answer("GET", path, view=self._invoice_as_stripe)

    # --- what Stripe does on its side -----------------------------------------------

    def _pay_with(self, customer: str, card: str) -> None:
        """The customer's default payment method becomes a new ``card``."""
        method = self.localstripe.call(
            "POST", f"/v1/payment_methods/{card}/attach", {"customer": customer}
        )
        self.localstripe.call(
            "POST",
            f"/v1/customers/{customer}",
            {"invoice_settings": {"default_payment_method": method["id"]}},
        )

    def complete_checkout(self, session_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The customer pays on Checkout with a card that works: localstripe creates
        the subscription (paid at once, or trialing), the session completes.
        Returns (session, subscription)."""
        session = self.sessions[session_id]
        params = session["_params"]
        self._pay_with(session["customer"], CARD_PAYS)
        data: dict[str, Any] = {
            "customer": session["customer"],
            "items": [{"plan": params["line_items[0][price]"]}],
            "metadata": form_metadata(params, "subscription_data[metadata]"),
        }
        trial = int(params.get("subscription_data[trial_period_days]", "0"))
        if trial:
            data["trial_end"] = int(time.time()) + trial * DAY
        sub = self.localstripe.call("POST", "/v1/subscriptions", data)
        session.update(status="complete", payment_status="paid", subscription=sub["id"])
        return {k: v for k, v in session.items() if not k.startswith("_")}, self.subscription(
            sub["id"]
        )

    def end_trial(self, sub_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The trial ends and its first invoice is paid. Returns (invoice, subscription)."""
        self.localstripe.call("POST", f"/v1/subscriptions/{sub_id}", {"trial_end": "now"})
        paid = self._bill(sub_id)
        return paid, self.subscription(sub_id)

    def renewal_failed(self, sub_id: str) -> dict[str, Any]:
        """The card on file starts being declined; the renewal's invoice is attempted
        and stays open. Returns the invoice (invoice.payment_failed's object)."""
        self._pay_with(self.subscription(sub_id)["customer"], CARD_DECLINES)
        return self._bill(sub_id)

    def _bill(self, sub_id: str) -> dict[str, Any]:
        """Stripe invoices the subscription's next period and attempts the payment."""
        customer = self.localstripe.call("GET", f"/v1/subscriptions/{sub_id}")["customer"]
        draft = self.localstripe.call(
            "POST", "/v1/invoices", {"customer": customer, "subscription": sub_id}
        )
        self.localstripe.call("POST", f"/v1/invoices/{draft['id']}/pay")
        return self.invoice(draft["id"])

    def end_subscription(self, sub_id: str) -> dict[str, Any]:
        """Stripe ends the subscription (the period ended, or the retries ran out)."""
        self.localstripe.call("DELETE", f"/v1/subscriptions/{sub_id}")
        return self.subscription(sub_id)

    def set_status(self, sub_id: str, status: str) -> dict[str, Any]:
        raise AssertionError("localstripe keeps the status: end_trial, end_subscription")
