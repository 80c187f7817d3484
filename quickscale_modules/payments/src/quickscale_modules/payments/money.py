"""Amounts as Stripe sends them (integers in the currency's smallest unit) and as we
store them (a Decimal in the currency's main unit, e.g. 12.50 EUR).

Stripe's list of currencies that are not in hundredths:
https://docs.stripe.com/currencies#zero-decimal and #three-decimal.
"""

from __future__ import annotations

from decimal import Decimal

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
