"""The socialaccount adapter of social login (quickscale.yml's ``social`` option).

Imported only when social login is on (``SOCIALACCOUNT_ADAPTER``): the settings side
is settings.py's ``social_provider_settings``, which imports nothing of allauth.

allauth's generic OpenID Connect provider sends no nonce. The adapter adds one to each
authorization request, keeps it in the login's state (in the session), and refuses an ID
token that does not carry it back, so a token replayed from another login is no login.
"""

from __future__ import annotations

import secrets
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest


class NonceOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider, with a fresh nonce in every authorization
    request, kept in the login's state."""

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> Any:
        nonce = secrets.token_urlsafe(24)
        params = kwargs.pop("auth_params", None)
        params = dict(self.get_auth_params() if params is None else params)
        params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=params, nonce=nonce, **kwargs
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's default, with the OpenID Connect nonce sent and checked."""

    def get_provider(self, request: HttpRequest, provider: str, client_id: Any = None) -> Any:
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is OpenIDConnectProvider:
            found.__class__ = NonceOpenIDConnectProvider
        return found

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Refuse an ID token whose nonce is not the one this login sent."""
        expected = (sociallogin.state or {}).get("nonce")
        if expected is not None:
            id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
            if not secrets.compare_digest(str(id_token.get("nonce", "")), expected):
                provider = sociallogin.account.get_provider()
                raise ImmediateHttpResponse(render_authentication_error(request, provider))
        super().pre_social_login(request, sociallogin)
