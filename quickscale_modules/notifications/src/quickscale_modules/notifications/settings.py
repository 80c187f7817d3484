"""Email settings for a project's settings.py, built from the environment.

A generated project calls `email_settings(...)` once and merges the result into its
module globals, so the choice of provider lives in quickscale.yml (written into the
call by `quickscale generate`) while secrets stay in the environment. Missing secrets
in production raise ImproperlyConfigured while settings load, i.e. at start-up, not on
the first email a customer triggers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from quickscale_modules.notifications.providers import (
    CONSOLE,
    DEFAULT_PROVIDER,
    PROVIDER_NAMES,
    PROVIDERS,
    SMTP,
)

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

#: Lets a developer point any environment at another provider (e.g. "smtp" for a local
#: mail catcher) without editing settings.py.
PROVIDER_OVERRIDE_ENV = "EMAIL_PROVIDER"

_TRUE = {"1", "true", "yes", "on"}


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


def _smtp_settings(env: Mapping[str, str]) -> dict[str, Any]:
    port = env.get("EMAIL_PORT", "25")
    try:
        port_number = int(port)
    except ValueError:
        raise ImproperlyConfigured(
            f"notifications: EMAIL_PORT must be a number, got {port!r}; "
            "set EMAIL_PORT to the SMTP server's port (e.g. 587)."
        ) from None
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": env.get("EMAIL_HOST", "localhost"),
        "EMAIL_PORT": port_number,
        "EMAIL_HOST_USER": env.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": env.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": _flag(env.get("EMAIL_USE_TLS")),
    }


def email_settings(
    provider: str = DEFAULT_PROVIDER,
    env: Mapping[str, str] | None = None,
    debug: bool = False,
) -> dict[str, Any]:
    """Return EMAIL_BACKEND (and ANYMAIL, or SMTP settings) for `provider`.

    - `debug=True`: the console backend, so development never needs credentials
      (unless the provider is "smtp", the local-testing option, which is honoured).
    - `EMAIL_PROVIDER` in `env` overrides `provider` (e.g. "smtp" or "console").
    - Otherwise the anymail backend; every required credential must be in `env`,
      else ImproperlyConfigured names the variable to set.

    DEFAULT_FROM_EMAIL / SERVER_EMAIL are included when set in `env`.
    """
    source: Mapping[str, str] = os.environ if env is None else env
    chosen = (source.get(PROVIDER_OVERRIDE_ENV) or provider).strip().lower()
    if chosen not in PROVIDER_NAMES:
        raise ImproperlyConfigured(
            f"notifications: unknown email provider {chosen!r}; "
            f"use one of: {', '.join(PROVIDER_NAMES)}."
        )

    result: dict[str, Any] = {}
    for name in ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL"):
        if source.get(name):
            result[name] = source[name]

    if chosen == SMTP:
        result.update(_smtp_settings(source))
        return result
    if chosen == CONSOLE or debug:
        result["EMAIL_BACKEND"] = CONSOLE_BACKEND
        return result

    spec = PROVIDERS[chosen]
    missing = [var for var in spec.required if not source.get(var)]
    if missing:
        names = " and ".join(missing)
        raise ImproperlyConfigured(
            f"notifications: email provider {chosen!r} needs the environment variable "
            f"{names}; set it (see .env.example), or set DEBUG=true to print emails "
            "to the console instead."
        )
    anymail: dict[str, str] = {key: source[var] for var, key in spec.required.items()}
    anymail.update({key: source[var] for var, key in spec.optional.items() if source.get(var)})
    result["EMAIL_BACKEND"] = spec.backend
    result["ANYMAIL"] = anymail
    return result


#: INSTALLED_APPS entries the module needs, in order.
INSTALLED_APPS = ["anymail", "quickscale_modules.notifications"]
