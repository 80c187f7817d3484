"""Shared fixtures: a real SMTP server (aiosmtpd) on a free loopback port, the module's
Spanish catalogue compiled."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from quickscale_testing.modules import compile_catalogues


@pytest.fixture(scope="session")
def spanish() -> str:
    """The module's Spanish catalogue compiled (.mo files are built, never committed);
    the language code, for a test to send in it."""
    compile_catalogues("quickscale_modules.notifications")
    return "es"


class _Collector:
    """aiosmtpd handler that keeps every received message, parsed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, _Collector]]:
    handler = _Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()
