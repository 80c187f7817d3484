"""Views with an unmarked message and an unmarked mail subject."""

import logging

from django.contrib import messages
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def save(request: HttpRequest, title: str) -> HttpResponse:
    messages.success(request, "Saved.")  # unmarked: messages
    messages.info(request, _("Saved “%(title)s”.") % {"title": title})
    messages.debug(request, "cache warmed")  # i18n: not user-facing (a developer's trace)
    log.info("note %s saved", title)  # a log line: not user-facing
    body = _("Your note “%(title)s” is saved.") % {"title": title}
    send_mail("Your note is saved", body, None, ["someone@example.com"])  # unmarked: mail subject
    send_mail(subject=_("Your note is saved"), message=body, from_email=None, recipient_list=[])
    return redirect("notes:list")


def health(request: HttpRequest) -> HttpResponse:
    """For machines: plain text and JSON are not flagged."""
    if request.GET.get("format") == "json":
        return JsonResponse({"status": "ok"})
    return HttpResponse("ok", content_type="text/plain")
