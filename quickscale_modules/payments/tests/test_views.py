"""The Checkout return pages: who sees a payment, and the page that refreshes itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from quickscale_modules.payments.models import Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(django_user_model: Any) -> tuple[Any, Any]:
    return (
        django_user_model.objects.create_user("ada", password="pw"),
        django_user_model.objects.create_user("bob", password="pw"),
    )


def _transaction(user: Any, status: str = "pending") -> Transaction:
    return Transaction.objects.create(
        user=user,
        amount=Decimal("12.5"),
        currency="eur",
        description="Sticker pack",
        status=status,
        stripe_checkout_session_id=f"cs_test_{status}_{getattr(user, 'pk', 'guest')}",
    )


def test_a_pending_payment_polls_its_own_url_until_stripe_confirms(client, users) -> None:
    ada, _ = users
    transaction = _transaction(ada)
    client.force_login(ada)
    url = f"/payments/success/?session_id={transaction.stripe_checkout_session_id}"
    page = client.get(url).content.decode()
    assert 'role="status"' in page and "Waiting for Stripe" in page
    assert f'hx-get="{url}"' in page and 'hx-select="#payment-status"' in page
    assert "€12.50" in page

    Transaction.objects.filter(pk=transaction.pk).update(status="succeeded")
    response = client.get(url, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<strong>Paid</strong>" in page and "hx-get" not in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_another_user_gets_404_for_a_payment_that_is_not_theirs(client, users) -> None:
    ada, bob = users
    transaction = _transaction(ada, "succeeded")
    url = f"/payments/success/?session_id={transaction.stripe_checkout_session_id}"
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_guest_payment_is_shown_to_whoever_holds_the_session_id(client) -> None:
    transaction = _transaction(None, "succeeded")
    url = f"/payments/success/?session_id={transaction.stripe_checkout_session_id}"
    assert client.get(url).status_code == 200
    assert client.get("/payments/success/?session_id=cs_test_unknown").status_code == 404
    assert client.get("/payments/success/").status_code == 404  # never "any blank id"


def test_the_cancel_page_says_nothing_was_charged(client) -> None:
    response = client.get("/payments/cancel/")
    assert response.status_code == 200 and "nothing was charged" in response.content.decode()
