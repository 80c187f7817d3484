"""money.format_price: CLDR's currency formats (Babel) for the reader's language, the
amount never rounded; and the template filter every price on a page goes through."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from quickscale_modules.payments.money import format_price

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("1234.5", "usd", "en", "$1,234.50"),
        ("1234.5", "usd", "es", f"1.234,50{NBSP}US$"),
        ("1234.5", "eur", "en", "€1,234.50"),
        ("1234.5", "eur", "es", f"1.234,50{NBSP}€"),
        ("500", "jpy", "en", "¥500"),  # no minor unit: no decimals
        ("500", "JPY", "es", f"500{NBSP}JPY"),
        ("12.345", "kwd", "en", "KWD12.345"),  # three decimals
        ("9.000", "eur", "en", "€9.00"),  # stored with three places, shown with two
        ("9.125", "usd", "en", "$9.125"),  # finer than cents: shown exactly, not rounded
        ("1234.5", "eur", "pt-br", f"€{NBSP}1.234,50"),  # Django's pt-br is CLDR's pt_BR
        ("1234.5", "usd", "xx", "$1,234.50"),  # a language CLDR lacks: English
    ],
)
def test_format_price(amount: str, currency: str, language: str, expected: str) -> None:
    assert format_price(Decimal(amount), currency, language) == expected


def test_the_active_language_is_the_default() -> None:
    with translation.override("es"):
        assert format_price(Decimal("9"), "eur") == f"9,00{NBSP}€"
    with translation.override("en"):
        assert format_price(Decimal("9"), "eur") == "€9.00"


def test_the_price_filter() -> None:
    template = Template(
        "{% load payments_money %}{{ amount|price:currency }}|{{ nothing|price:currency }}"
    )
    with translation.override("es"):
        shown = template.render(Context({"amount": Decimal("12.500"), "currency": "usd"}))
    assert shown == f"12,50{NBSP}US$|"
