"""Billing's pages: the pricing page and a user's subscription. Thin: services decide."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from quickscale_modules.billing.models import Plan, Subscription

from quickscale_modules.billing import services


@login_not_required
@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    subscription = services.subscription_for(request.user)
    return render(
        request,
        "quickscale_billing/pricing.html",
        {
            "plans": services.active_plans(),
            "current": services.current_plan(request.user),
            "subscription": subscription,
            "login_url": resolve_url(settings.LOGIN_URL),
        },
    )


def _plan(key: str) -> Plan:
    plan = Plan.objects.filter(key=key, active=True).first()
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def _own(request: HttpRequest, pk: int) -> Subscription:
    try:
        return services.get_subscription(pk, user=request.user)
    except Subscription.DoesNotExist:
        raise Http404(_("No such subscription.")) from None


@login_required
@require_POST
def subscribe(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan(key)
    success_url, cancel_url = services.return_urls(request)
    try:
        url = services.start_subscription(
            request.user,  # type: ignore[arg-type]
            plan,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    except services.BillingError as error:
        messages.error(request, str(error))
        return redirect("quickscale_billing:pricing")
    return HttpResponseRedirect(url, status=303)  # to Stripe's Checkout page


@login_required
@never_cache
@require_GET
def subscription(request: HttpRequest) -> HttpResponse:
    """ "My subscription": the user's own, or the free plan they are on."""
    own = services.subscription_for(request.user)
    if own is not None and (own.stripe_subscription_id or own.is_live):
        return redirect("quickscale_billing:detail", pk=own.pk)
    return render(
        request,
        "quickscale_billing/subscription.html",
        {
            "subscription": own,
            "plan": services.current_plan(request.user),
            "waiting": request.GET.get("checkout") == "done",
        },
    )


@login_required
@never_cache
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    own = _own(request, pk)
    return render(
        request,
        "quickscale_billing/subscription.html",
        {
            "subscription": own,
            "plan": services.current_plan(request.user),
            "plans": [p for p in services.active_plans() if not p.is_free and p != own.plan],
        },
    )


@login_required
@require_POST
def change(request: HttpRequest, pk: int) -> HttpResponse:
    own = _own(request, pk)
    plan = _plan(request.POST.get("plan", ""))
    try:
        services.change_plan(own, plan)
    except services.BillingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Changing to %(plan)s: it shows here once Stripe confirms.") % {"plan": plan.name},
        )
    return redirect("quickscale_billing:detail", pk=own.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    own = _own(request, pk)
    try:
        services.cancel_at_period_end(own)
    except services.BillingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your subscription ends at the end of the paid period."))
    return redirect("quickscale_billing:detail", pk=own.pk)


@login_required
@require_POST
def portal(request: HttpRequest, pk: int) -> HttpResponse:
    own = _own(request, pk)
    back = request.build_absolute_uri(reverse("quickscale_billing:detail", args=[own.pk]))
    try:
        url = services.portal_url(own, back)
    except services.BillingError as error:
        messages.error(request, str(error))
        return redirect("quickscale_billing:detail", pk=own.pk)
    return HttpResponseRedirect(url, status=303)  # to Stripe's customer portal
