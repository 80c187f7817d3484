"""The billing module's public surface: entitlements, subscribing, changing a plan.

Entitlements are what themes and projects ask: ``has_entitlement(user, key)`` and
``entitlement_limit(user, key)``. A user without a live subscription has the default
(free) plan's entitlements. The answer is computed once per user object and kept on
it: Django's auth middleware loads a new user object for every request, so results are
cached per request and never across requests.

Money moves only through Stripe Billing (Checkout in subscription mode, subscription
updates, the customer portal); billing never creates a charge itself. What Stripe then
decides reaches the Subscription through payments' verified webhook (``lifecycle.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import stripe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db import transaction as db
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from quickscale_modules.billing.models import Entitlement, Plan, Subscription

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

    AnyUser = AbstractBaseUser | AnonymousUser

__all__ = [
    "PLAN_METADATA_KEY",
    "USER_METADATA_KEY",
    "BillingError",
    "Entitlement",
    "LimitReached",
    "Plan",
    "Subscription",
    "active_plans",
    "cancel_at_period_end",
    "cancel_now",
    "change_plan",
    "create_within_limit",
    "current_plan",
    "entitlement_limit",
    "forget",
    "get_subscription",
    "has_entitlement",
    "hold_user",
    "is_gated",
    "portal_url",
    "start_subscription",
    "stripe_client",
    "subscription_for",
    "within_limit",
]

#: Metadata on Stripe's Customer, Checkout Session and Subscription naming our user.
USER_METADATA_KEY = "quickscale_billing_user"
#: Metadata on Stripe's Product and Price naming our plan.
PLAN_METADATA_KEY = "quickscale_billing_plan"

_CACHE_ATTRIBUTE = "_quickscale_billing_entitlements"

T = TypeVar("T")


class BillingError(Exception):
    """A billing action that cannot be done; the message says why, for the user."""


# --- entitlements --------------------------------------------------------------------


@dataclass(frozen=True)
class _Granted:
    plan: Plan | None
    limits: dict[str, int | None]


def _granted(user: AnyUser) -> _Granted:
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, _Granted):
        return cached
    plan = current_plan(user)
    limits = (
        dict(Entitlement.objects.filter(plan=plan).values_list("key", "limit"))
        if plan is not None
        else {}
    )
    granted = _Granted(plan, limits)
    if user.is_authenticated:
        setattr(user, _CACHE_ATTRIBUTE, granted)
    return granted


def forget(user: AnyUser) -> None:
    """Drop the cached answers for ``user`` (after changing their subscription)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def current_plan(user: AnyUser) -> Plan | None:
    """The plan whose entitlements ``user`` has: their live subscription's, else the
    default plan (None only if no plan is loaded at all)."""
    if user.is_authenticated:
        subscription = Subscription.objects.select_related("plan").filter(user_id=user.pk).first()
        if subscription is not None and subscription.is_live and subscription.plan is not None:
            return subscription.plan
    return Plan.objects.filter(is_default=True).first()


def has_entitlement(user: AnyUser, key: str) -> bool:
    """Whether ``user``'s plan unlocks feature ``key`` (e.g. ``"todo.lists"``)."""
    return key in _granted(user).limits


def entitlement_limit(user: AnyUser, key: str) -> int | None:
    """How many of ``key`` the plan allows: None for unlimited, 0 when not entitled."""
    limits = _granted(user).limits
    if key not in limits:
        return 0
    return limits[key]


def within_limit(user: AnyUser, key: str, used: int) -> bool:
    """Whether ``user`` may have one more of ``key`` when ``used`` exist already.

    To act on the answer, count ``used`` under :func:`hold_user`, in the transaction
    that creates the new one (:func:`create_within_limit` does it all).
    """
    limit = entitlement_limit(user, key)
    return has_entitlement(user, key) and (limit is None or used < limit)


class LimitReached(BillingError):
    """``user``'s plan allows no more of ``key``."""

    def __init__(self, key: str) -> None:
        super().__init__(_("You have reached what your plan allows: upgrade it to add more."))
        self.key = key


