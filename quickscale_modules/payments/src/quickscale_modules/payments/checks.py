"""System checks: Stripe keys present before deploying, live keys not used while debugging.

A missing key is a deploy check (``manage.py check --deploy``), not a start-up error,
so an image can be built and migrated without secrets; a live key with DEBUG on is
reported by every ``check`` (and by runserver), since that is how real cards get
charged from a laptop.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from quickscale_modules.payments.settings import KEY_VARIABLES

_PREFIXES = {
    "STRIPE_SECRET_KEY": ("sk_", "rk_"),
    "STRIPE_PUBLISHABLE_KEY": ("pk_",),
    "STRIPE_WEBHOOK_SECRET": ("whsec_",),
}


def _mode(key: str) -> str | None:
    """'live' or 'test' for an API key (sk_live_…, pk_test_…), else None."""
    parts = key.split("_")
    return parts[1] if len(parts) > 2 and parts[1] in ("live", "test") else None


@checks.register(checks.Tags.security, deploy=True)
def check_keys_for_deployment(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """With DEBUG off every key must be set, well-formed, and of one mode."""
    if settings.DEBUG:
        return []
    messages: list[checks.CheckMessage] = []
    missing = [name for name in KEY_VARIABLES if not getattr(settings, name, "")]
    if missing:
        messages.append(
            checks.Error(
                f"payments: Stripe needs {', '.join(missing)} when DEBUG is off.",
                hint=(
                    "Set them as environment variables: the API keys from the Stripe "
                    "Dashboard (Developers > API keys) and the webhook endpoint's signing "
                    "secret (whsec_…); see quickscale_modules/payments/README.md."
                ),
                id="quickscale_payments.E001",
            )
        )
    for name, prefixes in _PREFIXES.items():
        value = getattr(settings, name, "")
        if value and not value.startswith(prefixes):
            messages.append(
                checks.Error(
                    f"payments: {name} does not look like a Stripe key "
                    f"(expected it to start with {' or '.join(prefixes)}).",
                    hint=f"Copy {name} again from the Stripe Dashboard.",
                    id="quickscale_payments.E002",
                )
            )
    secret_mode = _mode(getattr(settings, "STRIPE_SECRET_KEY", ""))
    public_mode = _mode(getattr(settings, "STRIPE_PUBLISHABLE_KEY", ""))
    if secret_mode and public_mode and secret_mode != public_mode:
        messages.append(
            checks.Error(
                f"payments: STRIPE_SECRET_KEY is a {secret_mode} key but "
                f"STRIPE_PUBLISHABLE_KEY is a {public_mode} key.",
                hint="Use both keys of the same mode (both live, or both test).",
                id="quickscale_payments.E003",
            )
        )
    return messages


@checks.register(checks.Tags.security)
def check_live_keys_while_debugging(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Live keys with DEBUG on: a development machine that charges real cards."""
    if not settings.DEBUG:
        return []
    live = [
        name
        for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY")
        if _mode(getattr(settings, name, "")) == "live"
    ]
    if not live:
        return []
    verb = "is a live key" if len(live) == 1 else "are live keys"
    return [
        checks.Warning(
            f"payments: {' and '.join(live)} {verb} while DEBUG is on: "
            "payments here charge real cards.",
            hint="Use the test keys (sk_test_…, pk_test_…) in development.",
            id="quickscale_payments.W001",
        )
    ]
