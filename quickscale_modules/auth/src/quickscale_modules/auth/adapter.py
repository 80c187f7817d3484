"""allauth account adapter: one lockout counter per account whatever the Host header,
client addresses by the project's trusted-proxy rule, mails that name the site's
configured address, in the recipient's language, delivery through notifications, and the
request's language stored on each new user.

The dependency points one way (auth -> notifications) and is optional: without the
notifications app, allauth's own sending is used unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from quickscale_core.i18n import LANGUAGE_FIELD, language_of, speaking, supported
from quickscale_core.security import client_ip

NOTIFICATIONS_APP = "quickscale_modules.notifications"


def login_attempts_key(login: str) -> str:
    """The per-account failed-login counter's key: the login alone, trimmed and in lower
    case, so "Ada@Example.com " and "ada@example.com" are one account."""
    return login.strip().lower()


@dataclass(frozen=True)
class MailSite:
    """What allauth's mail templates read from ``current_site``."""

    domain: str
    name: str


def mail_site(request: HttpRequest) -> MailSite:
    """The site a mail names ("Hello from …"): the host absolute links start with.

    allauth's default, Django's RequestSite, is the request's Host header. The host of
    ``build_absolute_uri`` is the configured address wherever quickscale_core's
    SiteURLMiddleware runs (every generated project), as the mail's links are."""
    host = urlsplit(request.build_absolute_uri("/")).netloc
    return MailSite(domain=host, name=host)


def recipient_language(email: str, context: dict[str, Any]) -> str:
    """The language of a mail to ``email``: its user's stored one (the context's ``user``,
    as in a password reset or a verification, else the owner of the address), or, for an
    address of no one or a user who never chose, the request's."""
    user = context.get("user")
    if user is None or not getattr(user, "pk", None):
        from quickscale_modules.auth.services import get_user_by_email

        try:
            user = get_user_by_email(email)
        except ValueError:  # not an address: allauth's sending reports it
            user = None
    stored = supported(getattr(user, LANGUAGE_FIELD, "")) if user is not None else ""
    return stored or supported(translation.get_language()) or language_of(user)


class AccountAdapter(DefaultAccountAdapter):
    """Default allauth behaviour, with a Host-independent lockout and delivery through
    the notifications service."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth keys the per-account limit by the current site's domain and the login.
        Without django.contrib.sites that domain is the Host header, and any port or a
        trailing dot of an allowed host passes, so each one got a counter of its own. A
        project is one site: the login alone is the key. allauth's password reset clears
        the counter through this same method."""
        login = credentials.get("email", credentials.get("username", "")) or ""
        return login_attempts_key(str(login))

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address the per-address login limits count against, by the project's one
        trusted-proxy rule (quickscale_core.security.client_ip, as django-axes and
        analytics take it). allauth's own reading of X-Forwarded-For fails the request
        with a server error when the header has fewer entries than trusted proxies."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied(_("Unable to determine client IP address"))
        return address

    def new_user(self, request: HttpRequest | None) -> Any:
        """Every sign-up (the form, a passkey, a social login) makes its user here: it
        keeps the language the visitor reads the site in, so that their mails speak it
        from the first one, the verification. Without a request (services'
        get_or_create_user_by_email) the user has none until they choose."""
        user = super().new_user(request)
        if request is not None and hasattr(user, LANGUAGE_FIELD):
            code = supported(getattr(request, "LANGUAGE_CODE", None))
            if code:
                setattr(user, LANGUAGE_FIELD, code)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render in the recipient's language (the whole message, here, in the web process:
        a worker that delivers it renders nothing)."""
        request = allauth_context.request
        site = {"current_site": mail_site(request)} if request is not None else {}
        language = recipient_language(email, context)
        if not apps.is_installed(NOTIFICATIONS_APP):
            with speaking(language):
                super().send_mail(template_prefix, email, {**site, **context})
            return
        from quickscale_modules.notifications.services import send_templated_email

        ctx: dict[str, Any] = {"request": request, "email": email, **site}
        ctx.update(context)
        send_templated_email(
            template_prefix,
            email,
            ctx,
            language=language,
            from_email=self.get_from_email(),
            subject_prefix=self.format_email_subject(""),
        )