def hold_user(user: AbstractBaseUser, *, using: str | None = None) -> None:
    """Hold ``user`` until the current transaction ends: every entitlement-limited
    creation for them waits here, so a count taken after it still holds at the insert.

    With row locks (PostgreSQL) it locks the user's row; a waiting request then counts
    what the first committed. SQLite has no row locks but one writer at a time: writing
    first (a no-op update of the row) takes its write lock before the count, so a
    second creation waits here rather than failing with "database is locked".
    """
    user_model = get_user_model()
    using = using or router.db_for_write(user_model)
    users = user_model._default_manager.using(using).filter(pk=user.pk)
    features = connections[using].features
    if features.has_select_for_update:
        no_key = features.has_select_for_no_key_update  # inserts referencing the user go on
        list(users.select_for_update(no_key=no_key).values_list("pk", flat=True))
    else:
        pk = user_model._meta.pk.attname
        users.update(**{pk: F(pk)})


def create_within_limit(
    user: AbstractBaseUser, key: str, *, used: QuerySet[Any], create: Callable[[], T]
) -> T:
    """``create()`` if ``user``'s plan allows one more ``key`` than the rows of
    ``used``; LimitReached otherwise.

    Holding the user (:func:`hold_user`), counting and creating are one transaction on
    ``used``'s database (``create`` writes there too): requests arriving together
    cannot both take the last one.
    """
    using = router.db_for_write(used.model)
    with db.atomic(using=using):
        hold_user(user, using=using)
        if not within_limit(user, key, used.using(using).count()):
            raise LimitReached(key)
        return create()


def is_gated(key: str) -> bool:
    """Whether any plan on sale names feature ``key`` (a feature no plan names is not
    for sale: a hook may leave it open rather than closed to everybody)."""
    return Entitlement.objects.filter(plan__active=True, key=key).exists()


# --- plans and subscriptions ---------------------------------------------------------


def active_plans() -> list[Plan]:
    """The plans on sale, in the config's order, with their entitlements."""
    return list(Plan.objects.filter(active=True).prefetch_related("entitlements"))


def subscription_for(user: AnyUser) -> Subscription | None:
    if not user.is_authenticated:
        return None
    return Subscription.objects.select_related("plan").filter(user_id=user.pk).first()


def get_subscription(pk: int, *, user: AnyUser) -> Subscription:
    """``user``'s subscription ``pk``; Subscription.DoesNotExist for anybody else's."""
    if not user.is_authenticated:
        raise Subscription.DoesNotExist(pk)
    return Subscription.objects.select_related("plan").get(pk=pk, user_id=user.pk)


def stripe_client() -> stripe.StripeClient:
    key = getattr(settings, "STRIPE_SECRET_KEY", "")
    if not key:
        raise BillingError(_("Billing is not configured: STRIPE_SECRET_KEY is not set."))
    return stripe.StripeClient(key, base_addresses={"api": stripe.api_base}, max_network_retries=2)


def _message(error: stripe.StripeError) -> str:
    return error.user_message or _("Stripe could not process the request; try again later.")


def _customer(client: stripe.StripeClient, user: AbstractBaseUser) -> Subscription:
    """The user's Subscription row, with a Stripe Customer (created once)."""
    with db.atomic():
        subscription, _created = Subscription.objects.select_for_update().get_or_create(
            user_id=user.pk
        )
        if not subscription.stripe_customer_id:
            params: dict[str, Any] = {"metadata": {USER_METADATA_KEY: str(user.pk)}}
            email = getattr(user, "email", "")
            if email:
                params["email"] = email
            customer = client.v1.customers.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": f"quickscale-billing-customer-{user.pk}"},
            )
            subscription.stripe_customer_id = customer.id
            subscription.save(update_fields=["stripe_customer_id", "updated"])
    return subscription


def start_subscription(
    user: AbstractBaseUser,
    plan: Plan,
    *,
    success_url: str,
    cancel_url: str,
    client: stripe.StripeClient | None = None,
) -> str:
    """The URL of a Stripe Checkout page (subscription mode) for ``plan``.

    The plan's trial applies to a first subscription only. Nothing changes here
    until Stripe's events arrive (checkout.session.completed,
    customer.subscription.created/updated).
    """
    if plan.is_free or not plan.stripe_price_id or not plan.active:
        raise BillingError(
            _("%(plan)s cannot be subscribed to (run 'manage.py billing_sync').")
            % {"plan": plan.name}
        )
    client = client or stripe_client()
    try:
        subscription = _customer(client, user)
        if subscription.is_live and subscription.stripe_subscription_id:
            raise BillingError(_("You already have a subscription: change its plan instead."))
        data: dict[str, Any] = {
            "metadata": {USER_METADATA_KEY: str(user.pk), PLAN_METADATA_KEY: plan.key}
        }
        if plan.trial_days and not subscription.trial_end:
            data["trial_period_days"] = plan.trial_days
        session = client.v1.checkout.sessions.create(
            {  # type: ignore[arg-type]
                "mode": "subscription",
                "customer": subscription.stripe_customer_id,
                "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": {USER_METADATA_KEY: str(user.pk), PLAN_METADATA_KEY: plan.key},
                "subscription_data": data,
            }
        )
    except stripe.StripeError as error:
        raise BillingError(_message(error)) from error
    return str(session.url)


