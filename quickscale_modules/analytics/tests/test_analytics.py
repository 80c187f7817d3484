"""The analytics module: recording, page views, privacy, retention and the report."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from celery import Celery
from conftest import BROWSER
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from quickscale_modules.analytics.models import DailySalt, Event
from quickscale_modules.analytics.tasks import record_event

from quickscale_modules.analytics import privacy, services

User = get_user_model()
pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"


def browser(**headers: str) -> Client:
    return Client(**{"HTTP_USER_AGENT": BROWSER, "REMOTE_ADDR": ADDRESS, **headers})


def test_events_live_in_quickscale_analytics_event() -> None:
    assert Event._meta.app_label == "quickscale_analytics"
    assert Event._meta.db_table == "quickscale_analytics_event"


def test_track_records_type_time_user_and_json_properties() -> None:
    ada = User.objects.create_user("ada", "ada@example.com", "pw")
    before = timezone.now()
    services.track(
        "signup", user=ada, plan="pro", seats=3, price=Decimal("9.50"), on=date(2026, 1, 2)
    )
    event = Event.objects.get()
    assert (event.event_type, event.user) == ("signup", ada)
    assert before <= event.timestamp <= timezone.now()
    assert event.properties == {"plan": "pro", "seats": 3, "price": "9.50", "on": "2026-01-02"}
    assert event.visitor == ""


def test_track_without_a_user_or_with_an_anonymous_one() -> None:
    from django.contrib.auth.models import AnonymousUser

    services.track("newsletter_open")
    services.track("newsletter_open", user=AnonymousUser())
    assert list(Event.objects.values_list("user", flat=True)) == [None, None]


@pytest.mark.parametrize("event_type", ["", "x" * 101])
def test_an_empty_or_overlong_event_type_is_refused(event_type: str) -> None:
    with pytest.raises(ValueError, match="1 to 100 characters"):
        services.track(event_type)
    assert not Event.objects.exists()


def test_the_same_event_delivered_twice_is_stored_once() -> None:
    data = services.payload("export", properties={"rows": 10})
    services.record(data)
    services.record(data)  # a task redelivered after a lost worker
    assert Event.objects.count() == 1


def test_with_a_broker_track_queues_the_event_for_a_worker(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Through Celery's real routing, on an in-memory broker: nothing is written by the
    request; the queued message, run as the worker runs it, writes the event."""
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app = Celery("analytics-tests", broker="memory://", set_as_current=True)
    app.conf.task_always_eager = False
    ada = User.objects.create_user("ada", "ada@example.com", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        services.track("checkout", user=ada, total=12)
        assert not Event.objects.exists()  # nothing before the transaction commits
    assert not Event.objects.exists()  # queued, not written
    with app.connection_for_read() as connection:
        message = connection.SimpleQueue("celery").get(timeout=5)
        args, kwargs, _ = message.decode()
        message.ack()
    assert message.headers["task"] == record_event.name
    record_event.apply(args=args, kwargs=kwargs)
    event = Event.objects.get()
    assert (event.event_type, event.user, event.properties) == ("checkout", ada, {"total": 12})


def test_a_page_view_is_recorded_with_path_user_and_visitor_hash() -> None:
    ada = User.objects.create_user("ada", "ada@example.com", "pw")
    client = browser()
    client.force_login(ada)
    assert client.get("/pages/pricing/?email=ada@example.com").status_code == 200
    event = Event.objects.get()
    assert event.event_type == "page_view"
    assert event.properties == {"path": "/pages/pricing/"}  # no query string
    assert event.user == ada
    assert len(event.visitor) == 32 and int(event.visitor, 16) >= 0


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", {"HTTP_USER_AGENT": "Googlebot/2.1 (+http://www.google.com/bot.html)"}),
        ("/", {"HTTP_USER_AGENT": "curl/8.5.0"}),
        ("/", {"HTTP_USER_AGENT": ""}),
        ("/", {"HTTP_SEC_GPC": "1"}),
        ("/", {"HTTP_DNT": "1"}),
        ("/", {"HTTP_HX_REQUEST": "true"}),
        ("/health/", {}),
        ("/static/app.html", {}),
        ("/admin/login/", {}),
        ("/api/", {}),
        ("/missing/", {}),
    ],
)
def test_bots_static_files_health_checks_and_opt_outs_are_not_counted(
    path: str, headers: dict[str, str]
) -> None:
    browser(**headers).get(path)
    assert not Event.objects.exists()


def test_a_post_is_not_a_page_view() -> None:
    browser().post("/")
    assert not Event.objects.exists()


def test_no_raw_ip_address_is_stored_anywhere() -> None:
    """The whole database, dumped, holds no trace of the visitor's address."""
    User.objects.create_user("ada", "ada@example.com", "pw")
    client = browser()
    for path in ("/", "/pages/a/", "/pages/b/"):
        client.get(path, HTTP_X_FORWARDED_FOR=ADDRESS)
    services.track("signup", user=User.objects.get())
    assert Event.objects.filter(event_type="page_view").count() == 3
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert ADDRESS not in dump.getvalue()
    assert ADDRESS.replace(".", "") not in dump.getvalue()
    visitors = set(Event.objects.exclude(visitor="").values_list("visitor", flat=True))
    assert len(visitors) == 1  # the same person on the same day is one visitor


