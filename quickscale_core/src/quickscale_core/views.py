"""Views shared by every project."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponseServerError, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness in one: 200 when the database answers, 503 when not.

    A load balancer takes a worker out of rotation on 503, so the check must touch the
    database for real rather than report that the process is up.
    """
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """The 500 page (``handler500``): Django's, plus the request's CSP nonce.

    Like Django's handler it renders ``500.html`` without context processors or the
    request, since something is already broken; it passes only ``csp_nonce``, so the page
    can style itself inline (``<style nonce="{{ csp_nonce }}">``) under the strict policy
    without reaching for static files that may be what failed.
    """
    try:
        template = loader.get_template(defaults.ERROR_500_TEMPLATE_NAME)
    except TemplateDoesNotExist:
        return defaults.server_error(request)
    # A lazy object (django-csp's middleware): str() makes the nonce and puts it in the header.
    nonce = getattr(request, "csp_nonce", None)
    context = {"csp_nonce": "" if nonce is None else str(nonce)}
    return HttpResponseServerError(template.render(context))
