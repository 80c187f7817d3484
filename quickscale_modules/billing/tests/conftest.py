"""Fixtures of the billing module's tests: localstripe behind the Billing stubs, signed
webhooks to payments' real endpoint, users."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import responses
import stripe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from quickscale_testing.payments import event, signature_header
from stripe_billing import StripeBilling

# localstripe on a loopback port, without its pickle file in /tmp (shared with nobody).
_LOCALSTRIPE = """
import sys
from aiohttp import web
from localstripe import resources, server
resources.Store.dump_to_disk = lambda self: None
web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOCALSTRIPE, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/v1/customers", timeout=2)
            except urllib.error.HTTPError:
                break  # 401 without a key: it answers
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.1)
        previous, stripe.api_base = stripe.api_base, url
        yield url
        stripe.api_base = previous
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def stripe_api(localstripe: str) -> Iterator[StripeBilling]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield StripeBilling(mock, localstripe, settings.STRIPE_SECRET_KEY)


class Webhook:
    """Posts events to payments' endpoint as Stripe does: a signed JSON body."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def send(self, event_type: str, obj: dict[str, Any], *, created: int | None = None) -> Any:
        payload = event(event_type, obj)
        if created is not None:
            payload["created"] = created
        body = json.dumps(payload)
        return self.client.post(
            "/payments/webhook/",
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature_header(body, settings.STRIPE_WEBHOOK_SECRET),
        )


@pytest.fixture
def webhook() -> Webhook:
    return Webhook(Client())


@pytest.fixture
def plans(db: Any) -> Any:
    from quickscale_modules.billing import plans as billing_plans

    return {p.key: p for p in billing_plans.load()}


@pytest.fixture
def ada(db: Any) -> Any:
    return get_user_model().objects.create_user("ada", "ada@example.com", "a-long-passphrase")


@pytest.fixture
def bob(db: Any) -> Any:
    return get_user_model().objects.create_user("bob", "bob@example.com", "a-long-passphrase")
