"""The settings helpers a generated project calls."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from quickscale_modules.auth import settings as qs_auth


def test_defaults_are_secure() -> None:
    result = qs_auth.allauth_settings()
    assert result["ACCOUNT_LOGIN_METHODS"] == {"email"}
    assert result["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert result["ACCOUNT_SIGNUP_FIELDS"] == ["email*", "password1*", "password2*"]
    assert result["ACCOUNT_RATE_LIMITS"]["login_failed"] == "10/60s/ip,5/300s/key"
    assert result["ACCOUNT_RATE_LIMITS"]["login"] == "30/60s/ip"
    assert result["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    assert result["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
    assert not any(key.startswith("SOCIALACCOUNT") for key in result)


def test_debug_links_use_http_and_overrides_win() -> None:
    result = qs_auth.allauth_settings(
        debug=True, email_verification="optional", ACCOUNT_EMAIL_SUBJECT_PREFIX="[Acme] "
    )
    assert result["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "http"
    assert result["ACCOUNT_EMAIL_VERIFICATION"] == "optional"
    assert result["ACCOUNT_EMAIL_SUBJECT_PREFIX"] == "[Acme] "


def test_login_limits_follow_the_project_s_failure_limit_and_lockout_window() -> None:
    result = qs_auth.allauth_settings(
        login_failure_limit=3, login_lockout_seconds=900, trusted_proxy_count=1
    )
    limits = result["ACCOUNT_RATE_LIMITS"]
    # 3 per account per 15 minutes; per address twice that, and 30 requests, per minute
    assert limits["login_failed"] == "6/60s/ip,3/900s/key"
    assert limits["login"] == "30/60s/ip"
    assert limits["signup"] == qs_auth.RATE_LIMITS["signup"]  # the others are unchanged
    assert result["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    # A window shorter than a minute bounds every login limit: none outlasts it.
    short = qs_auth.login_rate_limits(5, 4)
    assert short == {"login_failed": "10/4s/ip,5/4s/key", "login": "30/4s/ip"}
    with pytest.raises(ImproperlyConfigured, match=">= 1"):
        qs_auth.login_rate_limits(0, 300)


def test_bad_verification_mode_is_a_clear_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="mandatory, optional, none"):
        qs_auth.allauth_settings(email_verification="sometimes")


def test_social_providers_are_off_by_default_and_configured_from_env() -> None:
    assert "allauth.socialaccount" not in qs_auth.installed_apps()
    apps = qs_auth.installed_apps(["google", "github"])
    assert apps[:3] == ["quickscale_modules.auth", "allauth", "allauth.account"]
    assert apps[3:] == [
        "allauth.socialaccount",
        "allauth.socialaccount.providers.google",
        "allauth.socialaccount.providers.github",
    ]
    env = {"GOOGLE_CLIENT_ID": "gid", "GOOGLE_CLIENT_SECRET": "gsecret"}
    result = qs_auth.allauth_settings(social_providers={"google": {"SCOPE": ["email"]}}, env=env)
    google = result["SOCIALACCOUNT_PROVIDERS"]["google"]
    assert google["SCOPE"] == ["email"]
    assert google["APPS"] == [{"client_id": "gid", "secret": "gsecret", "key": ""}]


def test_social_provider_without_credentials_names_the_env_vars() -> None:
    with pytest.raises(ImproperlyConfigured) as err:
        qs_auth.allauth_settings(social_providers={"github": {}}, env={"GITHUB_CLIENT_ID": "x"})
    assert "GITHUB_CLIENT_SECRET" in str(err.value)
    assert "GITHUB_CLIENT_ID" not in str(err.value)


def test_module_templates_take_precedence_over_allauths() -> None:
    """Our app must come before allauth in INSTALLED_APPS, or allauth's bare layout wins."""
    apps = list(settings.INSTALLED_APPS)
    assert apps.index("quickscale_modules.auth") < apps.index("allauth")
    assert settings.MIDDLEWARE[-1] == "allauth.account.middleware.AccountMiddleware"
