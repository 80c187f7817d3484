"""Account helpers that themes and projects call directly (no HTTP API).

They work with any AUTH_USER_MODEL: usernames are filled in by allauth's adapter
only when the user model has a username field.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import user_email
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest


def normalize_email(email: str) -> str:
    """allauth stores and matches addresses lower-cased; so do we."""
    cleaned = (email or "").strip().lower()
    if "@" not in cleaned:
        raise ValueError(f"not an email address: {email!r}")
    return cleaned


def get_user_by_email(email: str) -> Any | None:
    """The user owning `email` (verified or not), or None."""
    address = (
        EmailAddress.objects.filter(email__iexact=normalize_email(email))
        .select_related("user")
        .first()
    )
    if address is not None:
        return address.user
    User = get_user_model()
    field = User.get_email_field_name()
    return User._default_manager.filter(**{f"{field}__iexact": normalize_email(email)}).first()


@transaction.atomic
def get_or_create_user_by_email(
    email: str, *, password: str | None = None, verified: bool = False
) -> tuple[Any, bool]:
    """Return (user, created); a new user gets an allauth EmailAddress as primary.

    `verified=True` is for addresses proven elsewhere (e.g. an invitation link);
    without a password the user must set one through password reset.
    """
    address = normalize_email(email)
    existing = get_user_by_email(address)
    if existing is not None:
        return existing, False
    adapter = get_adapter()
    user = adapter.new_user(None)
    user_email(user, address)
    adapter.populate_username(None, user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=address, primary=True, verified=verified)
    return user, True


def is_verified(user: AbstractBaseUser) -> bool:
    """True when the user's primary email address has been verified."""
    return bool(EmailAddress.objects.filter(user=user, primary=True, verified=True).exists())


def send_verification_email(request: HttpRequest, user: AbstractBaseUser) -> bool:
    """(Re)send the verification link for the primary address; False if already verified.

    `request` gives the link its scheme and host (and allauth's email context).
    """
    address = EmailAddress.objects.get_primary(user)
    if address is None:
        email = user_email(user)
        if not email:
            raise ValueError("user has no email address to verify")
        address = EmailAddress.objects.create(
            user=user, email=normalize_email(email), primary=True, verified=False
        )
    if address.verified:
        return False
    with allauth_context.request_context(request):
        address.send_confirmation(request)
    return True
