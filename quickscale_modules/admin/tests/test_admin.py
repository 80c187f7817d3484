"""The admin module in a project wired like a generated one: access, dashboard, export,
audit trail, colours and the admin-only Content-Security-Policy."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import Client

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_anonymous_user_gets_the_login_page() -> None:
    client = Client()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert client.get("/admin/auth/user/").status_code == 302


def test_logged_in_non_staff_user_is_refused() -> None:
    user = User.objects.create_user("ada", "ada@example.com", "pw-ada-123")
    client = Client()
    client.force_login(user)
    for url in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{user.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    page = client.get("/admin/login/?next=/admin/").content.decode()
    assert 'name="password"' in page  # the login form again, for a staff account
    assert "ada@example.com" not in page and "qs-counters" not in page


def _counters(html: str) -> dict[str, str]:
    items = re.findall(r'data-counter="([^"]+)">\s*<span[^>]*>[^<]*</span>\s*<[^>]*>(\d+)<', html)
    return dict(items)


def test_dashboard_shows_the_declared_counters_of_installed_models(staff_client: Client) -> None:
    User.objects.create_user("ada", "ada@example.com", "pw-ada-123")
    User.objects.create_user("bob", "bob@example.com", "pw-bob-123")
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    counters = _counters(response.content.decode())
    assert counters["Users"] == "3"
    assert int(counters["Audit log entries"]) == LogEntry.objects.count() >= 2
    assert "Invoices" not in counters  # its component is not enabled: no counter, no error
    assert list(counters) == ["Users", "Audit log entries"]


def test_every_admin_list_exports_csv_with_formulas_defused(staff_client: Client) -> None:
    ada = User.objects.create_user("ada", "ada@example.com", "pw", first_name="=HYPERLINK(1)")
    bob = User.objects.create_user("bob", "bob@example.com", "pw")
    changelist = staff_client.get("/admin/auth/user/").content.decode()
    assert 'value="export_csv"' in changelist
    assert 'x-model="action"' in changelist  # unfold's form: its "Run" button appears
    response = staff_client.post(
        "/admin/auth/user/",
        {"action": "export_csv", "_selected_action": [ada.pk, bob.pk], "index": 0},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="auth-user-\d{8}-\d{6}\.csv"', response["Content-Disposition"]
    )
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["username"] for r in rows] == ["ada", "bob"]
    assert rows[0]["first_name"] == "'=HYPERLINK(1)"
    assert rows[0]["email"] == "ada@example.com"
    assert "password" in rows[0]  # every concrete field, as the model stores it


def test_export_is_offered_on_the_audit_log_too(staff_client: Client) -> None:
    User.objects.create_user("ada", "ada@example.com", "pw")
    entry = LogEntry.objects.first()
    assert entry is not None
    response = staff_client.post(
        "/admin/auditlog/logentry/",
        {"action": "export_csv", "_selected_action": [entry.pk], "index": 0},
    )
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "ada" in text


def test_admin_changes_are_in_the_audit_trail_with_who_made_them(
    staff: Any, staff_client: Client
) -> None:
    ada = User.objects.create_user("ada", "ada@example.com", "pw")
    response = staff_client.post(
        f"/admin/auth/user/{ada.pk}/change/",
        {
            "username": "ada",
            "email": "ada.lovelace@example.com",
            "first_name": "Ada",
            "last_name": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    updates = LogEntry.objects.get_for_object(ada).filter(action=LogEntry.Action.UPDATE)
    entry = updates.latest("timestamp")
    assert entry.actor == staff
    assert entry.changes_dict["email"] == ["ada@example.com", "ada.lovelace@example.com"]
    assert "password" not in entry.changes_dict
    history = staff_client.get("/admin/auditlog/logentry/").content.decode()
    assert "ada" in history


def test_a_login_writes_no_audit_entry() -> None:
    User.objects.create_user("ada", "ada@example.com", "pw-ada-123", is_staff=True)
    before = LogEntry.objects.count()
    assert Client().login(username="ada", password="pw-ada-123")
    assert LogEntry.objects.count() == before  # last_login is not tracked


def test_admin_has_the_relaxed_policy_and_other_pages_the_strict_one(
    staff_client: Client,
) -> None:
    admin_policy = staff_client.get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-eval'" in admin_policy
    assert "style-src 'self' 'unsafe-inline'" in admin_policy
    assert "'nonce-" not in admin_policy  # a nonce would switch 'unsafe-inline' off
    assert "object-src 'none'" in admin_policy
    login_policy = Client().get("/admin/login/")["Content-Security-Policy"]
    assert "'unsafe-eval'" in login_policy
    site_policy = staff_client.get("/")["Content-Security-Policy"]
    assert "unsafe" not in site_policy
    assert "script-src 'self'" in site_policy


def test_admin_wears_the_site_colours(staff_client: Client) -> None:
    html = staff_client.get("/admin/").content.decode()
    assert '<link href="/static/css/variant.css" rel="stylesheet">' in html
    assert "--color-primary-600: var(--qs-primary, #3341b3);" in html
    assert "color-mix(in srgb, var(--qs-primary, #3341b3) 8%, white)" in html
    assert "<title>" in html and "Acme" in html
