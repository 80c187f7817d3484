"""allauth account adapter: routes allauth's emails through notifications when installed.

The dependency points one way (auth -> notifications) and is optional: without the
notifications app, allauth's own sending is used unchanged.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.apps import apps
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

NOTIFICATIONS_APP = "quickscale_modules.notifications"


class AccountAdapter(DefaultAccountAdapter):
    """Default allauth behaviour, plus delivery through the notifications service."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        if not apps.is_installed(NOTIFICATIONS_APP):
            super().send_mail(template_prefix, email, context)
            return
        from quickscale_modules.notifications.services import send_templated_email

        request = allauth_context.request
        ctx: dict[str, Any] = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        ctx.update(context)
        send_templated_email(
            template_prefix,
            email,
            ctx,
            language=translation.get_language(),
            from_email=self.get_from_email(),
            subject_prefix=self.format_email_subject(""),
        )
