"""The analytics module in a real project (the shared `operations` project: todo theme,
modules auth, admin and analytics), through the real CLI, a real server and Chromium.

Page views requested over HTTP by a browser's user agent are counted, bots and health
checks are not, the database holds no trace of the visitor's address; the admin's
report shows them in Chromium with no serious or critical axe-core finding and no
Content-Security-Policy violation; `prune_analytics` runs; removing the module from
quickscale.yml unwires it and adding it back wires it again.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import check_admin_page, clean_env, regenerate, run, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def manage(project: Path, *args: str) -> str:
    return run([".venv/bin/python", "manage.py", *args], cwd=project, env=clean_env()).stdout


def fetch(url: str, agent: str) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def test_page_views_are_counted_without_addresses_and_reported_in_the_admin(
    operations: Path, operations_site: str, page: Any
) -> None:
    for _ in range(3):
        fetch(f"{operations_site}/", BROWSER)
    fetch(f"{operations_site}/health/", BROWSER)
    fetch(f"{operations_site}/", "Googlebot/2.1 (+http://www.google.com/bot.html)")
    dump = manage(operations, "dumpdata", "quickscale_analytics")
    assert dump.count('"event_type": "page_view"') == 3
    assert "127.0.0.1" not in dump

    page.goto(f"{operations_site}/admin/quickscale_analytics/event/report/")
    staff_login(page)
    page.wait_for_url(f"{operations_site}/admin/quickscale_analytics/event/report/")
    top = page.get_by_test_id("top-pages")
    assert top.locator("tbody tr").first.inner_text().split() == ["/", "3"]
    assert page.get_by_test_id("events-per-day").locator("tbody tr").count() == 1
    check_admin_page(page)
    page.goto(f"{operations_site}/admin/quickscale_analytics/event/")
    check_admin_page(page)
    assert "Deleted 0 events older than 365 days." in manage(operations, "prune_analytics")


def test_removing_analytics_unwires_it_and_adding_it_back_wires_it(
    operations: Path, quickscale_bin: str, source_repo: Path
) -> None:
    enabled = (operations / "quickscale.yml").read_text()
    without = enabled.replace("  analytics: {}\n", "")
    preview = regenerate(operations, quickscale_bin, source_repo, without, "Remove analytics")
    assert "quickscale_analytics_event" in preview  # the table left behind, named
    settings = (operations / "ops" / "settings.py").read_text()
    assert "analytics" not in settings
    assert not (operations / "quickscale_modules" / "analytics").exists()
    assert not (operations / "tests" / "test_analytics_module.py").exists()
    manage(operations, "check")

    regenerate(operations, quickscale_bin, source_repo, enabled, "Analytics again")
    settings = (operations / "ops" / "settings.py").read_text()
    assert "quickscale_modules.analytics.middleware.PageViewMiddleware" in settings
    assert (operations / "tests" / "test_analytics_module.py").is_file()
    manage(operations, "check")
