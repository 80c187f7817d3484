"""Refunds are staff work: the example shop refuses a customer's refund, their own
payment's included, before anything reaches Stripe, and refunds for a staff account
holding "Can refund payments" (a customer once refunded their own payment through it).

The shop is the project file generate writes (``payments_example.py``), rendered from
its template here and served with the module's own URLs; Stripe is the suite's fake
(``stripe_api``), which records every refund request it receives.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import include, path
from quickscale_modules.payments.models import Transaction

from quickscale_modules.payments import services

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "generate/project/__project__/payments_example.py.j2"
)


def _example_shop() -> ModuleType:
    """payments_example.py as generate writes it (its template uses no variables)."""
    source = jinja2.Template(EXAMPLE.read_text(), keep_trailing_newline=True).render()
    module = ModuleType("payments_example")
    exec(compile(source, str(EXAMPLE), "exec"), module.__dict__)
    return module


urlpatterns = [
    path("shop/", include(_example_shop())),
    path("payments/", include("quickscale_modules.payments.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _permission() -> Permission:
    label, codename = services.REFUND_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=label, codename=codename)


@pytest.fixture
def people(django_user_model: Any) -> dict[str, Any]:
    """Everyone who might press Refund, by role; "payer" paid the payment."""
    make = django_user_model.objects.create_user
    cashiers = Group.objects.create(name="cashiers")
    cashiers.permissions.add(_permission())
    viewer = make("viewer", "viewer@example.com", "pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_transaction"))
    outsider = make("outsider", "outsider@example.com", "pw")  # the permission, not staff
    outsider.user_permissions.add(_permission())
    cashier = make("cashier", "cashier@example.com", "pw", is_staff=True)
    cashier.groups.add(cashiers)
    retired = make("retired", "retired@example.com", "pw", is_staff=True, is_active=False)
    retired.groups.add(cashiers)
    return {
        "payer": make("ada", "ada@example.com", "pw"),
        "another customer": make("bob", "bob@example.com", "pw"),
        "view-only staff": viewer,
        "permission without staff": outsider,
        "inactive cashier": retired,
        "cashier": cashier,
        "superuser": django_user_model.objects.create_superuser("root", "root@example.com", "pw"),
    }


REFUSED = ["payer", "another customer", "view-only staff", "permission without staff"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        *((role, False) for role in [*REFUSED, "inactive cashier"]),
        ("cashier", True),
        ("superuser", True),
    ],
)
def test_only_staff_holding_the_refund_permission_may_refund(
    people: dict[str, Any], role: str, allowed: bool
) -> None:
    assert services.may_refund(people[role]) is allowed


def test_an_anonymous_visitor_may_not_refund() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert services.may_refund(AnonymousUser()) is False


@pytest.fixture
def paid(stripe_api: Any, webhook: Any, people: dict[str, Any]) -> Transaction:
    """The payer's Checkout payment, paid and confirmed by Stripe's webhook."""
    started = services.PaymentService().start_checkout(
        user=people["payer"],
        amount=Decimal("5.00"),
        currency="eur",
        description="Sticker pack",
        success_url="https://shop.test/payments/success/?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="https://shop.test/payments/cancel/",
    )
    session = stripe_api.pay(started.session.id)
    assert webhook.send("checkout.session.completed", dict(session))[0].status_code == 200
    started.transaction.refresh_from_db()
    assert started.transaction.status == Transaction.Status.SUCCEEDED
    return started.transaction


def _refund_as(user: Any, pk: int) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(f"/shop/{pk}/refund/")


def _refunds(stripe_api: Any) -> list[dict[str, str]]:
    return [params for _, route, params in stripe_api.requests if route == "/v1/refunds"]


@pytest.mark.parametrize("role", REFUSED)
def test_a_refund_by_anyone_but_refunding_staff_is_refused_before_stripe(
    stripe_api: Any, people: dict[str, Any], paid: Transaction, role: str
) -> None:
    assert _refund_as(people[role], paid.pk).status_code == 403
    assert _refunds(stripe_api) == []
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded) == (Transaction.Status.SUCCEEDED, Decimal(0))


def test_a_cashier_refunds_a_customer_s_payment(
    stripe_api: Any, webhook: Any, people: dict[str, Any], paid: Transaction
) -> None:
    response = _refund_as(people["cashier"], paid.pk)
    assert (response.status_code, response["Location"]) == (302, "/shop/")
    [sent] = _refunds(stripe_api)
    assert (sent["payment_intent"], sent["amount"]) == (paid.stripe_payment_intent_id, "500")
    charge = stripe_api.charges[stripe_api.intents[paid.stripe_payment_intent_id]["latest_charge"]]
    webhook.send("charge.refunded", dict(charge))
    paid.refresh_from_db()
    assert paid.status == Transaction.Status.REFUNDED
    assert _refund_as(people["cashier"], paid.pk + 1000).status_code == 404
