"""The auth module's settings, resolved by its app when Django loads it.

allauth's ACCOUNT_* settings (email login, mandatory verification, rate limits that
follow core's QUICKSCALE_LOGIN_FAILURE_LIMIT / _LOCKOUT_SECONDS) and the authentication
backends are defaults here, as allauth's own app_settings give defaults for its names:
a project's settings.py that assigns one of these names wins (quickscale_core.app_settings).
"""

from __future__ import annotations

from typing import Any

from quickscale_modules.auth.settings import (
    AUTHENTICATION_BACKENDS,
    LOGIN_FAILURE_LIMIT,
    LOGIN_LOCKOUT_SECONDS,
    allauth_settings,
    social_provider_settings,
)

from quickscale_modules.auth import mfa


def defaults(settings: Any) -> dict[str, Any]:
    """The module's defaults, from the project's settings (DEBUG, the login limits)."""
    values = allauth_settings(
        debug=settings.DEBUG,
        login_failure_limit=getattr(
            settings, "QUICKSCALE_LOGIN_FAILURE_LIMIT", LOGIN_FAILURE_LIMIT
        ),
        login_lockout_seconds=getattr(
            settings, "QUICKSCALE_LOGIN_LOCKOUT_SECONDS", LOGIN_LOCKOUT_SECONDS
        ),
        trusted_proxy_count=getattr(settings, "QUICKSCALE_TRUSTED_PROXY_COUNT", 0),
        social_providers=social_provider_settings(getattr(settings, "QUICKSCALE_AUTH_SOCIAL", {})),
    )
    values["AUTHENTICATION_BACKENDS"] = list(AUTHENTICATION_BACKENDS)
    site = getattr(settings, "QUICKSCALE_SITE_NAME", "")
    if site:
        values["ACCOUNT_EMAIL_SUBJECT_PREFIX"] = f"[{site}] "
    factors = mfa.factors_for(
        getattr(settings, "QUICKSCALE_AUTH_MFA", ()),
        getattr(settings, "QUICKSCALE_AUTH_MFA_REQUIRED", "nobody"),
    )
    values.update(mfa.mfa_settings(factors, site))
    return values
