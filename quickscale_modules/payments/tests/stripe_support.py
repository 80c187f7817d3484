"""Small helpers that talk to localstripe directly, as a customer's browser or Stripe's
own systems would (never through the module's code)."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}"}


def fetch(base: str, path: str) -> dict[str, Any]:
    """An object as the fake Stripe holds it now (what Stripe puts in an event)."""
    response = requests.get(base + path, headers=_headers(), timeout=10)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def post(base: str, path: str, data: dict[str, str]) -> dict[str, Any]:
    response = requests.post(base + path, data=data, headers=_headers(), timeout=10)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def card_customer(base: str, number: str = "4242424242424242") -> tuple[str, str]:
    """A customer with a card attached, as Stripe.js would leave them: (cus_, pm_)."""
    customer = post(base, "/v1/customers", {"email": "ada@example.com"})
    card = post(
        base,
        "/v1/payment_methods",
        {
            "type": "card",
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
            "card[cvc]": "123",
        },
    )
    post(base, f"/v1/payment_methods/{card['id']}/attach", {"customer": customer["id"]})
    return customer["id"], card["id"]
