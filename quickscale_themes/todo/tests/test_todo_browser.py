"""The todo app in headless Chromium: htmx updates without reloads, and the no-JS fallback.

Chromium is Debian's ($QUICKSCALE_CHROMIUM, default /usr/bin/chromium), driven through
Playwright's Python API against pytest-django's live server. Screenshots go to
$QUICKSCALE_ARTIFACTS (default: .artifacts/ inside this package, git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from quickscale_testing.modules import unavailable
from quickscale_testing.starter import audit
from quickscale_themes.todo.models import TodoItem, TodoList

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path(os.environ.get("QUICKSCALE_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PACKAGE_DIR = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 10_000


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    root = Path(os.environ.get("QUICKSCALE_ARTIFACTS") or PACKAGE_DIR / ".artifacts")
    path = root / "todo-theme" / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


class Session:
    """One browser tab plus everything it reported: console errors and htmx requests."""

    def __init__(self, browser: Any, base_url: str, artifacts: Path, *, javascript: bool = True):
        self.context = browser.new_context(
            base_url=base_url,
            java_script_enabled=javascript,
            viewport={"width": 1000, "height": 800},
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.artifacts = artifacts
        self.errors: list[str] = []
        self.htmx_requests: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on("request", self._on_request)
        self.shots = 0
        self.title_suffix = " · Acme Todo"

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _on_request(self, request: Any) -> None:
        if request.headers.get("hx-request") == "true":
            self.htmx_requests.append(f"{request.method} {request.url}")

    def check_page(self, expected_title: str) -> None:
        """Lighthouse-style basics: a title, a language, every form control labelled."""
        report = audit(self.page.content())
        assert self.page.title() == f"{expected_title}{self.title_suffix}"
        assert report.title.strip() == self.page.title()
        assert report.lang == "en"
        assert report.unlabelled() == [], report.unlabelled()

    def screenshot(self, name: str) -> Path:
        self.shots += 1
        path = self.artifacts / f"{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path

    def log_in(self, username: str) -> None:
        self.page.goto("/todo/")
        assert "/accounts/login/" in self.page.url
        self.check_page("Log in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill("pw-123456")
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url("**/todo/")

    def mark_window(self) -> None:
        """A variable on window survives htmx swaps but not a page load."""
        self.page.evaluate("window.__quickscaleMarker = 'still-here'")

    def window_is_marked(self) -> bool:
        return bool(self.page.evaluate("window.__quickscaleMarker === 'still-here'"))


def item_row(page: Any, title: str) -> Any:
    return page.locator("li.todo-item", has=page.locator(".todo-item__title", has_text=title))


@pytest.fixture(params=["starter-layout", "project-layout"])
def layout(request: pytest.FixtureRequest, settings: Any) -> str:
    """Run with the starter layout, and with a project base.html that does not extend it."""
    if request.param == "project-layout":
        template_dirs = [Path(__file__).parent / "project_layout", *settings.TEMPLATES[0]["DIRS"]]
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": template_dirs}]
    return str(request.param)


def test_todo_flow_updates_in_place_with_htmx(
    browser: Any, live_server: Any, artifacts: Path, make_user: Any, layout: str
) -> None:
    from playwright.sync_api import expect

    make_user("alice")
    session = Session(browser, live_server.url, artifacts)
    page = session.page
    if layout == "project-layout":
        session.title_suffix = ""
    session.log_in("alice")
    assert page.locator("body.acme-project").count() == (layout == "project-layout")
    session.check_page("My lists")
    session.screenshot("lists-empty")

    # Create a list: the panel is swapped in place, no navigation.
    session.mark_window()
    page.get_by_label("New list").fill("Groceries")
    page.get_by_role("button", name="Create list").click()
    expect(page.get_by_role("link", name="Groceries")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Created “Groceries”.")
    assert session.window_is_marked(), "creating a list reloaded the page"
    session.screenshot("list-created")

    page.get_by_role("link", name="Groceries").click()
    page.wait_for_url("**/todo/*/")
    session.check_page("Groceries")
    session.mark_window()

    for title in ("milk", "eggs", "bread"):
        field = page.get_by_label("New item")
        field.fill(title)
        field.press("Enter")
        expect(item_row(page, title)).to_be_visible()
        expect(page.get_by_label("New item")).to_be_focused()
        expect(page.get_by_label("New item")).to_have_value("")
    expect(page.locator(".todo-progress")).to_have_text("0 of 3 done")

    page.get_by_role("button", name="Done: eggs").click()
    expect(page.get_by_role("button", name="Done: eggs")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".todo-progress")).to_have_text("1 of 3 done")

    page.get_by_role("button", name="Delete milk").click()
    expect(item_row(page, "milk")).to_have_count(0)
    expect(page.locator("#messages")).to_contain_text("Deleted “milk”.")

    page.get_by_role("link", name="Edit bread").click()
    edit_field = page.get_by_label("Item title")
    expect(edit_field).to_be_focused()
    edit_field.fill("bread rolls")
    edit_field.press("Enter")
    expect(item_row(page, "bread rolls")).to_be_visible()

    page.get_by_text("Rename").click()
    page.get_by_label("List title").fill("Weekly groceries")
    page.get_by_label("List title").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly groceries")
    expect(page).to_have_title(f"Weekly groceries{session.title_suffix}")

    assert session.window_is_marked(), "an item update reloaded the page"
    assert len(session.htmx_requests) >= 8, session.htmx_requests
    session.check_page("Weekly groceries")
    session.screenshot("items-updated")

    page.reload()
    assert not session.window_is_marked()  # proves the marker detects a real reload
    session.check_page("Weekly groceries")
    expect(page.locator(".todo-item__title")).to_have_text(["eggs", "bread rolls"])
    expect(page.get_by_role("button", name="Done: eggs")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Done: bread rolls")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.locator(".todo-progress")).to_have_text("1 of 2 done")
    session.screenshot("after-reload")

    assert session.errors == []
    todo_list = TodoList.objects.get()
    assert todo_list.title == "Weekly groceries" and todo_list.owner.username == "alice"
    assert list(TodoItem.objects.values_list("title", "done")) == [
        ("eggs", True),
        ("bread rolls", False),
    ]


def test_todo_flow_works_without_javascript(
    browser: Any, live_server: Any, artifacts: Path, make_user: Any
) -> None:
    from playwright.sync_api import expect

    make_user("bob")
    session = Session(browser, live_server.url, artifacts, javascript=False)
    page = session.page
    session.log_in("bob")

    page.get_by_label("New list").fill("Chores")
    page.get_by_role("button", name="Create list").click()
    page.wait_for_url("**/todo/*/")
    session.check_page("Chores")
    expect(page.locator("#messages")).to_contain_text("Created “Chores”.")
    for title in ("dishes", "laundry"):
        page.get_by_label("New item").fill(title)
        page.get_by_role("button", name="Add").click()
        expect(item_row(page, title)).to_be_visible()
    page.get_by_role("button", name="Done: dishes").click()
    expect(page.get_by_role("button", name="Done: dishes")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="Delete laundry").click()
    expect(item_row(page, "laundry")).to_have_count(0)

    page.get_by_role("link", name="Delete this list").click()
    session.check_page("Delete list")
    session.screenshot("confirm-delete-no-js")
    page.get_by_role("button", name="Delete the list").click()
    page.wait_for_url("**/todo/")
    expect(page.locator("#messages")).to_contain_text("Deleted “Chores”.")
    assert session.htmx_requests == []
    assert session.errors == []
    assert not TodoList.objects.exists()


@pytest.mark.usefixtures("spanish")
def test_language_switcher_works_without_javascript_and_right_to_left_mirrors_the_layout(
    browser: Any, live_server: Any, artifacts: Path, make_user: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
    make_user("carol")
    session = Session(browser, live_server.url, artifacts, javascript=False)
    page = session.page
    session.log_in("carol")

    def gap(left: str, right: str) -> float:
        """Pixels between the right edge of ``left`` and the left edge of ``right``."""
        a, b = page.locator(left).bounding_box(), page.locator(right).bounding_box()
        return float(b["x"] - (a["x"] + a["width"]))

    # Left to right: the account links, then the switcher, at the end of the header.
    assert 0 < gap(".site-account", ".language-switcher") < 40
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url("**/todo/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Mis listas")).to_be_visible()
    expect(page).to_have_title("Mis listas · Acme Todo")
    session.screenshot("spanish")

    page.get_by_label("Idioma").select_option("ar")
    page.get_by_role("button", name="Cambiar idioma").click()
    page.wait_for_url("**/todo/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Mirrored: the brand at the right, the account links then the switcher to its left.
    assert gap(".site-account", ".brand") > 100
    assert 0 < gap(".language-switcher", ".site-account") < 40
    assert audit(page.content()).unlabelled() == []
    session.screenshot("right-to-left")
    assert session.errors == []