def change_plan(
    subscription: Subscription, plan: Plan, *, client: stripe.StripeClient | None = None
) -> None:
    """Upgrade or downgrade now, with Stripe's proration of the remaining period.

    The Subscription row changes when Stripe's customer.subscription.updated arrives.
    """
    if not subscription.is_live or not subscription.stripe_subscription_id:
        raise BillingError(_("There is no active subscription to change."))
    if plan.is_free:
        raise BillingError(_("To go back to the free plan, cancel the subscription."))
    if not plan.stripe_price_id or not plan.active:
        raise BillingError(_("%(plan)s cannot be subscribed to.") % {"plan": plan.name})
    client = client or stripe_client()
    try:
        item = subscription.stripe_item_id
        if not item:
            remote = client.v1.subscriptions.retrieve(subscription.stripe_subscription_id)
            item = remote["items"]["data"][0]["id"]
        client.v1.subscriptions.update(
            subscription.stripe_subscription_id,
            {  # type: ignore[arg-type]
                "items": [{"id": item, "price": plan.stripe_price_id}],
                "proration_behavior": "create_prorations",
                "cancel_at_period_end": False,
                "metadata": {PLAN_METADATA_KEY: plan.key},
            },
        )
    except stripe.StripeError as error:
        raise BillingError(_message(error)) from error


def cancel_at_period_end(
    subscription: Subscription, *, client: stripe.StripeClient | None = None
) -> None:
    """Cancel at the end of the paid period: the plan stays until Stripe ends it."""
    if not subscription.is_live or not subscription.stripe_subscription_id:
        raise BillingError(_("There is no active subscription to cancel."))
    client = client or stripe_client()
    try:
        client.v1.subscriptions.update(
            subscription.stripe_subscription_id,
            {"cancel_at_period_end": True},
        )
    except stripe.StripeError as error:
        raise BillingError(_message(error)) from error


#: Statuses after which Stripe neither charges nor resumes the subscription.
ENDED_STATUSES = (Subscription.Status.CANCELED, Subscription.Status.INCOMPLETE_EXPIRED)


def cancel_now(subscription: Subscription, *, client: stripe.StripeClient | None = None) -> bool:
    """End the subscription at Stripe at once (no proration, no final invoice): for an
    account being erased, which must not go on being charged. False when there is
    nothing to end: never subscribed, ended already, or unknown to Stripe.

    The Subscription row changes when Stripe's customer.subscription.deleted arrives
    (or goes with the account).
    """
    if not subscription.stripe_subscription_id or subscription.status in ENDED_STATUSES:
        return False
    client = client or stripe_client()
    try:
        client.v1.subscriptions.cancel(subscription.stripe_subscription_id)
    except stripe.InvalidRequestError as error:
        if error.code == "resource_missing":
            return False
        raise BillingError(_message(error)) from error
    except stripe.StripeError as error:
        raise BillingError(_message(error)) from error
    return True


def portal_url(
    subscription: Subscription, return_url: str, *, client: stripe.StripeClient | None = None
) -> str:
    """A Stripe customer portal session (invoices, payment method, cancellation)."""
    if not subscription.stripe_customer_id:
        raise BillingError(_("There is no Stripe customer for this account yet."))
    client = client or stripe_client()
    try:
        session = client.v1.billing_portal.sessions.create(
            {"customer": subscription.stripe_customer_id, "return_url": return_url}
        )
    except stripe.StripeError as error:
        raise BillingError(_message(error)) from error
    return str(session.url)


def return_urls(request: HttpRequest) -> tuple[str, str]:
    """Checkout's success and cancel URLs: "my subscription" and the pricing page."""
    success = request.build_absolute_uri(reverse("quickscale_billing:subscription"))
    cancel = request.build_absolute_uri(reverse("quickscale_billing:pricing"))
    return f"{success}?checkout=done", cancel
