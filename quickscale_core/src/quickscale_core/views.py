"""Views shared by every project."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponseServerError, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    # A write and a read: a cache that accepts connections but not writes (a read-only
    # replica, a full database table) cannot hold the rate limits either.
    key = f"quickscale:health:{uuid.uuid4().hex}"
    caches["default"].set(key, "ok", timeout=10)
    if caches["default"].get(key) != "ok":
        raise RuntimeError("the cache did not return the value just written")
    caches["default"].delete(key)


def _broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return "in-process"  # tasks run in the web process: nothing to reach
    from kombu.connection import Connection

    with Connection(url, connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=0)
    return "ok"


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """200 while the process answers: what a container health check restarts on.

    It touches nothing else, so an outage of the database or Redis does not get every
    web container killed and restarted at once.
    """
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the task broker all answer, else 503 naming
    each one that does not (``"down": ["cache"]``).

    A load balancer takes a process out of rotation on 503, so each check reaches the
    service for real rather than report that the process is up.
    """
    report: dict[str, Any] = {}
    down: list[str] = []
    checks: dict[str, Callable[[], str | None]] = {
        "database": _database,
        "cache": _cache,
        "broker": _broker,
    }
    for name, check in checks.items():
        try:
            report[name] = check() or "ok"
        except Exception:  # any failure of the service makes the process unready
            logger.exception("readiness check: %s unavailable", name)
            report[name] = "unavailable"
            down.append(name)
    if down:
        return JsonResponse({"status": "unavailable", **report, "down": down}, status=503)
    return JsonResponse({"status": "ok", **report})


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
