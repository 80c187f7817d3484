"""Stripe and dj-stripe settings for a project's settings.py, read from the environment.

Keys never live in code: ``stripe_settings()`` reads them from the environment, and
the module's system checks (checks.py) say what is missing when it matters: with DEBUG
off, ``manage.py check --deploy`` fails until all three keys are set, so an image can
still be built and migrated without them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

#: INSTALLED_APPS entries the module needs, in order.
INSTALLED_APPS = ["djstripe", "quickscale_modules.payments"]

#: The environment variables the module reads (also in its manifest and .env.example).
KEY_VARIABLES = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")

#: How old a signed webhook may be, in seconds (Stripe's own default).
DEFAULT_WEBHOOK_TOLERANCE = 300


def stripe_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """STRIPE_* and DJSTRIPE_* settings to merge into a settings module's globals.

    - ``STRIPE_SECRET_KEY``, ``STRIPE_PUBLISHABLE_KEY``, ``STRIPE_WEBHOOK_SECRET``:
      from the environment ("" when unset; the checks report it).
    - ``STRIPE_LIVE_MODE`` follows the secret key (``sk_live_…``), so dj-stripe picks
      the matching key for live and test events.
    - ``STRIPE_API_HOST`` only when set in the environment: a local Stripe fake
      (localstripe, stripe-mock) in development; dj-stripe warns about it in production.
    """
    source: Mapping[str, str] = os.environ if env is None else env
    secret = source.get("STRIPE_SECRET_KEY", "").strip()
    result: dict[str, Any] = {
        "STRIPE_SECRET_KEY": secret,
        "STRIPE_PUBLISHABLE_KEY": source.get("STRIPE_PUBLISHABLE_KEY", "").strip(),
        "STRIPE_WEBHOOK_SECRET": source.get("STRIPE_WEBHOOK_SECRET", "").strip(),
        "STRIPE_WEBHOOK_TOLERANCE": int(
            source.get("STRIPE_WEBHOOK_TOLERANCE") or DEFAULT_WEBHOOK_TOLERANCE
        ),
        "STRIPE_LIVE_MODE": secret.startswith(("sk_live_", "rk_live_")),
        # dj-stripe: foreign keys to Stripe objects use Stripe's ids (new installs).
        "DJSTRIPE_FOREIGN_KEY_TO_FIELD": "id",
    }
    if source.get("STRIPE_API_HOST"):
        result["STRIPE_API_HOST"] = source["STRIPE_API_HOST"].rstrip("/")
    return result
