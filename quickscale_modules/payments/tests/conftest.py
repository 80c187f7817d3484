"""Fixtures of the payments module's tests: localstripe, the HTTP stubs, signed posts."""

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
from django.test import Client
from quickscale_testing.payments import event, signature_header
from stripe_fixtures import StripeStub

# localstripe's server on a loopback port, without its pickle file in /tmp (another
# suite's localstripe must not load or overwrite this one's objects).
_LOCALSTRIPE = """
import sys
from aiohttp import web
from localstripe import resources, server
resources.Store.dump_to_disk = lambda self: None
web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"localstripe exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"{url}/v1/customers", timeout=2)
        except urllib.error.HTTPError:
            return  # 401 without a key: it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("localstripe did not start within 30 seconds")


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    """A real localstripe server for this test session; stripe's API base points at it."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOCALSTRIPE, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc)
        previous = stripe.api_base
        stripe.api_base = url
        yield url
        stripe.api_base = previous
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def stripe_api(localstripe: str) -> Iterator[StripeStub]:
    """Stripe's API for one test: the stubs of stripe_fixtures, localstripe behind them.
    Nothing outside the loopback fake is reachable."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield StripeStub(mock, localstripe)


class Webhook:
    """Posts events to the real endpoint as Stripe does (signed body, JSON)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.url = "/payments/webhook/"

    def post(
        self,
        data: dict[str, Any] | str,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        header: str | None = None,
    ) -> Any:
        body = data if isinstance(data, str) else json.dumps(data)
        signature = header or signature_header(
            body, secret or settings.STRIPE_WEBHOOK_SECRET, timestamp
        )
        return self.client.post(
            self.url, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )

    def send(self, event_type: str, obj: dict[str, Any], **kwargs: Any) -> tuple[Any, str]:
        """Wrap ``obj`` in a new event, post it; (response, event id)."""
        payload = event(event_type, obj)
        return self.post(payload, **kwargs), payload["id"]


@pytest.fixture
def webhook(client: Client) -> Webhook:
    return Webhook(client)
