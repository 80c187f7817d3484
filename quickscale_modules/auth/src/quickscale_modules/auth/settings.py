"""django-allauth settings for a project's settings.py, secure by default.

`quickscale generate` writes a few lines that call these helpers, so a project gets
email login, mandatory verification and rate limits without copying allauth's
settings by hand, and can still override any key (keyword arguments win).
This module imports no Django code at import time except ImproperlyConfigured.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

#: Our app precedes allauth so its templates (extending the project's base.html)
#: override allauth's; a project's own template DIRS (custom_frontend/) override both.
BASE_INSTALLED_APPS = ["quickscale_modules.auth", "allauth", "allauth.account"]

#: Append after django.contrib.auth.middleware.AuthenticationMiddleware.
MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]

AUTHENTICATION_BACKENDS = [
    # Keeps Django admin / createsuperuser logins by username working.
    "django.contrib.auth.backends.ModelBackend",
    # Email login, rate limiting, verification checks.
    "allauth.account.auth_backends.AuthenticationBackend",
]

#: Failed logins allowed per account, and the lockout window, unless the project's
#: settings say otherwise (QUICKSCALE_LOGIN_FAILURE_LIMIT / _LOCKOUT_SECONDS).
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_SECONDS = 300


def login_rate_limits(failure_limit: int, lockout_seconds: int) -> dict[str, str]:
    """allauth's login limits for ``failure_limit`` failures per ``lockout_seconds``.

    Per account (allauth's "key", the email): ``failure_limit`` attempts per window;
    per client address: twice as many failed attempts, and 30 login requests, per window
    but at most per minute, so one office behind one address is not locked out for long.
    No limit outlasts the window: once it has passed, the right password logs in.
    """
    if failure_limit < 1 or lockout_seconds < 1:
        raise ImproperlyConfigured("auth: the login failure limit and lockout must be >= 1")
    per_ip = min(lockout_seconds, 60)
    return {
        "login_failed": f"{2 * failure_limit}/{per_ip}s/ip,{failure_limit}/{lockout_seconds}s/key",
        "login": f"30/{per_ip}s/ip",
    }


#: Tighter than allauth's defaults where brute force matters: 5 failed logins per
#: email per 5 minutes, 10 per minute per IP.
RATE_LIMITS: dict[str, str] = {
    **login_rate_limits(LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_SECONDS),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}

VERIFICATION_MODES = ("mandatory", "optional", "none")


def installed_apps(social_providers: Iterable[str] = ()) -> list[str]:
    """INSTALLED_APPS entries, in order; social apps only when providers are enabled."""
    apps = list(BASE_INSTALLED_APPS)
    providers = list(social_providers)
    if providers:
        apps.append("allauth.socialaccount")
        apps.extend(f"allauth.socialaccount.providers.{name}" for name in providers)
    return apps


#: allauth's generic OpenID Connect provider, and the id of its one app here: its
#: pages are /accounts/oidc/sso/login/ and .../login/callback/.
OPENID_CONNECT = "openid_connect"
OIDC_APP_ID = "sso"


def social_provider_settings(
    social: Mapping[str, Mapping[str, Any] | None],
) -> dict[str, dict[str, Any]]:
    """allauth's per-provider settings (credentials aside) from quickscale.yml's
    ``social`` option: ``scope`` -> SCOPE, ``auth_params`` -> AUTH_PARAMS; for
    openid_connect, its app's ``server_url`` and ``name`` (the button's label)."""
    result: dict[str, dict[str, Any]] = {}
    for provider, given in social.items():
        options = given or {}
        entry: dict[str, Any] = {}
        if "scope" in options:
            entry["SCOPE"] = list(options["scope"])
        if "auth_params" in options:
            entry["AUTH_PARAMS"] = dict(options["auth_params"])
        if provider == OPENID_CONNECT:
            entry["APP"] = {
                "provider_id": OIDC_APP_ID,
                "name": options.get("name", "Single sign-on"),
                # PKCE as well as the client secret: an intercepted code is useless.
                "settings": {"server_url": options["server_url"], "oauth_pkce_enabled": True},
            }
        result[provider] = entry
    return result


#: Providers whose allauth app needs more than a client id and a secret, and the suffixes
#: of the variables holding it (`<ID>_KEY`...; the manifest's keys.env-of, kept equal by
#: tests/test_social_registry.py): allauth's `key` (Apple's team id, Odnoklassniki's
#: public key, Stack Exchange's and Trello's API key) and Apple's private key
#: (`certificate_key`; for Apple, `<ID>_CLIENT_SECRET` is that key's id).
EXTRA_CREDENTIALS: Mapping[str, tuple[str, ...]] = {
    "apple": ("KEY", "CERTIFICATE_KEY"),
    "odnoklassniki": ("KEY",),
    "stackexchange": ("KEY",),
    "trello": ("KEY",),
}


def _named(variables: list[str]) -> str:
    return " and ".join([", ".join(variables[:-1]), variables[-1]] if variables[1:] else variables)


def _social_settings(
    providers: Mapping[str, Mapping[str, Any]], env: Mapping[str, str], debug: bool
) -> dict[str, Any]:
    """SOCIALACCOUNT_PROVIDERS with each app's credentials read from the environment;
    an ``APP`` entry of a provider's settings adds to its app (openid_connect's id,
    name and server). A missing credential stops the site, except with ``debug`` on,
    where manage.py (migrate, the tests) runs without them and the provider refuses."""
    configured: dict[str, Any] = {}
    for name, options in providers.items():
        prefix = name.upper()
        client_var, secret_var = f"{prefix}_CLIENT_ID", f"{prefix}_CLIENT_SECRET"
        extra = {part: f"{prefix}_{part}" for part in EXTRA_CREDENTIALS.get(name, ())}
        needed = [client_var, secret_var, *extra.values()]
        missing = [var for var in needed if not env.get(var)]
        if missing and not debug:
            raise ImproperlyConfigured(
                f"auth: social provider {name!r} needs the environment variable "
                f"{_named(missing)}; set it, or remove {name!r} from social_providers."
            )
        entry = dict(options)
        app: dict[str, Any] = {
            "client_id": env.get(client_var, ""),
            "secret": env.get(secret_var, ""),
            "key": env.get(extra.get("KEY", ""), ""),
        }
        if "CERTIFICATE_KEY" in extra:
            # A PEM key kept on one line (most hosts' variables) has its newlines as \n.
            pem = env.get(extra["CERTIFICATE_KEY"], "").replace("\\n", "\n")
            app["settings"] = {"certificate_key": pem}
        entry["APPS"] = [{**app, **entry.pop("APP", {})}]
        configured[name] = entry
    return {
        "SOCIALACCOUNT_PROVIDERS": configured,
        # Social sign-ups still verify email unless the provider vouches for it.
        "SOCIALACCOUNT_EMAIL_AUTHENTICATION": False,
        "SOCIALACCOUNT_LOGIN_ON_GET": False,
        "SOCIALACCOUNT_ADAPTER": "quickscale_modules.auth.social.SocialAccountAdapter",
    }


def allauth_settings(
    *,
    debug: bool = False,
    email_verification: str = "mandatory",
    social_providers: Mapping[str, Mapping[str, Any]] | None = None,
    env: Mapping[str, str] | None = None,
    login_failure_limit: int = LOGIN_FAILURE_LIMIT,
    login_lockout_seconds: int = LOGIN_LOCKOUT_SECONDS,
    trusted_proxy_count: int = 0,
    **overrides: Any,
) -> dict[str, Any]:
    """Settings (ACCOUNT_*, LOGIN_*, optional SOCIALACCOUNT_*) to merge into globals().

    - Login by email only; sign-up asks for email and password twice.
    - `email_verification` is "mandatory" by default: unverified users cannot log in.
    - Rate limits on (see RATE_LIMITS); they need a shared cache in production. The
      login limits follow `login_failure_limit` / `login_lockout_seconds`.
    - `trusted_proxy_count`: how many proxies of the site's own write X-Forwarded-For
      (0: the client address is the TCP peer; a forged header changes nothing).
    - Social providers are off unless `social_providers` names some, e.g.
      `{"google": {"SCOPE": ["email"]}}`; their credentials come from
      `<NAME>_CLIENT_ID` / `<NAME>_CLIENT_SECRET` in `env` (required unless `debug`).
    - Any ACCOUNT_*/LOGIN_* key passed as keyword argument replaces ours.
    """
    if email_verification not in VERIFICATION_MODES:
        raise ImproperlyConfigured(
            f"auth: email_verification must be one of {', '.join(VERIFICATION_MODES)}, "
            f"got {email_verification!r}."
        )
    source: Mapping[str, str] = os.environ if env is None else env
    result: dict[str, Any] = {
        "ACCOUNT_LOGIN_METHODS": {"email"},
        "ACCOUNT_SIGNUP_FIELDS": ["email*", "password1*", "password2*"],
        "ACCOUNT_UNIQUE_EMAIL": True,
        "ACCOUNT_EMAIL_VERIFICATION": email_verification,
        "ACCOUNT_CONFIRM_EMAIL_ON_GET": False,  # a link prefetcher must not verify
        "ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION": False,
        "ACCOUNT_CHANGE_EMAIL": True,  # one address per user, changed via verification
        "ACCOUNT_EMAIL_NOTIFICATIONS": True,  # tell users when password/email changes
        "ACCOUNT_RATE_LIMITS": {
            **RATE_LIMITS,
            **login_rate_limits(login_failure_limit, login_lockout_seconds),
        },
        "ALLAUTH_TRUSTED_PROXY_COUNT": trusted_proxy_count,
        "ACCOUNT_PREVENT_ENUMERATION": True,
        "ACCOUNT_SESSION_REMEMBER": None,  # show "Remember me"
        "ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE": False,
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http" if debug else "https",
        "ACCOUNT_ADAPTER": "quickscale_modules.auth.adapter.AccountAdapter",
        "LOGIN_URL": "account_login",
        "LOGIN_REDIRECT_URL": "quickscale_auth:account",
        "ACCOUNT_LOGOUT_REDIRECT_URL": "/",
    }
    if social_providers:
        result.update(_social_settings(social_providers, source, debug))
    result.update(overrides)
    return result
