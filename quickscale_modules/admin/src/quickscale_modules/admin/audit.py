"""The audit trail's middleware: django-auditlog's, recording who made each change and
never where from.

django-auditlog takes the client's address from the first ``X-Forwarded-For`` entry and
its port from ``X-Forwarded-Port``: headers any client can write, which no trusted-proxy
rule checks there. ``AUDITLOG_DISABLE_REMOTE_ADDR`` (in the generated settings) stops
the address; this class stops the port as well, so an entry holds no network detail
that a client chose, nor personal data the log would have to keep.
"""

from __future__ import annotations

from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest


class AuditMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    """Couples each change to the request's user; stores no address and no port."""

    def get_extra_data(self, request: HttpRequest) -> dict[str, Any]:
        data: dict[str, Any] = super().get_extra_data(request)
        data.update(remote_addr=None, remote_port=None)
        return data
