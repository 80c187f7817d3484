"""Plan, Entitlement and Subscription: billing's own tables (Stripe's are dj-stripe's).

Plans come from the project's config (``plans.py`` loads them); a Subscription is what
Stripe's webhooks last said about one user's subscription. Models only model: the
rules are in ``services.py`` and ``lifecycle.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=3, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    interval = models.CharField(
        _("interval"),
        max_length=5,
        blank=True,
        choices=[("month", _("month")), ("year", _("year"))],
    )
    trial_days = models.PositiveIntegerField(_("trial days"), default=0)
    is_default = models.BooleanField(_("default plan"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    # False once the plan is no longer in the config: existing subscribers keep it.
    active = models.BooleanField(_("on sale"), default=True)
    stripe_product_id = models.CharField(_("Stripe product"), max_length=255, blank=True)
    stripe_price_id = models.CharField(_("Stripe price"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="quickscale_billing_one_default_plan",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.amount == 0


class Entitlement(models.Model):
    """A feature key a plan unlocks; ``limit`` None means unlimited."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="entitlements", verbose_name=_("plan")
    )
    key = models.CharField(_("feature"), max_length=100)
    limit = models.PositiveIntegerField(
        _("limit"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="quickscale_billing_plan_key")
        ]

    def __str__(self) -> str:
        return f"{self.plan.key}: {self.key}" + ("" if self.limit is None else f" ≤ {self.limit}")


class Subscription(models.Model):
    """One user's Stripe subscription, as Stripe's events last described it."""

    class Status(models.TextChoices):
        # Stripe's statuses (https://docs.stripe.com/api/subscriptions/object#subscription_object-status)
        INCOMPLETE = "incomplete", _("Incomplete")
        INCOMPLETE_EXPIRED = "incomplete_expired", _("Incomplete, expired")
        TRIALING = "trialing", _("Trialing")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Past due")
        CANCELED = "canceled", _("Canceled")
        UNPAID = "unpaid", _("Unpaid")
        PAUSED = "paused", _("Paused")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="billing_subscription",
        verbose_name=_("user"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("plan")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INCOMPLETE
    )
    stripe_customer_id = models.CharField(
        _("Stripe customer"), max_length=255, blank=True, db_index=True
    )
    stripe_subscription_id = models.CharField(
        _("Stripe subscription"), max_length=255, blank=True, db_index=True
    )
    stripe_item_id = models.CharField(_("Stripe subscription item"), max_length=255, blank=True)
    current_period_end = models.DateTimeField(_("current period ends"), null=True, blank=True)
    trial_end = models.DateTimeField(_("trial ends"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(_("cancels at period end"), default=False)
    # ``created`` of the newest Stripe event applied: an older one arriving late is ignored.
    stripe_event_created = models.BigIntegerField(_("newest Stripe event"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.user} · {self.plan or '-'} · {self.status}"

    @property
    def is_live(self) -> bool:
        """Whether it grants its plan: trialing, active, or past due while Stripe retries."""
        return self.status in (self.Status.TRIALING, self.Status.ACTIVE, self.Status.PAST_DUE)
