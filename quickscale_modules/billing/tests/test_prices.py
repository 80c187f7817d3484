"""Prices as the reader writes them: the pricing page in English and in Spanish, through
the real middleware (Accept-Language), the shipped Spanish catalogues compiled for the
run, and the stored amounts untouched by showing them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from quickscale_modules.billing.models import Plan

import quickscale_modules.billing
import quickscale_modules.payments

NBSP = "\xa0"  # CLDR puts a no-break space between a Spanish amount and its symbol


@pytest.fixture(scope="session")
def compiled_catalogues(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Billing's and payments' Spanish catalogues as .mo files, outside the source tree
    (compiled files are never committed); one LOCALE_PATHS entry per module."""
    paths = []
    for package in (quickscale_modules.billing, quickscale_modules.payments):
        source = Path(package.__path__[0]) / "locale/es/LC_MESSAGES/django.po"
        root = tmp_path_factory.mktemp(package.__name__.rsplit(".", 1)[-1])
        target = root / "es/LC_MESSAGES/django.mo"
        target.parent.mkdir(parents=True)
        with source.open("rb") as po, target.open("wb") as mo:
            write_mo(mo, read_po(po, locale="es"))
        paths.append(str(root))
    return paths


@pytest.fixture
def spanish(compiled_catalogues: list[str]) -> Iterator[None]:
    with override_settings(
        LANGUAGES=[("en", "English"), ("es", "Español")], LOCALE_PATHS=compiled_catalogues
    ):
        yield


def _stored() -> list[tuple[str, Decimal, str]]:
    return list(Plan.objects.order_by("key").values_list("key", "amount", "currency"))


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        (
            "en",
            ["Plans", "€9.00 a month", "€99.00 a year", "$1,234.50 a year", "14-day free trial"],
        ),
        (
            "es",
            [
                "Planes",
                f"9,00{NBSP}€ al mes",
                f"99,00{NBSP}€ al año",
                f"1.234,50{NBSP}US$ al año",
                "Prueba gratis de 14 días",
            ],
        ),
    ],
)
def test_the_pricing_page_shows_prices_in_the_reader_s_format(
    plans: Any, spanish: None, language: str, shown: list[str]
) -> None:
    Plan.objects.create(
        key="agency", name="Agency", amount=Decimal("1234.5"), currency="usd", interval="year"
    )
    before = _stored()
    response = Client().get("/billing/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == language
    assert [text for text in shown if text not in page] == []
    # Showing a price changes nothing stored: the amounts are what Stripe charges.
    assert _stored() == before
    assert ("agency", Decimal("1234.500"), "usd") in before
    assert ("pro", Decimal("9.000"), "eur") in before


def test_the_admin_lists_plans_and_payments_with_their_prices_in_the_reader_s_format(
    plans: Any, spanish: None
) -> None:
    """Django would show the stored 9.000 as "9,000" to a Spanish reader: nine thousand."""
    from quickscale_modules.payments.models import Transaction

    Transaction.objects.create(amount=Decimal("12.5"), currency="usd", status="succeeded")
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "a-passphrase")
    client = Client()
    client.force_login(admin)
    plans_page = client.get("/admin/quickscale_billing/plan/", HTTP_ACCEPT_LANGUAGE="es")
    payments_page = client.get("/admin/quickscale_payments/transaction/", HTTP_ACCEPT_LANGUAGE="es")
    assert f"9,00{NBSP}€" in plans_page.content.decode()
    assert f"12,50{NBSP}US$" in payments_page.content.decode()
