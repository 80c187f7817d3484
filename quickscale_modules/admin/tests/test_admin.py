"""The admin module in a project wired like a generated one: access, dashboard, export,
audit trail, colours and the admin-only Content-Security-Policy."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from quickscale_modules.admin.fields import named_secret

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
    assert "password" not in rows[0] and "pbkdf2" not in text and "md5$" not in text
    # Every concrete field but the secret ones: the hash, and last_name (marked in settings).
    secret = {"password", "last_name"}
    assert list(rows[0]) == [f.name for f in User._meta.concrete_fields if f.name not in secret]


def _staff_with(*codenames: str) -> Client:
    """A client logged in as staff holding only these permissions (app.codename)."""
    user = User.objects.create_user("eve", "eve@example.com", "pw-eve-123", is_staff=True)
    for dotted in codenames:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client = Client()
    client.force_login(user)
    return client


def _export(client: Client, *users: Any) -> Any:
    return client.post(
        "/admin/auth/user/",
        {"action": "export_csv", "_selected_action": [u.pk for u in users], "index": 0},
    )


def test_a_view_only_staff_user_is_neither_offered_the_export_nor_served_it(staff: Any) -> None:
    """The finding: view_user alone exported every password hash, the superuser's too."""
    viewer = _staff_with("auth.view_user")
    changelist = viewer.get("/admin/auth/user/")
    assert changelist.status_code == 200 and "ada" not in changelist.content.decode()
    assert 'value="export_csv"' not in changelist.content.decode()
    response = _export(viewer, staff)
    assert response.status_code == 200  # the list again: it offers this user no action
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Disposition" not in response
    assert staff.password.split("$")[-1] not in response.content.decode()


@pytest.mark.parametrize(
    ("codenames", "offered"),
    [
        (("auth.view_user",), False),
        (("quickscale_admin.export_csv",), False),  # no list it may view
        (("auth.view_user", "quickscale_admin.export_csv"), True),
        (("auth.change_user", "quickscale_admin.export_csv"), True),  # change implies view
    ],
)
def test_the_export_needs_its_own_permission_on_a_list_one_may_view(
    staff: Any, codenames: tuple[str, ...], offered: bool
) -> None:
    client = _staff_with(*codenames)
    page = client.get("/admin/auth/user/")
    assert ('value="export_csv"' in page.content.decode()) is offered
    response = _export(client, staff)
    assert (response.get("Content-Type") == "text/csv; charset=utf-8") is offered


def test_an_exporter_never_gets_hashes_or_marked_fields(staff: Any) -> None:
    ada = User.objects.create_user("ada", "ada@example.com", "pw-ada-123", last_name="Lovelace")
    exporter = _staff_with("auth.view_user", "quickscale_admin.export_csv")

    def exported() -> list[dict[str, str]]:
        response = _export(exporter, staff, ada)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = b"".join(response.streaming_content).decode()
        assert staff.password not in text and ada.password not in text
        return list(csv.DictReader(io.StringIO(text)))

    # settings.py marks auth.User's last_name secret (as a manifest would).
    rows = exported()
    assert "last_name" not in rows[0] and "Lovelace" not in str(rows)
    assert "password" not in rows[0] and rows[1]["email"] == "ada@example.com"
    with override_settings(QUICKSCALE_FIELD_MARKINGS={}):  # unmarked, it is exported
        assert [(r["username"], r["last_name"]) for r in exported()] == [
            ("root", ""),
            ("ada", "Lovelace"),
        ]


def test_the_audit_trail_never_holds_a_secret_field() -> None:
    ada = User.objects.create_user("ada", "ada@example.com", "pw-ada-123")
    ada.last_name = "Lovelace"  # marked secret in settings.py
    ada.email = "ada.lovelace@example.com"
    ada.set_password("pw-ada-456")
    ada.save()
    changes = LogEntry.objects.get_for_object(ada).latest("timestamp").changes_dict
    assert set(changes) == {"email"}
    assert "Lovelace" not in str(LogEntry.objects.values_list("changes", flat=True))


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("old_password", True),
        ("token", True),
        ("refresh_token", True),
        ("secret", True),
        ("token_secret", True),
        ("salt", True),
        ("api_key", True),
        ("session_key", True),
        ("Secret_Key", True),
        ("key", False),  # a plan's key is a slug: a manifest marks a bare "key" when secret
        ("keyboard", False),
        ("monkey", False),
        ("email", False),
        ("last_login", False),
        ("passwords_changed", False),
    ],
)
def test_a_field_named_as_a_secret_is_one(name: str, secret: bool) -> None:
    assert named_secret(name) is secret


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


def test_unfold_still_needs_unsafe_eval() -> None:
    """The admin's 'unsafe-eval' is for unfold's Alpine.js, whose standard build is all
    unfold ships. When this fails, unfold has a CSP build of Alpine: switch to it and
    drop 'unsafe-eval' from middleware.ADMIN_POLICY."""
    import unfold

    alpine = Path(unfold.__file__).parent / "static" / "unfold" / "js" / "alpine"
    builds = sorted(p.name for p in alpine.glob("*.js"))
    assert "alpine.js" in builds and not [name for name in builds if "csp" in name]
    assert "getPrototypeOf(async function(){}).constructor" in (alpine / "alpine.js").read_text()


def test_admin_wears_the_site_colours(staff_client: Client) -> None:
    html = staff_client.get("/admin/").content.decode()
    assert '<link href="/static/css/variant.css" rel="stylesheet">' in html
    assert '<link href="/static/quickscale_admin/css/admin.css" rel="stylesheet">' in html
    assert "--color-primary-600: var(--qs-primary, #3341b3);" in html
    assert "color-mix(in srgb, var(--qs-primary, #3341b3) 8%, white)" in html
    assert "<title>" in html and "Acme" in html


def test_the_dashboard_speaks_the_request_language_with_its_number_format(
    staff_client: Client, spanish: str
) -> None:
    User.objects.bulk_create(User(username=f"user{n}") for n in range(1233))
    staff_client.cookies["django_language"] = spanish
    html = staff_client.get("/admin/").content.decode()
    assert "De un vistazo" in html
    counter = html.split('data-counter="Usuarios"')[1].split("</li>")[0]
    assert ">1\xa0234<" in counter  # Spanish groups thousands with a no-break space
    assert 'data-counter="Entradas del registro de auditoría"' in html
    english = Client()
    english.force_login(User.objects.get(username="root"))
    counter = english.get("/admin/").content.decode().split('data-counter="Users"')[1]
    assert ">1,234<" in counter.split("</li>")[0]
