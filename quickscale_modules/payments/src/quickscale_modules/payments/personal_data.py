"""The payments module's personal data hooks (its manifest declares the models).

``sample`` fills the generated project's personal-data test with one user's payments
and what Stripe told us about them: a paid and a refunded Transaction, the webhook
event of the first, and a dj-stripe Customer linked to the account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps
from quickscale_modules.payments.models import ProviderWebhookEvent, Transaction


def sample(user: Any) -> None:
    """Payments of ``user``'s; every Stripe id names the user, so rows differ per user."""
    tag = "test" + str(user.pk).replace("-", "") + "Sample"  # an int or UUID pk
    email = getattr(user, "email", "") or f"user{user.pk}@example.com"
    paid = Transaction.objects.create(
        user=user,
        amount=Decimal("12.50"),
        currency="eur",
        status=Transaction.Status.SUCCEEDED,
        description="Annual report, PDF edition",
        stripe_checkout_session_id=f"cs_{tag}",
        stripe_payment_intent_id=f"pi_{tag}",
        stripe_charge_id=f"ch_{tag}",
    )
    Transaction.objects.create(
        user=user,
        amount=Decimal("4.00"),
        amount_refunded=Decimal("4.00"),
        currency="eur",
        status=Transaction.Status.REFUNDED,
        description="Sticker pack",
        stripe_checkout_session_id=f"cs_{tag}2",
    )
    ProviderWebhookEvent.objects.create(
        stripe_event_id=f"evt_{tag}",
        type="checkout.session.completed",
        payload={
            "id": f"evt_{tag}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": f"cs_{tag}",
                    "customer_details": {"email": email, "name": user.get_username()},
                }
            },
        },
        transaction=paid,
        outcome=ProviderWebhookEvent.Outcome.PROCESSED,
        attempts=1,
    )
    apps.get_model("djstripe", "Customer")._default_manager.create(
        id=f"cus_{tag}",
        livemode=False,
        subscriber=user,
        email=email,
        stripe_data={"id": f"cus_{tag}", "object": "customer", "email": email},
    )
