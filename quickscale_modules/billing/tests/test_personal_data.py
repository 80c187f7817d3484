"""The personal data this component declares in its manifest is real: the checks of
quickscale_testing.personal_data (models, paths and fields exist; the sample hook's rows
are their user's alone; erasing as declared leaves the other user's rows as they were)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from quickscale_testing.personal_data import Declared

DECLARED = Declared.of(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("label", DECLARED.labels)
def test_declaration_names_real_fields(label: str) -> None:
    DECLARED.check_fields(label)


def test_component_is_declared() -> None:
    DECLARED.check_declared()


@pytest.mark.django_db
def test_sample_rows_are_their_users_and_erasure_leaves_the_other_user_alone() -> None:
    DECLARED.check_sample_and_erasure()


# --- before_erase: the subscription ends at Stripe (localstripe) ---------------------


@pytest.fixture
def subscribed(plans: Any, stripe_api: Any, webhook: Any, ada: Any) -> dict[str, Any]:
    """ada subscribed to "pro" through Checkout; the subscription as Stripe holds it."""
    from django.core.management import call_command
    from django.test import Client

    call_command("billing_sync", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    client.force_login(ada)
    response = client.post("/billing/subscribe/pro/")
    session, sub = stripe_api.complete_checkout(response["Location"].rsplit("/", 1)[1])
    assert isinstance(sub, dict)
    assert webhook.send("checkout.session.completed", session).status_code == 200
    assert webhook.send("customer.subscription.created", sub).status_code == 200
    return sub


@pytest.mark.django_db
def test_before_erase_cancels_the_subscription_at_stripe_at_once(
    subscribed: dict[str, Any], stripe_api: Any, ada: Any
) -> None:
    from quickscale_modules.billing.models import Subscription

    assert Subscription.objects.get(user=ada).is_live
    assert stripe_api.stored(f"/v1/subscriptions/{subscribed['id']}")["status"] != "canceled"
    before_erase = DECLARED.hook("before-erase")
    before_erase(ada)
    assert stripe_api.stored(f"/v1/subscriptions/{subscribed['id']}")["status"] == "canceled"
    # At once: Stripe's cancel, not an update to cancel at the period's end.
    assert ("DELETE", f"/v1/subscriptions/{subscribed['id']}", {}) in stripe_api.writes


@pytest.mark.django_db
@pytest.mark.parametrize("status", [None, "canceled", "incomplete_expired"])
def test_before_erase_without_a_running_subscription_calls_no_stripe(
    status: str | None, ada: Any, settings: Any
) -> None:
    """No subscription, or one that ended: nothing to cancel (without a Stripe key any
    call would raise BillingError)."""
    from quickscale_modules.billing.models import Subscription

    settings.STRIPE_SECRET_KEY = ""
    if status:
        Subscription.objects.create(
            user=ada, status=status, stripe_customer_id="cus_x", stripe_subscription_id="sub_x"
        )
    DECLARED.hook("before-erase")(ada)
    assert Subscription.objects.filter(user=ada).count() == (1 if status else 0)
