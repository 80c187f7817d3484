"""Stripe's API for this suite: localstripe (customers), with ``responses`` answering in
front of it what localstripe lacks (Products, Prices, Checkout Sessions in subscription
mode, Subscriptions and their updates, portal sessions) from
``quickscale_modules.billing.testing.BillingState``, and the platform account from
payments' testing objects. Every other request passes through to localstripe.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import responses
from quickscale_modules.billing.testing import BillingState, parse_form
from quickscale_modules.payments.testing import account


class StripeBilling(BillingState):
    """BillingState served at ``api_base`` through ``responses``."""

    def __init__(self, mock: responses.RequestsMock, api_base: str) -> None:
        super().__init__()
        self.base = api_base
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
