"""The billing module's personal data hooks (its manifest declares the models).

``before_erase`` runs inside the erasure's transaction before any row changes: an
erased account must not go on being charged, so its Stripe subscription ends at once.
If Stripe refuses, the hook raises and the erasure is rolled back, to be tried again.
``sample`` fills the generated project's personal-data test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from quickscale_modules.billing.models import Plan, Subscription

from quickscale_modules.billing import services


def before_erase(user: Any) -> None:
    """Cancel ``user``'s Stripe subscription now, through billing's service (a no-op
    without one, or when it has ended)."""
    subscription = Subscription.objects.filter(user_id=user.pk).first()
    if subscription is not None:
        services.cancel_now(subscription)
        services.forget(user)


def sample(user: Any) -> None:
    """A subscription of ``user``'s that ended last month (so erasing it calls no
    Stripe), with Stripe ids naming the user."""
    ended = timezone.now() - dt.timedelta(days=30)
    tag = "test" + str(user.pk).replace("-", "") + "Sample"  # an int or UUID pk
    Subscription.objects.create(
        user=user,
        plan=Plan.objects.filter(is_default=False).first(),
        status=Subscription.Status.CANCELED,
        stripe_customer_id=f"cus_{tag}",
        stripe_subscription_id=f"sub_{tag}",
        stripe_item_id=f"si_{tag}",
        current_period_end=ended,
        cancel_at_period_end=True,
    )
