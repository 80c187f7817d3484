"""quickscale.yml's `social` option as allauth's settings (no Django app needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from quickscale_testing.modules import unavailable

from quickscale_modules.auth import settings as qs_auth

OIDC_ENV = {"OPENID_CONNECT_CLIENT_ID": "cid", "OPENID_CONNECT_CLIENT_SECRET": "csecret"}


@pytest.mark.parametrize(
    ("social", "expected"),
    [
        ({}, {}),
        ({"google": None}, {"google": {}}),
        ({"google": {}}, {"google": {}}),
        (
            {"github": {"scope": ["user:email"], "auth_params": {"allow_signup": "false"}}},
            {"github": {"SCOPE": ["user:email"], "AUTH_PARAMS": {"allow_signup": "false"}}},
        ),
        (
            {"openid_connect": {"server_url": "https://id.acme.com", "name": "Acme ID"}},
            {
                "openid_connect": {
                    "APP": {
                        "provider_id": "sso",
                        "name": "Acme ID",
                        "settings": {
                            "server_url": "https://id.acme.com",
                            "oauth_pkce_enabled": True,
                        },
                    }
                }
            },
        ),
    ],
)
def test_the_option_becomes_allauths_provider_settings(
    social: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert qs_auth.social_provider_settings(social) == expected


def test_openid_connect_gets_its_app_id_server_and_credentials() -> None:
    providers = qs_auth.social_provider_settings(
        {"openid_connect": {"server_url": "https://id.acme.com"}}
    )
    result = qs_auth.allauth_settings(social_providers=providers, env=OIDC_ENV)
    (app,) = result["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]
    assert app == {
        "client_id": "cid",
        "secret": "csecret",
        "key": "",
        "provider_id": "sso",
        "name": "Single sign-on",
        "settings": {"server_url": "https://id.acme.com", "oauth_pkce_enabled": True},
    }
    assert result["SOCIALACCOUNT_ADAPTER"] == "quickscale_modules.auth.social.SocialAccountAdapter"


@pytest.mark.parametrize("debug", [False, True])
def test_missing_credentials_stop_only_a_site_with_debug_off(debug: bool) -> None:
    """In production the site refuses to start; in development manage.py (migrate, the
    tests) still runs, and the provider itself refuses the empty client id."""
    call = lambda: qs_auth.allauth_settings(  # noqa: E731
        debug=debug, social_providers={"github": {}}, env={}
    )
    if not debug:
        with pytest.raises(ImproperlyConfigured, match="GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET"):
            call()
        return
    (app,) = call()["SOCIALACCOUNT_PROVIDERS"]["github"]["APPS"]
    assert (app["client_id"], app["secret"]) == ("", "")


APPLE_ENV = {
    "APPLE_CLIENT_ID": "com.acme.signin",  # the Services ID
    "APPLE_CLIENT_SECRET": "KEY1234567",  # the signing key's id
    "APPLE_KEY": "TEAM123456",  # the team id
    "APPLE_CERTIFICATE_KEY": "-----BEGIN PRIVATE KEY-----\\nMIGT\\n-----END PRIVATE KEY-----",
}


def test_apple_gets_its_team_id_and_private_key_from_the_environment() -> None:
    """allauth signs Apple's client secret with `key` (the team id) and the app's
    `certificate_key`; a key kept on one line has its newlines back."""
    result = qs_auth.allauth_settings(social_providers={"apple": {}}, env=APPLE_ENV)
    (app,) = result["SOCIALACCOUNT_PROVIDERS"]["apple"]["APPS"]
    assert app == {
        "client_id": "com.acme.signin",
        "secret": "KEY1234567",
        "key": "TEAM123456",
        "settings": {
            "certificate_key": "-----BEGIN PRIVATE KEY-----\nMIGT\n-----END PRIVATE KEY-----"
        },
    }
    without = {k: v for k, v in APPLE_ENV.items() if not k.startswith("APPLE_C")}
    with pytest.raises(
        ImproperlyConfigured,
        match="'apple' needs the environment variable APPLE_CLIENT_ID, APPLE_CLIENT_SECRET "
        "and APPLE_CERTIFICATE_KEY;",
    ):
        qs_auth.allauth_settings(social_providers={"apple": {}}, env=without)


@pytest.mark.parametrize(
    ("entry", "errors"),
    [
        (
            "github: {scope: [user:email]}\n      openid_connect: {server_url: https://id.acme.com}",
            [],
        ),
        (
            "githb: {}",
            [
                "quickscale.yml:7:7: error: modules.auth.social.githb: unknown key 'githb' in "
                "'modules.auth.social' — did you mean 'github'?"
            ],
        ),
        (
            "qqqzzz: {}",
            [
                "quickscale.yml:7:7: error: modules.auth.social.qqqzzz: unknown key 'qqqzzz' in "
                "'modules.auth.social' — use one of the 105 listed by 'quickscale components auth'"
            ],
        ),
        (
            "okta: {}",
            [
                "quickscale.yml:7:7: error: modules.auth.social.okta: 'okta' in "
                "'modules.auth.social' sends users to a server each project names (its own "
                "domain or tenant), which the social option cannot set — use openid_connect "
                "with the server's issuer as server_url"
            ],
        ),
        (
            "openid_connect: {server_url: http://id.acme.com}",
            [
                "quickscale.yml:7:36: error: modules.auth.social.openid_connect.server_url: "
                "'http://id.acme.com' is not an issuer: an https:// address on a dotted host "
                "name, e.g. https://id.example.com — give the provider's issuer; its "
                "/.well-known/openid-configuration is read"
            ],
        ),
        (  # a host the Content-Security-Policy could not name as an origin
            "openid_connect: {server_url: 'https://sso/realms/acme'}",
            [
                "quickscale.yml:7:36: error: modules.auth.social.openid_connect.server_url: "
                "'https://sso/realms/acme' is not an issuer: an https:// address on a dotted "
                "host name, e.g. https://id.example.com — give the provider's issuer; its "
                "/.well-known/openid-configuration is read"
            ],
        ),
        (
            "github: {client_secret: s3cret}",
            [
                "quickscale.yml:7:16: error: modules.auth.social.github.client_secret: unknown "
                "key 'client_secret' in 'modules.auth.social.github' — remove it; allowed here: "
                "'auth_params', 'scope'"
            ],
        ),
    ],
)
def test_quickscale_validate_locates_a_bad_social_option(
    tmp_path: Path, entry: str, errors: list[str]
) -> None:
    """The real CLI on a project's quickscale.yml: one located line per bad value, and a
    secret has no place there."""
    cli = Path(sys.executable).parent / "quickscale"
    if not cli.exists():
        unavailable(f"{cli} is not installed (the quickscale CLI)")
    (tmp_path / "quickscale.yml").write_text(
        "schema_version: 2\nproject:\n  name: acme\nmodules:\n  auth:\n"
        f"    social:\n      {entry}\n"
    )
    done = subprocess.run(
        [str(cli), "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    found = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert (done.returncode, found) == (1 if errors else 0, errors), done.stderr
