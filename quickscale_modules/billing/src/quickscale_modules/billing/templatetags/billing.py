"""``{% load billing %}``: ask the current user's plan from a template.

``{% has_entitlement "reports.export" as can_export %}`` and
``{% entitlement_limit "todo.lists" as max_lists %}`` (None: unlimited), both for
``request.user`` (the ``request`` context processor must be on, as in every project).
"""

from __future__ import annotations

from typing import Any

from django import template

from quickscale_modules.billing import services

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def has_entitlement(context: Any, key: str) -> bool:
    user = _user(context)
    return user is not None and services.has_entitlement(user, key)


@register.simple_tag(takes_context=True)
def entitlement_limit(context: Any, key: str) -> int | None:
    user = _user(context)
    return services.entitlement_limit(user, key) if user is not None else 0