def test_visitor_hashes_rotate_daily_and_old_salts_are_deleted() -> None:
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)
    today = privacy.visitor_hash(request)
    assert privacy.visitor_hash(request) == today
    other = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1", HTTP_USER_AGENT=BROWSER)
    assert privacy.visitor_hash(other) != today  # another person, another hash
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert privacy.visitor_hash(request, day=tomorrow) != today  # a new day, a new salt
    # Today's salt is gone once tomorrow's exists: today's hashes cannot be recomputed.
    assert list(DailySalt.objects.values_list("day", flat=True)) == [tomorrow]


def test_prune_deletes_events_older_than_the_retention() -> None:
    now = timezone.now()
    for age in (0, 29, 31, 400):
        Event.objects.create(event_type="x", timestamp=now - timedelta(days=age), uid=uuid.uuid4())
    out = io.StringIO()
    call_command("prune_analytics", stdout=out)  # QUICKSCALE_ANALYTICS_RETENTION_DAYS = 30
    assert "Deleted 2 events older than 30 days." in out.getvalue()
    assert Event.objects.count() == 2
    call_command("prune_analytics", "--days", "10", stdout=out)
    assert Event.objects.count() == 1
    with pytest.raises(CommandError, match="at least one day"):
        call_command("prune_analytics", "--days", "0")


def test_the_admin_report_shows_events_per_day_and_top_pages() -> None:
    staff = User.objects.create_superuser("root", "root@example.com", "pw")
    client = browser()
    for path in ("/pages/a/", "/pages/b/", "/pages/b/", "/pages/b/", "/"):
        client.get(path)
    old = timezone.now() - timedelta(days=3)
    Event.objects.create(event_type="signup", timestamp=old, uid=uuid.uuid4())
    admin = Client()
    admin.force_login(staff)
    html = admin.get("/admin/quickscale_analytics/event/report/").content.decode()
    rows = html.split('data-testid="top-pages"')[1]
    assert rows.index("/pages/b/") < rows.index("/pages/a/")
    assert "<td>/pages/b/</td><td>3</td>" in rows
    per_day = html.split('data-testid="events-per-day"')[1].split("</table>")[0]
    days = [date_format(timezone.localdate(t), "SHORT_DATE_FORMAT") for t in (old, timezone.now())]
    assert f"<td>{days[0]}</td><td>1</td><td>0</td>" in per_day
    assert f"<td>{days[1]}</td><td>5</td><td>1</td>" in per_day
    changelist = admin.get("/admin/quickscale_analytics/event/").content.decode()
    assert "/admin/quickscale_analytics/event/report/" in changelist
    assert Event.objects.filter(event_type="page_view").count() == 5  # the admin is not counted


def test_the_report_speaks_the_request_language_with_its_number_and_date_formats(
    spanish: str,
) -> None:
    staff = User.objects.create_superuser("root", "root@example.com", "pw")
    now = timezone.now()
    Event.objects.bulk_create(
        Event(event_type="page_view", timestamp=now, properties={"path": "/"}) for _ in range(1234)
    )
    admin = Client()
    admin.force_login(staff)
    admin.cookies["django_language"] = spanish
    html = admin.get("/admin/quickscale_analytics/event/report/").content.decode()
    assert "1\xa0234 eventos en los últimos 30 días." in html  # grouped as Spanish does
    today = timezone.localdate(now)
    assert f"<td>{today:%d/%m/%Y}</td><td>1\xa0234</td><td>0</td>" in html  # d/m/Y
    assert "<td>/</td><td>1\xa0234</td>" in html and "Páginas más vistas" in html
    admin.cookies["django_language"] = "en"
    html = admin.get("/admin/quickscale_analytics/event/report/").content.decode()
    assert "1,234 events in the last 30 days." in html
    assert f"<td>{today:%m/%d/%Y}</td><td>1,234</td><td>0</td>" in html


def test_the_report_is_for_staff_only() -> None:
    user = User.objects.create_user("ada", "ada@example.com", "pw")
    client = Client()
    assert client.get("/admin/quickscale_analytics/event/report/").status_code == 302
    client.force_login(user)
    response = client.get("/admin/quickscale_analytics/event/report/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_options_reach_the_generated_settings() -> None:
    import ast
    from pathlib import Path

    from quickscale_toolchain.generator.settings_model import component_assignments

    package = Path(__file__).resolve().parent.parent
    default = component_assignments(package)
    assert default["QUICKSCALE_ANALYTICS_PAGE_VIEWS"] == "True"
    assert "default=365" in default["QUICKSCALE_ANALYTICS_RETENTION_DAYS"]
    chosen = component_assignments(package, page_views=False, retention_days=30)
    assert chosen["QUICKSCALE_ANALYTICS_PAGE_VIEWS"] == "False"
    assert "default=30" in chosen["QUICKSCALE_ANALYTICS_RETENTION_DAYS"]
    for code in chosen.values():
        ast.parse(code)


@pytest.mark.parametrize(("page_views", "used"), [(True, True), (False, False)])
def test_page_views_off_leaves_the_middleware_unused(page_views: bool, used: bool) -> None:
    """The middleware is always listed; QUICKSCALE_ANALYTICS_PAGE_VIEWS switches it."""
    from django.core.exceptions import MiddlewareNotUsed
    from django.test import override_settings
    from quickscale_modules.analytics.middleware import PageViewMiddleware

    with override_settings(QUICKSCALE_ANALYTICS_PAGE_VIEWS=page_views):
        try:
            PageViewMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
        except MiddlewareNotUsed:
            assert not used
        else:
            assert used


def test_the_app_adds_the_retention_task_to_the_schedule() -> None:
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["analytics-prune"]["task"] == (
        "quickscale_analytics.prune_events"
    )
