"""Benchmark: the analytics module's track() throughput, and the page-view middleware's
per-request cost as a ratio against the same request without it.

    .venv/bin/python bench/bench_analytics.py [--events 2000] [--requests 1000]

A throwaway SQLite database in a temporary directory (as a project has by default);
events are written in-process (no broker), which is the slower path: with a broker,
track() only queues a message. Prints medians and ratios, asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "quickscale_modules" / "analytics" / "src"))

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
BASE_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


def page(request: object) -> object:
    from django.http import HttpResponse

    return HttpResponse("<!doctype html><title>bench</title><p>bench</p>")


urlpatterns: list[object] = []


def setup(database: Path) -> None:
    import django
    from django.conf import settings
    from django.urls import path

    urlpatterns.append(path("", page))
    settings.configure(
        SECRET_KEY="bench",
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        USE_TZ=True,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "quickscale_modules.analytics",
        ],
        MIDDLEWARE=BASE_MIDDLEWARE,
        ROOT_URLCONF=__name__,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)}},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def per_request(requests: int, middleware: list[str]) -> float:
    from django.test import Client, override_settings

    with override_settings(MIDDLEWARE=middleware):
        client = Client(HTTP_USER_AGENT=BROWSER)
        client.get("/")  # warm up
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get("/")
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp) / "bench.sqlite3")
        from quickscale_modules.analytics.models import Event
        from quickscale_modules.analytics.services import track

        started = time.perf_counter()
        for number in range(args.events):
            track("bench", number=number, plan="pro")
        elapsed = time.perf_counter() - started
        assert Event.objects.count() == args.events
        print(f"track()            {args.events / elapsed:8.0f} events/s (in-process, SQLite)")

        tracked = [*BASE_MIDDLEWARE, "quickscale_modules.analytics.middleware.PageViewMiddleware"]
        without = per_request(args.requests, BASE_MIDDLEWARE)
        with_views = per_request(args.requests, tracked)
        print(f"request without    median {without * 1e6:8.0f} us")
        print(f"request with views median {with_views * 1e6:8.0f} us (written in-process)")
        print(f"ratio              {with_views / without:.2f}x")

        # With a broker (Celery's in-memory transport here, Redis in production) the
        # request only queues a message; a worker writes the event.
        from celery import Celery
        from django.test import override_settings

        Celery("bench", broker="memory://", set_as_current=True)
        with override_settings(CELERY_BROKER_URL="memory://", CELERY_TASK_ALWAYS_EAGER=False):
            started = time.perf_counter()
            for number in range(args.events):
                track("bench", number=number, plan="pro")
            elapsed = time.perf_counter() - started
            print(f"track() queued     {args.events / elapsed:8.0f} events/s (broker in memory)")
            queued = per_request(args.requests, tracked)
        print(f"request with views median {queued * 1e6:8.0f} us (queued)")
        print(f"ratio              {queued / without:.2f}x")


if __name__ == "__main__":
    main()
