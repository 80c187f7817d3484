"""Stripe's API for this suite: localstripe, with ``responses`` answering in front of it
what localstripe lacks (Checkout Sessions, the account, refunds of Checkout payments),
from ``quickscale_testing.payments.StripeState``. Every other request passes
through to localstripe.
"""

from __future__ import annotations

import json
import re
from typing import Any

import responses
from quickscale_testing.modules import parse_form
from quickscale_testing.payments import StripeState


class StripeStub(StripeState):
    """StripeState served at ``api_base`` through ``responses``."""

    def __init__(self, mock: responses.RequestsMock, api_base: str) -> None:
        super().__init__()
        self.mock = mock
        self.base = api_base
        prefix = re.escape(api_base)
        mock.add_callback(responses.GET, f"{api_base}/v1/account", callback=self._get)
        mock.add_callback(
            responses.POST,
            f"{api_base}/v1/checkout/sessions",
            callback=self._answer(lambda r: self.create_session(parse_form(r.body))),
        )
        # Retrieval of the objects held here (localstripe's ids look different).
        for path in ("checkout/sessions/cs_", "payment_intents/pi_", "charges/ch_"):
            url = re.compile(rf"{prefix}/v1/{path}test\w+QuickScale")
            mock.add_callback(responses.GET, url, callback=self._get)
        # A refund of one of localstripe's own payments matches nothing here.
        mock.add_callback(
            responses.POST,
            f"{api_base}/v1/refunds",
            callback=self._answer(lambda r: self.create_refund(parse_form(r.body))),
            match=[self._refunds_a_payment_held_here],
        )
        mock.add_passthru(api_base)

    @staticmethod
    def _answer(handler: Any) -> Any:
        def callback(request: Any) -> tuple[int, dict[str, str], str]:
            status, body = handler(request)
            return status, {}, json.dumps(body)

        return callback

    def _get(self, request: Any) -> tuple[int, dict[str, str], str]:
        status, body = self.retrieve(request.path_url)
        return status, {}, json.dumps(body)

    def _refunds_a_payment_held_here(self, request: Any) -> tuple[bool, str]:
        found = self.holds_payment(parse_form(request.body))
        return found, "" if found else "a payment localstripe made"
