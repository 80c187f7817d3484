"""``@entitlement_required("key")``: a view only for users whose plan unlocks ``key``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from quickscale_modules.billing import services


def entitlement_required(
    key: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Others get a 403 page that says which plans unlock the feature, with a link to
    the pricing page (no redirect: the URL they asked for stays in the address bar)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if services.has_entitlement(request.user, key):
                return view(request, *args, **kwargs)
            plans = [
                p
                for p in services.active_plans()
                if any(e.key == key for e in p.entitlements.all())
            ]
            return TemplateResponse(
                request,
                "quickscale_billing/upgrade.html",
                {"feature": key, "plans": plans},
                status=403,
            )

        return wrapped

    return decorator
