"""The admin module in a real project, through the real CLI and Chromium.

`quickscale init ops --theme todo` with modules auth, admin and analytics in quickscale.yml, then
`generate`: the project's own tests pass (the module's smoke test among them); served,
a staff user sees the dashboard in the site's colours with the counters the enabled
components declare, a list exports CSV (never a password hash), a config help text
holding an Alpine.js attribute is shown as text and never runs, and each admin page has
no serious or critical
axe-core finding (light and dark) and no Content-Security-Policy violation; the screenshot of the
dashboard is the one in quickscale_modules/admin/README.md. Removing the module from
quickscale.yml and generating again unwires it; adding it back wires it again.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    ALPINE_HELP_TEXT,
    ARTIFACTS,
    check_admin_page,
    clean_env,
    regenerate,
    run,
    staff_login,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SHOTS = ARTIFACTS / "admin"


def manage(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([".venv/bin/python", "manage.py", *args], cwd=project, env=clean_env())


def test_the_project_with_the_admin_passes_its_own_tests(operations: Path) -> None:
    assert (operations / "tests" / "test_admin_module.py").is_file()
    result = run([".venv/bin/python", "-m", "pytest", "-q"], cwd=operations, env=clean_env())
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_a_staff_user_works_in_the_admin_in_chromium(operations_site: str, page: Any) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{operations_site}/admin/")
    assert "/login/" in page.url  # anonymous: the login page
    check_admin_page(page)
    staff_login(page)
    page.wait_for_url(f"{operations_site}/admin/")
    counters = page.locator("[data-counter]")
    labels = counters.evaluate_all("nodes => nodes.map(n => n.dataset.counter)")
    # The admin's own, then each enabled component's, in wiring order; nothing else.
    assert labels[0] == "Users" and "Email addresses" in labels and "Audit log entries" in labels
    assert "Analytics events" in labels  # another enabled module's counter
    assert not any(label in labels for label in ("Payments", "Subscriptions"))
    assert page.locator('[data-counter="Users"] a').inner_text() == "1"
    # The site's brand colour (the theme's --qs-primary) is the admin's primary colour.
    primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--qs-primary').trim()"
    )
    assert primary == "#3341b3"
    assert failed == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "dashboard.png"))
    check_admin_page(page)

    page.goto(f"{operations_site}/admin/auditlog/logentry/")
    assert page.locator("#result_list").count() == 1
    check_admin_page(page)
    page.goto(f"{operations_site}/admin/ops/user/")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "export_csv")
    with page.expect_download() as download:
        page.click("button[name=index]")
    text = Path(download.value.path()).read_text()
    assert text.splitlines()[0].startswith("id,last_login,")  # never the password hash
    assert "root@example.com" in text and "pbkdf2_sha256$" not in text
    check_admin_page(page)


def test_a_config_help_text_is_shown_as_written_and_never_runs(
    operations_site: str, page: Any
) -> None:
    """The admin allows 'unsafe-eval' for unfold's Alpine.js, so a config help text that
    reached the page as HTML ran its x-init. It is text now: on the add form of the
    config's model, Alpine starts, the title stays, and the help text reads as written."""
    add = f"{operations_site}/admin/ops/note/add/"
    page.goto(add)
    staff_login(page)
    page.wait_for_url(add)
    # Alpine has started and walked the page (its own x-data components are live).
    page.wait_for_function("() => window.Alpine && document.querySelector('[x-data]')._x_dataStack")
    assert "pwned" not in page.title() and "note" in page.title().lower()
    assert page.get_by_text(ALPINE_HELP_TEXT, exact=True).count() == 1
    assert page.locator("[x-init*=pwned]").count() == 0
    check_admin_page(page)
    assert "pwned" not in page.title()


def test_removing_the_admin_unwires_it_and_adding_it_back_wires_it(
    operations: Path, quickscale_bin: str, source_repo: Path
) -> None:
    enabled = (operations / "quickscale.yml").read_text()
    without = enabled.replace("  admin: {}\n", "")
    preview = regenerate(operations, quickscale_bin, source_repo, without, "Remove the admin")
    assert "auditlog_logentry" in preview  # the table left behind, named
    settings = (operations / "ops" / "settings.py").read_text()
    assert "unfold" not in settings and "QUICKSCALE_ADMIN_COUNTERS" not in settings
    assert not (operations / "quickscale_modules" / "admin").exists()
    assert not (operations / "tests" / "test_admin_module.py").exists()
    manage(operations, "check")

    regenerate(operations, quickscale_bin, source_repo, enabled, "The admin again")
    settings = (operations / "ops" / "settings.py").read_text()
    assert '"unfold"' in settings and "QUICKSCALE_ADMIN_COUNTERS" in settings
    assert (operations / "tests" / "test_admin_module.py").is_file()
    manage(operations, "check")
