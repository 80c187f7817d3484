"""A small OpenID Connect provider on loopback, for the social-login tests.

It is real enough for allauth to talk to over HTTP: discovery, an authorization endpoint
that approves at once (the user is whoever the test says), the token endpoint (the
client's secret, the one-time code, PKCE's verifier), ID tokens signed RS256 with PyJWT
and published as a JWKS, and userinfo. A test can make the next ID token carry another
nonce, to see the site refuse it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_ID = "qs-test-key"


@dataclass
class Grant:
    """What an authorization code stands for until the token endpoint redeems it."""

    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    claims: dict[str, Any]


@dataclass
class Provider:
    """The provider's state: its client, the signed-in user, codes and tokens issued."""

    client_id: str
    client_secret: str
    user: dict[str, Any] = field(default_factory=dict)
    nonce_override: str | None = None  # the next ID token carries this nonce instead
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    issuer: str = ""

    def configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict[str, str]) -> str:
        """The redirect back to the client: a code and the client's own state."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            raise ValueError("unknown client or response type")
        code = secrets.token_urlsafe(16)
        self.codes[code] = Grant(
            self.client_id,
            query["redirect_uri"],
            query.get("nonce"),
            query.get("code_challenge"),
            dict(self.user),
        )
        params = {"code": code, "state": query.get("state", "")}
        return f"{query['redirect_uri']}?{urlencode(params)}"

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("client_secret") != self.client_secret:
            raise ValueError("invalid_grant")
        if (
            form.get("client_id") != grant.client_id
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            raise ValueError("invalid_grant")
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if digest.decode() != grant.challenge:
                raise ValueError("invalid_grant")
        now = int(time.time())
        claims = {
            **grant.claims,
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
        }
        nonce = self.nonce_override if self.nonce_override is not None else grant.nonce
        if nonce is not None:
            claims["nonce"] = nonce
        self.nonce_override = None
        access = secrets.token_urlsafe(16)
        self.tokens[access] = dict(grant.claims)
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.configuration())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                try:
                    location = provider.authorize(query)
                except (KeyError, ValueError) as error:
                    self._json(400, {"error": str(error)})
                    return
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                claims = provider.tokens.get(token)
                if claims is None:
                    self._json(401, {"error": "invalid_token"})
                else:
                    self._json(200, claims)
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            try:
                self._json(200, provider.token(form))
            except ValueError as error:
                self._json(400, {"error": str(error)})

    return Handler


class OIDCServer:
    """The provider served on 127.0.0.1:``port`` from a daemon thread."""

    def __init__(self, provider: Provider, port: int) -> None:
        self.provider = provider
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(provider))
        provider.issuer = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> OIDCServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
