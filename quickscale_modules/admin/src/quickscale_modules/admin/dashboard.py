"""The admin index's counters: what the enabled components declare in their manifests.

Generation writes the enabled components' counters into the project's settings
(``QUICKSCALE_ADMIN_COUNTERS``, label and ``app_label.Model``); this module names no
other component. A model that is not installed is skipped, so a disabled component's
counter simply does not appear. A label is shown in the request's language when a
catalogue has it: each component marks its own labels (``gettext_noop``) so that
makemessages puts them in its catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

#: The label of this module's own counter (its manifest's ``counters``), for its catalogue.
AUDIT_LOG_LABEL = gettext_noop("Audit log entries")


@dataclass(frozen=True)
class Count:
    label: str
    value: int
    url: str | None  # the model's admin list, if registered and the user may view it


def counts(request: HttpRequest) -> list[Count]:
    """The users, then each declared counter, in the order the settings give them."""
    declared = [(gettext("Users"), settings.AUTH_USER_MODEL)]
    for counter in getattr(settings, "QUICKSCALE_ADMIN_COUNTERS", ()):
        declared.append((gettext(counter["label"]), counter["model"]))
    result = []
    for label, dotted in declared:
        try:
            model = apps.get_model(dotted)
        except (LookupError, ValueError):
            continue
        opts = model._meta
        url = None
        if request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            except NoReverseMatch:
                url = None
        result.append(Count(label, model._default_manager.count(), url))
    return result


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """unfold's DASHBOARD_CALLBACK: adds the counters to the index page's context."""
    context["quickscale_counters"] = counts(request)
    return context
