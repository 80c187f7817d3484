"""Social login against a real OpenID Connect provider on loopback (oidc_server.py).

Runs inside test_social.py's social-enabled subprocess (settings.py turns on
quickscale.yml's `social` option with openid_connect pointed at QS_AUTH_OIDC_URL). Each
walk is the real one: the site's redirect to the provider, the provider's redirect back
with a code, allauth's code exchange and userinfo call over HTTP, the account.
"""

from __future__ import annotations

import http.client
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from oidc_server import OIDCServer, Provider

pytestmark = [pytest.mark.social_inner, pytest.mark.django_db]

LOGIN = "/accounts/oidc/sso/login/"
CALLBACK = "/accounts/oidc/sso/login/callback/"
PROFILE = "/accounts/profile/"


@pytest.fixture(scope="module")
def served() -> Iterator[Provider]:
    provider = Provider(
        os.environ["OPENID_CONNECT_CLIENT_ID"], os.environ["OPENID_CONNECT_CLIENT_SECRET"]
    )
    port = int(urlsplit(os.environ["QS_AUTH_OIDC_URL"]).port or 0)
    with OIDCServer(provider, port):
        yield provider


@pytest.fixture
def idp(served: Provider) -> Provider:
    """The provider, with no code or token left from another test."""
    served.codes.clear()
    served.tokens.clear()
    served.nonce_override = None
    return served


def leave_for_provider(client: Client) -> str:
    """Press the provider's button on the login page: the site sends the browser away."""
    response = client.post(LOGIN)
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


def provider_redirect(url: str) -> str:
    """What the provider answers the browser at its authorization URL: a redirect back."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        answer = connection.getresponse()
        assert answer.status == 302, answer.read()[:500]
        return str(answer.getheader("Location"))
    finally:
        connection.close()


def come_back(client: Client, url: str) -> object:
    parts = urlsplit(url)
    assert parts.path == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def test_login_walks_to_a_new_account(client: Client, idp: Provider, two_languages: Any) -> None:
    """A new account by social login keeps the language of the browser that signed up."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    idp.user = {"sub": "grace-1", "email": "grace@example.com", "email_verified": True}
    assert b"Acme ID" in client.get("/accounts/login/").content
    authorize = leave_for_provider(client)
    parts = urlsplit(authorize)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}" == idp.issuer
    assert query["client_id"] == idp.client_id
    assert query["redirect_uri"] == f"http://testserver{CALLBACK}"
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    assert query["state"] and query["nonce"]
    assert query["code_challenge_method"] == "S256"  # PKCE: a stolen code is worthless

    response = come_back(client, provider_redirect(authorize))

    assert response.status_code == 302, response.content[:800]  # type: ignore[attr-defined]
    assert response["Location"] == PROFILE  # type: ignore[index]
    user = get_user_model().objects.get(email="grace@example.com")
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("sso", "grace-1")
    assert user.language == "es"
    assert EmailAddress.objects.get(user=user).verified  # the provider vouched for it
    assert client.get(PROFILE).status_code == 200  # signed in
    assert not idp.codes  # the code was redeemed, once


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda q: {**q, "state": "forged-state"}, id="state-forged"),
        pytest.param(lambda q: {k: v for k, v in q.items() if k != "state"}, id="state-missing"),
    ],
)
def test_callback_with_a_state_this_browser_did_not_send_is_refused(
    client: Client, idp: Provider, tamper: object
) -> None:
    idp.user = {"sub": "mallory-1", "email": "mallory@example.com", "email_verified": True}
    back = urlsplit(provider_redirect(leave_for_provider(client)))
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    response = client.get(f"{CALLBACK}?{urlencode(tamper(query))}")  # type: ignore[operator]
    assert_refused(client, response, "mallory@example.com")
    assert idp.codes  # the code was never sent to the token endpoint


def test_callback_in_another_browser_is_refused(client: Client, idp: Provider) -> None:
    """A login started in one browser cannot be finished in another (login CSRF)."""
    idp.user = {"sub": "mallory-2", "email": "mallory2@example.com", "email_verified": True}
    back = provider_redirect(leave_for_provider(client))
    other = Client()
    response = come_back(other, back)
    assert_refused(other, response, "mallory2@example.com")


def test_id_token_with_another_nonce_is_refused(client: Client, idp: Provider) -> None:
    idp.user = {"sub": "replay-1", "email": "replay@example.com", "email_verified": True}
    idp.nonce_override = "a-nonce-from-another-login"
    response = come_back(client, provider_redirect(leave_for_provider(client)))
    assert_refused(client, response, "replay@example.com")
    assert not idp.codes  # this time the code was exchanged: the ID token was refused


def test_email_of_a_local_account_does_not_sign_in_as_it(client: Client, idp: Provider) -> None:
    """Someone who controls an identity at the provider with a local user's address is not
    signed in as that user, and the provider's identity is not attached to the account."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    ada = get_user_model().objects.create_user(
        username="ada", email="ada@example.com", password="local-password-1"
    )
    EmailAddress.objects.create(user=ada, email="ada@example.com", verified=True, primary=True)
    idp.user = {"sub": "not-ada", "email": "ada@example.com", "email_verified": True}

    response = come_back(client, provider_redirect(leave_for_provider(client)))

    assert not SocialAccount.objects.filter(user=ada).exists()
    assert get_user_model().objects.filter(email__iexact="ada@example.com").count() == 1
    assert "_auth_user_id" not in client.session
    # The page says what any sign-up says (no account enumeration); the address's owner
    # is the one told, by mail, that an account exists.
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = client.get(response["Location"])  # type: ignore[index]
    assert b"Verify Your Email Address" in page.content
    (sent,) = mail.outbox
    assert sent.to == ["ada@example.com"]
    assert "already" in sent.body.lower(), sent.body


def assert_refused(client: Client, response: object, email: str) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "Third-Party Login Failure" in body, body[:800]
    assert not get_user_model().objects.filter(email=email).exists()
    assert "_auth_user_id" not in client.session
