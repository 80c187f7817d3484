"""The notifications module's settings, resolved by its app when Django loads it.

The project's settings.py names the provider (QUICKSCALE_EMAIL_PROVIDER, from
quickscale.yml; EMAIL_PROVIDER overrides it where the site runs) and routes mail through
the module (EMAIL_BACKEND = the task backend). From the provider and the environment, as
before (settings.email_settings), the app sets the backend that delivers
(NOTIFICATIONS_DELIVERY_BACKEND) and its credentials (ANYMAIL, or EMAIL_HOST and the
rest for smtp): missing credentials with DEBUG off stop the start-up with one message
naming the variable. A name the project's settings set wins (quickscale_core.app_settings).
"""

from __future__ import annotations

import os
from typing import Any

from quickscale_modules.notifications.settings import email_settings

#: anymail 15 no longer officially supports SendGrid (anymail.W003): it still works, and
#: the project chose it. Another provider drops the silencing.
SENDGRID_WARNING = "anymail.W003"
#: Set from the environment over the base settings' values, as before: the operator's
#: DEFAULT_FROM_EMAIL / SERVER_EMAIL where the site runs.
FROM_ENVIRONMENT = ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL")


def defaults(settings: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(defaults, values the environment forces): nothing without a chosen provider."""
    provider = getattr(settings, "QUICKSCALE_EMAIL_PROVIDER", "")
    if not provider:
        return {}, {}
    values = email_settings(provider=provider, env=os.environ, debug=settings.DEBUG)
    forced = {name: values.pop(name) for name in FROM_ENVIRONMENT if name in values}
    values["NOTIFICATIONS_DELIVERY_BACKEND"] = values.pop("EMAIL_BACKEND")
    chosen = (os.environ.get("EMAIL_PROVIDER") or provider).strip().lower()
    silenced = list(getattr(settings, "SILENCED_SYSTEM_CHECKS", []))
    if chosen == "sendgrid" and SENDGRID_WARNING not in silenced:
        forced["SILENCED_SYSTEM_CHECKS"] = [*silenced, SENDGRID_WARNING]
    return values, forced
