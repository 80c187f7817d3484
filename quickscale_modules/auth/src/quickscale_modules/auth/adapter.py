"""allauth account adapter: one lockout counter per account whatever the Host header,
client addresses by the project's trusted-proxy rule, mails that name the site's
configured address, delivery through notifications.

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
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        site = {"current_site": mail_site(request)} if request is not None else {}
        if not apps.is_installed(NOTIFICATIONS_APP):
            super().send_mail(template_prefix, email, {**site, **context})
            return
        from quickscale_modules.notifications.services import send_templated_email

        ctx: dict[str, Any] = {"request": request, "email": email, **site}
        ctx.update(context)
        send_templated_email(
            template_prefix,
            email,
            ctx,
            language=translation.get_language(),
            from_email=self.get_from_email(),
            subject_prefix=self.format_email_subject(""),
        )
