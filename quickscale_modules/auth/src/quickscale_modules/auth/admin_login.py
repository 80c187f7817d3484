"""The admin login goes through allauth's, so its rate limits guard it too.

Django's admin has its own login view, which knows nothing of allauth: an attacker
could try passwords there as fast as the server answers. `route_through_allauth`
wraps the default admin site's login with allauth's ``secure_admin_login``: an
anonymous visitor of ``/admin/login/`` (GET or POST) is sent to allauth's login page,
with ``?next=`` back to the admin, and a signed-in user without staff status gets 403.

Because allauth logs users in by verified email, a superuser created with
``manage.py createsuperuser`` gets its email address recorded as verified
(`verify_new_superuser_email`): whoever can run manage.py is already trusted with the
database, and the new administrator can log in at once.
"""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin

_WRAPPED = "_quickscale_auth_secure_login"


def route_through_allauth(site: admin.AdminSite | None = None) -> None:
    """Send ``site``'s login (default: ``admin.site``) through allauth's, once.

    Another AdminSite instance of the project needs the same call.
    """
    site = admin.site if site is None else site
    if getattr(site.login, _WRAPPED, False):
        return
    secured = secure_admin_login(site.login)
    setattr(secured, _WRAPPED, True)
    site.login = secured  # type: ignore[method-assign]


def verify_new_superuser_email(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save receiver: a new superuser's email address is its verified, primary one.

    Only at creation (``createsuperuser``, ``create_superuser()`` in code), never when an
    existing user is promoted in the admin, and never taking an address that another
    account already holds.
    """
    if raw or not created or not instance.is_superuser:
        return
    from allauth.account.models import EmailAddress
    from allauth.account.utils import user_email
    from quickscale_modules.auth.services import normalize_email

    email = user_email(instance)
    if not email or "@" not in email:
        return
    address = normalize_email(email)
    if EmailAddress.objects.filter(email__iexact=address).exclude(user=instance).exists():
        return
    EmailAddress.objects.update_or_create(
        user=instance, email=address, defaults={"verified": True, "primary": True}
    )
