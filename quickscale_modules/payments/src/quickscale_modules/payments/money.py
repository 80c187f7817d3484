"""Amounts as Stripe sends them (integers in the currency's smallest unit) and as we
store them (a Decimal in the currency's main unit, e.g. 12.50 EUR).

Stripe's list of currencies that are not in hundredths:
https://docs.stripe.com/currencies#zero-decimal and #three-decimal.

People read amounts through :func:`format_price`: the reader's language decides the
symbol, separators and their order (CLDR's data, through Babel); the amount is shown
exactly, never rounded.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import get_language, to_locale

ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])


def exponent(currency: str) -> int:
    """How many decimal places the currency's main unit has (2 for most)."""
    code = currency.lower()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def to_minor(amount: Decimal, currency: str) -> int:
    """12.50 EUR -> 1250. Refuses amounts finer than the currency allows."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(
            f"{amount} has more decimal places than {currency.upper()} allows "
            f"({exponent(currency)})"
        )
    return int(scaled)


def from_minor(value: int, currency: str) -> Decimal:
    """1250, EUR -> Decimal("12.50")."""
    places = exponent(currency)
    return Decimal(value).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def format_price(amount: Decimal, currency: str, language: str | None = None) -> str:
    """``amount`` of ``currency`` as a reader of ``language`` (a Django language code,
    the active one by default) writes it: ``$1,234.50`` in English, ``1.234,50 €`` in
    Spanish. Never rounded: an amount finer than the currency's usual places shows them
    all (the stored amount is what is charged); trailing zeros beyond them are dropped."""
    return format_currency(
        amount,
        currency.upper(),
        locale=_babel_locale(language or get_language() or settings.LANGUAGE_CODE),
        decimal_quantization=False,
    )


def _babel_locale(language: str) -> Locale:
    """Django's ``pt-br`` is Babel's ``pt_BR``; a code CLDR lacks falls back to its
    language, then to English."""
    name = to_locale(language)
    for candidate in (name, name.split("_")[0], "en"):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("unreachable: CLDR always has English")
