"""With a task broker the webhook stores the verified event and answers at once; a
Celery task processes it, retrying with backoff while it fails, and it stays
idempotent against Stripe's redeliveries.

The test's Celery app runs tasks in this process (eager) while the settings say a
broker exists (CELERY_TASK_ALWAYS_EAGER=False), so the queued path of the view and the
task's retries run for real; tests/e2e covers a real worker on Redis for tasks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from celery import Celery
from django.test import override_settings
from quickscale_modules.payments.models import ProviderWebhookEvent, Transaction
from quickscale_testing.payments import event
from test_webhook import _paid_intent

from quickscale_modules.payments import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def broker() -> Iterator[None]:
    app = Celery("payments-tests", set_as_current=True)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    app.set_default()
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        yield


def test_the_event_is_stored_then_processed_by_a_task_that_retries_until_it_succeeds(
    stripe_api: Any, webhook: Any
) -> None:
    transaction, intent = _paid_intent(stripe_api)
    failures = iter([RuntimeError("billing is down"), RuntimeError("still down")])
    calls: list[str] = []

    def listener(sender: Any, event: ProviderWebhookEvent, **kwargs: Any) -> None:
        calls.append(event.stripe_event_id)
        failure = next(failures, None)
        if failure:
            raise failure

    services.payment_event.connect(listener)
    try:
        payload = event("payment_intent.succeeded", intent)
        queued = webhook.post(payload)
        again = webhook.post(payload)  # Stripe's redelivery, after the task succeeded
    finally:
        services.payment_event.disconnect(listener)
    assert (queued.status_code, queued.content) == (200, b"Queued.")
    assert (again.status_code, again.content) == (200, b"Already processed.")
    record = ProviderWebhookEvent.objects.get()
    assert (record.outcome, record.attempts, record.last_error) == ("processed", 3, "")
    transaction.refresh_from_db()
    assert transaction.status == Transaction.Status.SUCCEEDED
    assert calls == [payload["id"]] * 3  # two failed runs (undone), then one


def test_a_forged_body_is_refused_before_anything_is_queued(webhook: Any) -> None:
    response = webhook.post(event("payment_intent.succeeded", {"id": "pi_1"}), secret="whsec_x")
    assert response.status_code == 400
    assert not ProviderWebhookEvent.objects.exists()
