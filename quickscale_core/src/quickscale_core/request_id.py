"""A request id on every log line written while a request is served.

Each request gets an id when it starts (Django's ``request_started`` signal, so the
lines Django itself writes about the request, such as ``django.request``'s, carry it
too), until it finishes. ``RequestIdFilter`` puts it on every log record as
``request_id``, so the JSON lines of one request can be found together;
``RequestIdMiddleware`` returns it in the ``X-Request-ID`` response header and logs one
line per request (method, path, status, duration). Behind a trusted proxy
(``DJANGO_TRUSTED_PROXY_COUNT`` > 0) an ``X-Request-ID`` the proxy sent is kept, so the
proxy's and the site's logs share the id; from a client directly it is ignored (a
client could otherwise write ids of its choosing into the logs).

A task queued while a request is served carries the id in its message headers
(Celery's ``before_task_publish`` signal), and the worker's log lines while it runs
carry it too (``task_prerun``/``task_postrun``): one id follows the work from the web
process to the worker.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

request_id: ContextVar[str] = ContextVar("quickscale_request_id", default="-")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
access_logger = logging.getLogger("quickscale.request")


def start(environ: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
    """``request_started`` receiver: the id of the request now being served."""
    forwarded = str((environ or {}).get("HTTP_X_REQUEST_ID", ""))
    trusted = getattr(settings, "QUICKSCALE_TRUSTED_PROXY_COUNT", 0) > 0
    request_id.set(forwarded if trusted and _SAFE_ID.fullmatch(forwarded) else uuid.uuid4().hex)


def finish(**kwargs: Any) -> None:
    """``request_finished`` receiver: lines written between requests carry no id."""
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request: start-up, tasks)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request_id.get() == "-":  # a request without the signal (the test client's ASGI)
            start(request.META)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        access_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def task_published(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """``before_task_publish`` receiver: the current request's id goes with the task."""
    if headers is not None and request_id.get() != "-":
        headers["quickscale_request_id"] = request_id.get()


def task_started(task: Any = None, **kwargs: Any) -> None:
    """``task_prerun`` receiver: the worker logs under the id of the request that queued
    the task (``-`` when none did). A task run in-process (no broker) keeps the id of the
    request it runs in."""
    task_request = getattr(task, "request", None)
    if getattr(task_request, "is_eager", False):
        return
    forwarded = getattr(task_request, "quickscale_request_id", None)
    if isinstance(forwarded, str) and _SAFE_ID.fullmatch(forwarded):
        request_id.set(forwarded)
    else:
        request_id.set("-")


def task_finished(task: Any = None, **kwargs: Any) -> None:
    """``task_postrun`` receiver: a worker's lines between tasks carry no id."""
    if not getattr(getattr(task, "request", None), "is_eager", False):
        request_id.set("-")
