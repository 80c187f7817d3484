"""StarterBusiness: default rules, validation and the subclass + super() extension pattern."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st
from quickscale_themes.starter.business import (
    Order,
    OrderError,
    OrderLine,
    OrderResult,
    StarterBusiness,
    get_business,
)


def order(*lines: tuple[str, int, str], reference: str = "A-1") -> Order:
    return Order(
        reference=reference,
        lines=[OrderLine(sku, qty, Decimal(price)) for sku, qty, price in lines],
    )


def test_default_rules_price_the_order() -> None:
    result = StarterBusiness().process_order(order(("pen", 3, "1.50"), ("pad", 1, "4.25")))
    assert result.subtotal == Decimal("8.75")
    assert result.discount == Decimal("0.00")
    assert result.tax == Decimal("0.00")
    assert result.total == Decimal("8.75")
    assert result.status == "accepted"


def test_tax_rate_on_a_subclass_is_applied_and_rounded_half_up() -> None:
    class VatBusiness(StarterBusiness):
        tax_rate = Decimal("0.21")

    result = VatBusiness().process_order(order(("pen", 1, "0.50")))
    # 0.50 * 0.21 = 0.105 -> 0.11 (half up), total 0.61
    assert result.tax == Decimal("0.11")
    assert result.total == Decimal("0.61")


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (Order(reference=" ", lines=[OrderLine("a", 1, Decimal("1"))]), "reference"),
        (Order(reference="A", lines=[]), "lines"),
        (Order(reference="A", lines=[OrderLine("", 1, Decimal("1"))]), "lines[0].sku"),
        (Order(reference="A", lines=[OrderLine("a", 0, Decimal("1"))]), "lines[0].quantity"),
        (
            Order(
                reference="A",
                lines=[OrderLine("a", 1, Decimal(1)), OrderLine("b", 10_001, Decimal(1))],
            ),
            "lines[1].quantity",
        ),
        (Order(reference="A", lines=[OrderLine("a", 1, Decimal("-1"))]), "lines[0].unit_price"),
    ],
)
def test_invalid_orders_raise_with_the_offending_field(bad: Order, field: str) -> None:
    with pytest.raises(OrderError) as excinfo:
        StarterBusiness().process_order(bad)
    assert excinfo.value.field == field
    assert excinfo.value.message


class ExtendedBusinessLogic(StarterBusiness):
    """What a project writes in backend_extensions.py."""

    def __init__(self) -> None:
        self.fulfilled: list[str] = []

    def validate_order(self, order: Order) -> None:
        super().validate_order(order)
        if any(line.sku == "banned" for line in order.lines):
            raise OrderError("That product cannot be sold.", field="lines")

    def calculate_discount(self, order: Order, subtotal: Decimal) -> Decimal:
        base = super().calculate_discount(order, subtotal)
        return base + (subtotal * Decimal("0.10") if subtotal >= 100 else Decimal("0"))

    def fulfil_order(self, order: Order, result: OrderResult) -> OrderResult:
        self.fulfilled.append(order.reference)
        return super().fulfil_order(order, result)

    def process_order(self, order: Order) -> OrderResult:
        result = super().process_order(order)
        return result.with_note(f"processed by {type(self).__name__}")


def test_subclass_overrides_steps_and_keeps_the_base_rules() -> None:
    business = ExtendedBusinessLogic()
    result = business.process_order(order(("desk", 1, "120.00"), reference="B-7"))
    assert result.subtotal == Decimal("120.00")
    assert result.discount == Decimal("12.00")
    assert result.total == Decimal("108.00")
    assert result.notes == ("processed by ExtendedBusinessLogic",)
    assert business.fulfilled == ["B-7"]
    # The base validation still runs through super().
    with pytest.raises(OrderError, match="needs at least one line"):
        business.process_order(Order(reference="C", lines=[]))
    with pytest.raises(OrderError, match="cannot be sold"):
        business.process_order(order(("banned", 1, "1")))
    assert business.fulfilled == ["B-7"]


def test_discount_never_exceeds_the_subtotal() -> None:
    class Generous(StarterBusiness):
        def calculate_discount(self, order: Order, subtotal: Decimal) -> Decimal:
            return subtotal + Decimal("50")

    result = Generous().process_order(order(("a", 2, "5")))
    assert result.discount == result.subtotal == Decimal("10.00")
    assert result.total == Decimal("0.00")


def test_result_is_immutable() -> None:
    result = StarterBusiness().process_order(order(("a", 1, "1")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = Decimal("0")  # type: ignore[misc]


@given(
    lines=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=500),
            st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False),
        ),
        min_size=1,
        max_size=8,
    ),
    rate=st.decimals(min_value=0, max_value=Decimal("0.5"), places=3, allow_nan=False),
)
def test_total_is_subtotal_minus_discount_plus_tax(
    lines: list[tuple[int, Decimal]], rate: Decimal
) -> None:
    class Taxed(StarterBusiness):
        tax_rate = rate

    the_order = Order(
        reference="P", lines=[OrderLine(f"s{i}", q, p) for i, (q, p) in enumerate(lines)]
    )
    result = Taxed().process_order(the_order)
    assert result.subtotal == sum(q * p for q, p in lines)
    assert result.total == result.subtotal - result.discount + result.tax
    assert result.tax >= 0


def test_get_business_defaults_to_the_theme_rules(settings: Any) -> None:
    settings.QUICKSCALE_BUSINESS_CLASS = ""
    assert type(get_business()) is StarterBusiness


def test_get_business_uses_the_projects_subclass(settings: Any) -> None:
    settings.QUICKSCALE_BUSINESS_CLASS = "project_backend_extensions.ExtendedBusinessLogic"
    business = get_business()
    assert type(business).__name__ == "ExtendedBusinessLogic"
    result = business.process_order(order(("a", 2, "3.00")))
    assert result.total == Decimal("6.00")
    assert result.notes == ("acme rules applied",)


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("project_backend_extensions.Missing", "cannot be imported"),
        ("no_such_module.Business", "cannot be imported"),
        ("project_backend_extensions.NotABusiness", "is not a StarterBusiness subclass"),
    ],
)
def test_get_business_rejects_bad_settings_with_a_hint(settings: Any, path: str, hint: str) -> None:
    settings.QUICKSCALE_BUSINESS_CLASS = path
    with pytest.raises(ImproperlyConfigured) as excinfo:
        get_business()
    assert hint in str(excinfo.value) and path in str(excinfo.value)
