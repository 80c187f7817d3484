"""The analytics module's personal data hooks (its manifest declares the models).

``sample`` fills the generated project's personal-data test with events of one user:
erasure blanks their user and visitor and keeps them, so the counts survive.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.utils import timezone
from quickscale_modules.analytics.models import Event


def sample(user: Any) -> None:
    """A sign-up and two page views of ``user``'s, with a visitor hash of their own."""
    now = timezone.now()
    visitor = hashlib.sha256(f"sample-visitor-{user.pk}".encode()).hexdigest()[:32]
    Event.objects.create(
        event_type="signup", user=user, visitor=visitor, properties={"plan": "free"}
    )
    for minutes, path in ((5, "/todo/"), (1, "/billing/")):
        Event.objects.create(
            event_type="page_view",
            user=user,
            visitor=visitor,
            timestamp=now - timedelta(minutes=minutes),
            properties={"path": path},
        )
