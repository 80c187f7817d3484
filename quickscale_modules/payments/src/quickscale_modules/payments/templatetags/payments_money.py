"""``{% load payments_money %}``: prices as the reader writes them.

``{{ plan.amount|price:plan.currency }}`` shows ``$9.00`` to an English reader and
``9,00 US$`` to a Spanish one (``money.format_price``, in the active language). The
amount passed in is only read: what is stored and charged never changes.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from quickscale_modules.payments import money

register = template.Library()


@register.filter
def price(amount: Decimal | int | str | None, currency: str) -> str:
    """The amount in ``currency`` in the active language's format; empty for no amount."""
    if amount is None or amount == "":
        return ""
    return money.format_price(Decimal(str(amount)), currency)
