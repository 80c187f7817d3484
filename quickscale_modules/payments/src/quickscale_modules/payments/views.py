"""The module's three URLs: Stripe's webhook, and the pages Checkout returns to.

The webhook is the one endpoint Stripe talks to: it verifies the signature with
Stripe's library before anything is stored, so a forged, stale or altered body gets
400 and changes nothing. With a task broker (REDIS_URL) it stores the event and leaves
the processing to a task (``tasks.process_event``); without one it processes it in the
request. The return pages are HTML for people, not an API.
"""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction as db
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from quickscale_modules.payments import events, services

logger = logging.getLogger(__name__)


@login_not_required
@csrf_exempt
@require_POST
@db.non_atomic_requests  # a failed event's record must survive the 500 that follows
def webhook(request: HttpRequest) -> HttpResponse:
    secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        logger.error("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return HttpResponse(
            "The webhook signing secret is not configured.",  # i18n: not user-facing (for Stripe)
            status=500,
        )
    try:
        payload = request.body.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            payload,
            request.headers.get("Stripe-Signature"),
            secret,
            tolerance=getattr(settings, "STRIPE_WEBHOOK_TOLERANCE", 300),
        )
        data = json.loads(payload)
    except (UnicodeDecodeError, ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest(
            "Invalid Stripe signature or payload."  # i18n: not user-facing (for Stripe)
        )
    if not (
        isinstance(data, dict)
        and data.get("object") == "event"
        and isinstance(data.get("id"), str)
        and isinstance(data.get("data"), dict)
    ):
        return HttpResponseBadRequest("Not a Stripe event.")  # i18n: not user-facing (for Stripe)
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        # A broker runs tasks in workers: store now, process there (retried with backoff).
        from quickscale_modules.payments.tasks import process_event

        record = events.store(data)
        if record.outcome == record.Outcome.PROCESSED:
            return HttpResponse("Already processed.")  # i18n: not user-facing (for Stripe)
        process_event.delay(record.stripe_event_id)
        return HttpResponse("Queued.")  # i18n: not user-facing (for Stripe)
    receipt = events.receive(data)
    if receipt.failed:
        return HttpResponse(
            "Processing failed; Stripe will retry.",  # i18n: not user-facing (for Stripe)
            status=500,
        )
    if receipt.duplicate:
        return HttpResponse("Already processed.")  # i18n: not user-facing (for Stripe)
    return HttpResponse("Processed.")  # i18n: not user-facing (for Stripe)


@never_cache
@require_GET
def success(request: HttpRequest) -> HttpResponse:
    """Where Checkout sends the customer back. The payment is shown as Stripe's
    webhook left it; while it is still pending the page refreshes its status."""
    session_id = request.GET.get("session_id", "")
    try:
        transaction = services.transaction_for_checkout_session(session_id, user=request.user)
    except services.Transaction.DoesNotExist:
        raise Http404(_("No such payment.")) from None
    return render(request, "quickscale_payments/success.html", {"transaction": transaction})


@never_cache
@require_GET
def cancel(request: HttpRequest) -> HttpResponse:
    """Where Checkout sends a customer who went back: nothing was charged."""
    return render(request, "quickscale_payments/cancel.html")
