"""Multi-factor authentication on allauth.mfa, switched on by the module's options.

``mfa`` (setting QUICKSCALE_AUTH_MFA) lists the second factors users may add: "totp"
(an authenticator app) and "webauthn" (security keys, and passkey login); either brings
recovery codes. ``mfa_required: staff`` (QUICKSCALE_AUTH_MFA_REQUIRED) keeps staff
users without a second factor out of the admin, and alone turns TOTP on. allauth has
no such setting, so `StaffMFAMiddleware` does it. WebAuthn runs on https, or on http://localhost in
development, as browsers and fido2 allow: allauth's switch that accepts any origin
stays off, here and in every settings file we write.

No Django model is imported at import time: conf.py imports this while apps load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

MFA_APP = "allauth.mfa"
#: The second factors the ``mfa`` option offers, in allauth's names.
FACTORS = ("totp", "webauthn")
#: Who must have a second factor (``mfa_required``): nobody, or staff for the admin.
REQUIRED = ("nobody", "staff")


def mfa_settings(factors: Iterable[str], site_name: str = "") -> dict[str, Any]:
    """allauth's MFA_* settings for ``factors`` (empty: MFA off, no setting at all)."""
    chosen = list(factors)
    unknown = [f for f in chosen if f not in FACTORS]
    if unknown:
        raise ImproperlyConfigured(
            f"auth: mfa lists {', '.join(map(repr, unknown))}; choose from {', '.join(FACTORS)}."
        )
    if not chosen:
        return {}
    types = [f for f in FACTORS if f in chosen]
    values: dict[str, Any] = {
        # Recovery codes are the way back in when the phone or the key is lost.
        "MFA_SUPPORTED_TYPES": [*types, "recovery_codes"],
        "MFA_PASSKEY_LOGIN_ENABLED": "webauthn" in types,
        "MFA_ADAPTER": "quickscale_modules.auth.mfa_adapter.MFAAdapter",
    }
    if site_name:
        values["MFA_TOTP_ISSUER"] = site_name  # the name authenticator apps show
    return values


def factors_for(factors: Iterable[str], required: str) -> list[str]:
    """The factors MFA offers: ``factors``, or TOTP when only ``mfa_required`` is set
    ("staff" needs a factor staff can add, so that option alone turns MFA on)."""
    if required not in REQUIRED:
        raise ImproperlyConfigured(
            f"auth: mfa_required must be one of {', '.join(REQUIRED)}, got {required!r}."
        )
    chosen = list(factors)
    if required == "staff" and not chosen:
        return ["totp"]
    return chosen


def _required(settings: Any) -> str:
    return str(getattr(settings, "QUICKSCALE_AUTH_MFA_REQUIRED", "nobody"))


class StaffMFAMiddleware:
    """With ``mfa_required: staff``, a staff user without a second factor is refused the
    admin: every admin page (its login included, which ends there) redirects to the
    page where they add one, with a message saying why. Place it after
    AuthenticationMiddleware and MessageMiddleware's session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.apps import apps

        if not apps.is_installed(MFA_APP):
            raise ImproperlyConfigured(
                f"auth: StaffMFAMiddleware needs {MFA_APP!r} in INSTALLED_APPS (the mfa option)."
            )
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._refused(request):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext

            messages.warning(
                request,
                gettext("Staff accounts need two-factor authentication to use the admin."),
            )
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _refused(request: HttpRequest) -> bool:
        from django.conf import settings

        if _required(settings) != "staff":
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not (user.is_staff or user.is_superuser):
            return False
        if not _is_admin_path(request.path_info):
            return False
        from allauth.mfa.utils import is_mfa_enabled

        return not is_mfa_enabled(user)


def _is_admin_path(path: str) -> bool:
    """``path`` is under the default admin site's URLs (none: no admin installed)."""
    from django.urls import NoReverseMatch, reverse

    try:
        root = reverse("admin:index")
    except NoReverseMatch:
        return False
    return path.startswith(root)
