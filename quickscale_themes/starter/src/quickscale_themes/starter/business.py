"""The starter business layer: order processing split into small overridable steps.

A project customises behaviour by subclassing :class:`StarterBusiness` in its
``backend_extensions.py`` and overriding one step (or ``process_order`` itself), always
calling ``super()`` so that improvements to the theme keep flowing into the project::

    class ExtendedBusinessLogic(StarterBusiness):
        def calculate_discount(self, order, subtotal):
            discount = super().calculate_discount(order, subtotal)
            return discount + (subtotal * Decimal("0.10") if subtotal >= 100 else 0)

The module is plain Python (no ORM, no request): the steps are easy to unit-test and a
project can feed them from its own models, forms or API payloads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class OrderError(ValueError):
    """An order that cannot be processed; ``field`` names the offending input."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class OrderLine:
    """One product line of an order."""

    sku: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Order:
    """What the business layer needs to know about an order, independent of storage."""

    reference: str
    lines: Sequence[OrderLine]
    customer_email: str = ""
    currency: str = "EUR"


@dataclass(frozen=True)
class OrderResult:
    """The outcome of :meth:`StarterBusiness.process_order`; immutable so steps compose."""

    order: Order
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal
    status: str = "accepted"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def with_note(self, note: str) -> OrderResult:
        """A copy with one more note; handy in overrides that annotate the result."""
        return dataclasses.replace(self, notes=(*self.notes, note))


def money(value: Decimal) -> Decimal:
    """Round to cents the way invoices do (half up), so totals add up on paper."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class StarterBusiness:
    """Default order rules; every step is a method so a project overrides only what differs.

    Steps run in this order: ``validate_order`` → ``calculate_subtotal`` →
    ``calculate_discount`` → ``calculate_tax`` → ``build_result`` → ``fulfil_order``.
    """

    #: Tax applied to the discounted subtotal; a project sets its own rate on a subclass.
    tax_rate: Decimal = Decimal("0")
    #: Upper bound on a single line's quantity, to catch typos such as 1000 instead of 10.
    max_quantity: int = 10_000

    def process_order(self, order: Order) -> OrderResult:
        """Validate, price and fulfil ``order``; raises :class:`OrderError` on bad input."""
        self.validate_order(order)
        subtotal = self.calculate_subtotal(order)
        discount = min(self.calculate_discount(order, subtotal), subtotal)
        tax = self.calculate_tax(order, subtotal - discount)
        result = self.build_result(order, subtotal=subtotal, discount=discount, tax=tax)
        return self.fulfil_order(order, result)

    def validate_order(self, order: Order) -> None:
        """Reject orders that cannot be priced; override to add business rules."""
        if not order.reference.strip():
            raise OrderError("An order needs a reference.", field="reference")
        if not order.lines:
            raise OrderError("An order needs at least one line.", field="lines")
        for index, line in enumerate(order.lines):
            where = f"lines[{index}]"
            if not line.sku.strip():
                raise OrderError(f"Line {index + 1} has no SKU.", field=f"{where}.sku")
            if not 0 < line.quantity <= self.max_quantity:
                raise OrderError(
                    f"Line {index + 1} quantity must be between 1 and {self.max_quantity}.",
                    field=f"{where}.quantity",
                )
            if line.unit_price < 0:
                raise OrderError(
                    f"Line {index + 1} has a negative price.", field=f"{where}.unit_price"
                )

    def calculate_subtotal(self, order: Order) -> Decimal:
        """Sum of the line amounts."""
        return money(sum((line.amount for line in order.lines), Decimal("0")))

    def calculate_discount(self, order: Order, subtotal: Decimal) -> Decimal:
        """No discount by default; the usual first override in a client project."""
        return Decimal("0.00")

    def calculate_tax(self, order: Order, taxable: Decimal) -> Decimal:
        """``tax_rate`` applied to the discounted amount."""
        return money(taxable * self.tax_rate)

    def build_result(
        self, order: Order, *, subtotal: Decimal, discount: Decimal, tax: Decimal
    ) -> OrderResult:
        """Assemble the result; override to attach extra notes or a different status."""
        return OrderResult(
            order=order,
            subtotal=money(subtotal),
            discount=money(discount),
            tax=money(tax),
            total=money(subtotal - discount + tax),
        )

    def fulfil_order(self, order: Order, result: OrderResult) -> OrderResult:
        """Hook for side effects (reserve stock, send e-mail); the default does nothing."""
        return result


def get_business() -> StarterBusiness:
    """The project's business rules: ``settings.QUICKSCALE_BUSINESS_CLASS`` or the default.

    A project points the setting at its subclass (usually
    ``"<project>.backend_extensions.ExtendedBusinessLogic"``) so that every caller that goes
    through here, theme code included, runs the project's overrides. Django is imported
    lazily: the rest of this module stays usable without configured settings.
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import import_string

    path = getattr(settings, "QUICKSCALE_BUSINESS_CLASS", "")
    if not path:
        return StarterBusiness()
    try:
        business_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"QUICKSCALE_BUSINESS_CLASS={path!r} cannot be imported ({error}); "
            "set it to the dotted path of a StarterBusiness subclass."
        ) from error
    if not (isinstance(business_class, type) and issubclass(business_class, StarterBusiness)):
        raise ImproperlyConfigured(
            f"QUICKSCALE_BUSINESS_CLASS={path!r} is not a StarterBusiness subclass; "
            "make the class inherit from quickscale_themes.starter.business.StarterBusiness."
        )
    return business_class()
