"""The audit trail records who made a change, never from where: no client address and
no port, whatever X-Forwarded-* headers a client sends and however many proxies the
site trusts (a forged X-Forwarded-For once put its address into the log)."""

from __future__ import annotations

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client

pytestmark = pytest.mark.django_db

FORGED = "198.51.100.7"
MODULE = Path(__file__).resolve().parents[1]

CASES = {
    "no header": ({}, 0),
    "forged X-Forwarded-For": ({"HTTP_X_FORWARDED_FOR": FORGED}, 0),
    "forged address and port": (
        {"HTTP_X_FORWARDED_FOR": f"{FORGED}:4242", "HTTP_X_FORWARDED_PORT": "4242"},
        0,
    ),
    "behind one trusted proxy": (
        {"HTTP_X_FORWARDED_FOR": f"{FORGED}, 203.0.113.9", "HTTP_X_FORWARDED_PORT": "443"},
        1,
    ),
}


@pytest.mark.parametrize(("headers", "proxies"), CASES.values(), ids=CASES.keys())
def test_an_audit_entry_stores_no_address_and_no_port(
    staff_client: Client, settings: object, headers: dict[str, str], proxies: int
) -> None:
    settings.QUICKSCALE_TRUSTED_PROXY_COUNT = proxies  # type: ignore[attr-defined]
    response = staff_client.post(
        "/admin/auth/group/add/", {"name": "editors"}, REMOTE_ADDR="192.0.2.1", **headers
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = LogEntry.objects.get_for_object(Group.objects.get(name="editors"))
    assert entry.actor is not None  # who: recorded
    assert (entry.remote_addr, entry.remote_port) == (None, None)  # where: never


def test_the_generated_settings_wire_what_this_suite_tests() -> None:
    """tests/settings.py mirrors what a generated project gets: the manifest places the
    module's audit middleware (never auditlog's own), and the app's defaults keep
    addresses out of the log."""
    import tomllib

    from django.conf import settings

    from quickscale_modules.admin import conf

    manifest = tomllib.loads((MODULE / "pyproject.toml").read_text())["tool"]["quickscale"]
    placed = [m["name"] for m in manifest["settings"]["middleware"]]
    assert "quickscale_modules.admin.audit.AuditMiddleware" in placed
    assert "auditlog.middleware.AuditlogMiddleware" not in placed
    assert conf.defaults(settings)["AUDITLOG_DISABLE_REMOTE_ADDR"] is True
