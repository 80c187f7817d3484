"""Processing of a stored Stripe event as a Celery task, retried with backoff.

With a broker (REDIS_URL) the webhook verifies the signature, stores the event and
answers Stripe at once; this task does the processing (``events.process``) in a
worker, and tries again after 2, 4, 8… seconds (with jitter) while it fails. Stripe's
own redeliveries may cross it: the event is processed once whoever comes first (row
lock, processed events skipped). Without a broker the webhook processes the event in
the request, and a failure answers 500 so that Stripe delivers it again.
"""

from __future__ import annotations

from celery import shared_task

from quickscale_modules.payments import events


class EventFailed(Exception):
    """The event's processing failed (its record holds the error): retry it."""


@shared_task(
    name="quickscale_payments.process_event",
    autoretry_for=(EventFailed,),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=10,
)
def process_event(stripe_event_id: str) -> str:
    receipt = events.process(stripe_event_id)
    if receipt.failed:
        raise EventFailed(f"{stripe_event_id}: {receipt.event.last_error}")
    return "duplicate" if receipt.duplicate else "processed"
