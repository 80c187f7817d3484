"""The auth module's personal data hooks (its manifest declares the models).

``sample`` fills the generated project's personal-data test with one user's rows of
every declared model whose app the project installs: email addresses always; social
accounts, authenticators and sessions only when those features are on (their apps are
installed then, and a model of an app not installed has no table to fill).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps
from django.utils import timezone


def _tag(user: Any, what: str) -> str:
    """A value unique to ``user`` and ``what`` (keys and ids that must not collide)."""
    return hashlib.sha256(f"{what}-{user.pk}-{user.get_username()}".encode()).hexdigest()


def sample(user: Any) -> None:
    """Example rows of ``user``'s for every installed model the module declares."""
    name = user.get_username()
    email_address = apps.get_model("account", "EmailAddress")._default_manager
    email_address.create(user=user, email=f"{name}@example.com", verified=True, primary=True)
    work = email_address.create(user=user, email=f"{name}@work.example.org")
    apps.get_model("account", "EmailConfirmation")._default_manager.create(
        email_address=work, key=_tag(user, "confirmation")[:64], sent=timezone.now()
    )
    if apps.is_installed("allauth.socialaccount"):
        account = apps.get_model("socialaccount", "SocialAccount")._default_manager.create(
            user=user,
            provider="github",
            uid=str(int(_tag(user, "uid")[:12], 16)),
            extra_data={"login": name, "name": name.title(), "email": f"{name}@example.com"},
        )
        apps.get_model("socialaccount", "SocialToken")._default_manager.create(
            account=account, token=_tag(user, "token"), token_secret=""
        )
    if apps.is_installed("allauth.mfa"):
        apps.get_model("mfa", "Authenticator")._default_manager.create(
            user=user, type="totp", data={"secret": _tag(user, "totp")[:32].upper()}
        )
    if apps.is_installed("allauth.usersessions"):
        apps.get_model("usersessions", "UserSession")._default_manager.create(
            user=user,
            ip="203.0.113.7",
            session_key=_tag(user, "session")[:40],
            user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        )
