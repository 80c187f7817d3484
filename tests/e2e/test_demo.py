"""`make demo` shows the product, and a generated project's own tests guard its wiring.

The demo is built as `make demo` builds it: `make demo-venv` (the demo's light venv, the
CLI and core only), then scripts/demo itself (`--no-serve`); then `make demo` serves it,
and headless Chromium goes through it as a newcomer would:
the home page, "Log in" (the site's own page, not the admin's), sign-up, the
verification mail read from the terminal where the demo runs, verification, logging
in, a to-do list. The login the demo prints works too. When the port is taken, `make
demo` says so in one line naming `PORT=`, before it installs or creates anything.

Then the demo project's wiring is broken on purpose, one component at a time, and its
own `pytest` fails in the smoke tests that component contributed to the project.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTIFACTS, clean_env, free_port, wait_for
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.catalog import from_directory

pytestmark = pytest.mark.e2e

ROOT = monorepo_root()
DEMO = ROOT / "scripts" / "demo"
EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery-9"
SHOTS = ARTIFACTS / "demo"


def demo_env(work: Path, source_repo: Path | None = None, **extra: str) -> dict[str, str]:
    """What `make demo` sees, with the demo in ``work`` and shared code taken from this
    working tree (``source_repo``), as the other end-to-end tests do. No make variables
    of an outer `make test` leak in."""
    if source_repo is not None:
        extra["QUICKSCALE_SOURCE"] = str(source_repo)
    env = clean_env(DEMO_DIR=str(work), **extra)
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    return env


def make(*args: str, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` in this checkout, as typed there."""
    return subprocess.run(
        ["make", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, source_repo: Path) -> tuple[Path, Path]:
    """(the demo's directory, the project) as `make demo` builds them: the light venv by
    `make demo-venv`, the rest by `scripts/demo --no-serve`."""
    work = tmp_path_factory.mktemp("demo")
    venv = make("demo-venv", f"DEMO_DIR={work}", env=demo_env(work))
    assert venv.returncode == 0, venv.stdout + venv.stderr
    built = subprocess.run(
        [str(DEMO), "--no-serve"],
        env=demo_env(work, source_repo),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Demo ready in" in built.stdout
    return work, work / "acme"


def test_the_demo_s_venv_holds_the_cli_and_core_only(demo: tuple[Path, Path]) -> None:
    """The light venv is enough to build the demo (the fixture did), and it holds none of
    the monorepo's test toolchain, whose install made the first run take minutes."""
    work, _ = demo
    listed = subprocess.run(
        [str(work / ".venv" / "bin" / "python"), "-m", "pip", "list", "--format=json"],
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    names = {row["name"].lower() for row in json.loads(listed.stdout)}
    assert {"quickscale-cli", "quickscale-core"} <= names
    assert not names & {"pytest", "playwright", "moto", "locust", "mypy", "django"}, names


def bound(port: int) -> socket.socket:
    """A listener on ``port`` (0: any), as another server holding it would be."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


TAKEN = re.compile(r"error: port (\d+) is in use — run 'make demo PORT=(\d+)'")


# make exits 2 when a recipe fails, and adds its own "make: *** ... Error 1" line.
@pytest.mark.parametrize(("how", "code"), [("make", 2), ("script", 1)])
def test_a_taken_port_stops_the_demo_first_in_one_line_naming_port(
    tmp_path: Path, how: str, code: int
) -> None:
    work = tmp_path / "demo"
    with bound(0) as taken:
        port = taken.getsockname()[1]
        env = demo_env(work, PORT=str(port))
        if how == "make":
            done = make("demo", f"PORT={port}", f"DEMO_DIR={work}", env=env, timeout=60)
        else:
            done = subprocess.run([str(DEMO)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == code, done.stdout + done.stderr
    first, *rest = done.stderr.splitlines()
    found = TAKEN.fullmatch(first)
    assert found, done.stderr
    assert int(found.group(1)) == port
    assert all(re.match(r"make(\[\d+\])?: \*\*\* ", line) for line in rest), done.stderr
    assert done.stdout == ""
    # Nothing was installed or created: neither the demo's directory nor its venv.
    assert not work.exists()
    # The port it names is free to use.
    bound(int(found.group(2))).close()


@pytest.mark.parametrize("port", ["abc", "0", "08000", "70000", "80 81"])
def test_a_port_that_is_no_port_is_refused_in_one_line(tmp_path: Path, port: str) -> None:
    work = tmp_path / "demo"
    done = subprocess.run(
        [str(DEMO)], env=demo_env(work, PORT=port), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"error: PORT must be a number from 1 to 65535, not '{port}' — run 'make demo PORT=8000'"
    ]
    assert not work.exists()


class Terminal:
    """`make demo` serving, its output (request log, console mails) kept as a person
    sees it in the terminal."""

    def __init__(self, log: Path, process: subprocess.Popen[bytes], base: str) -> None:
        self.log, self.process, self.base = log, process, base

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: str, timeout: float = 20.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while not (found := re.search(pattern, self.text(), re.MULTILINE)):
            assert time.monotonic() < deadline, f"{pattern!r} not in:\n{self.text()[-3000:]}"
            time.sleep(0.1)
        return found


@pytest.fixture
def terminal(demo: tuple[Path, Path], source_repo: Path) -> Iterator[Terminal]:
    work, _ = demo
    port = free_port()
    log = work / "terminal.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "demo", f"PORT={port}", f"DEMO_DIR={work}"],
            cwd=ROOT,
            env=demo_env(work, source_repo, PORT=str(port), PYTHONUNBUFFERED="1"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # runserver's reloader child goes with it
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health/", timeout=120)
        yield Terminal(log, process, base)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_demo_in_chromium_home_sign_up_mail_verify_log_in_todo(
    terminal: Terminal, page: Any
) -> None:
    from playwright.sync_api import expect

    base = terminal.base
    printed = terminal.wait_for(
        rf"Log in:\s+{re.escape(base)}/accounts/login/\s+as (\S+?), password (\S+)$"
    )
    assert "Django's console email backend prints each one in this terminal" in terminal.text()

    # Home; "Log in" is the site's own page (allauth's, in the site's layout).
    page.goto(f"{base}/")
    expect(page.locator("main h1")).to_have_text("Acme")
    shot(page, "01-home")
    header = page.locator("header.site-header")
    header.get_by_role("link", name="Log in", exact=True).click()
    expect(page).to_have_url(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    expect(page).to_have_title("Log in · Acme")
    expect(page.locator("header.site-header .brand")).to_be_visible()
    assert page.locator("link[href*='quickscale_starter/css/starter.css']").count() == 1
    shot(page, "02-login")

    # Sign up from the login page's link.
    page.locator("main").get_by_role("link", name="Sign up", exact=True).click()
    expect(page).to_have_url(f"{base}/accounts/signup/")
    page.get_by_label("Email", exact=False).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    shot(page, "03-signup")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("verify", re.I))).to_be_visible()

    # The mail is in the terminal: to this address, with the link to open.
    mail = terminal.wait_for(
        rf"^To: {re.escape(EMAIL)}$(?:.|\n)*?({re.escape(base)}/accounts/confirm-email/\S+)"
    )
    page.goto(mail.group(1))
    shot(page, "04-confirm")
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()

    # Log in with the new, verified account.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email", exact=False).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    expect(page.get_by_text(EMAIL)).to_be_visible()
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()

    # A to-do list with an item, from the home page's link.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Open your to-do lists").click()
    page.get_by_label("New list").fill("Groceries")
    page.get_by_role("button", name="Create list").click()
    page.get_by_role("link", name="Groceries").click()
    page.get_by_label("New item").fill("milk")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".todo-item__title", has_text="milk")).to_be_visible()
    shot(page, "05-todo")
    page.reload()
    expect(page.locator(".todo-item__title")).to_have_text(["milk"])

    # The login the demo printed works as it is.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email", exact=False).first.fill(printed.group(1))
    page.get_by_label(re.compile(r"^Password:?$")).fill(printed.group(2))
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_text(printed.group(1))).to_be_visible()
    assert page.console_errors == []
    assert page.csp_violations == []
    # "An administrator too" (Django's admin pages name no icon: their /favicon.ico 404s).
    page.goto(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def project_pytest(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf"],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def contributed_tests(entry: Any) -> list[str]:
    """The test files a component adds to a project, as project paths."""
    return [
        "tests/" + path.removeprefix("__tests__/").removesuffix(".j2")
        for path in entry.project_templates()
        if path.startswith("__tests__/test_")
    ]


def broken(project: Path, entry: Any) -> dict[Path, str]:
    """Unwire ``entry`` as a slip in an edit would: its URL includes gone from urls.py,
    or, for a component without URLs, its apps gone from INSTALLED_APPS. Returns the
    original text of each file changed."""
    name = project.name
    if entry.manifest.urls:
        path = project / name / "urls.py"
        marks = [f'include("{u.module}")' for u in entry.manifest.urls]
    else:
        path = project / name / "settings.py"
        marks = [f'    "{app}",' for app in entry.manifest.apps]  # a comment may follow
    original = path.read_text()
    lines = original.splitlines(keepends=True)
    kept = [line for line in lines if not any(mark in line for mark in marks)]
    assert len(kept) < len(lines), f"nothing of {entry.component.id} in {path}"
    path.write_text("".join(kept))
    return {path: original}


def test_the_demo_project_s_own_tests_pass_and_fail_when_a_component_is_unwired(
    demo: tuple[Path, Path],
) -> None:
    _, project = demo
    whole = project_pytest(project)
    assert whole.returncode == 0, whole.stdout + whole.stderr
    # Among them, core's: no two URL patterns share a name, none is shadowed.
    assert (project / "tests" / "test_urls.py").is_file()

    entries = [e for e in from_directory(project) if contributed_tests(e)]
    assert {e.component.id for e in entries} >= {
        "themes/todo",
        "modules/auth",
        "modules/notifications",
    }
    for entry in entries:
        originals = broken(project, entry)
        try:
            result = project_pytest(project)
        finally:
            for path, text in originals.items():
                path.write_text(text)
        assert result.returncode != 0, f"unwired {entry.component.id}, yet:\n{result.stdout}"
        failed = re.findall(r"^(?:FAILED|ERROR) (tests/\S+?)::", result.stdout, re.MULTILINE)
        assert set(failed) & set(contributed_tests(entry)), (entry.component.id, result.stdout)
    again = project_pytest(project)
    assert again.returncode == 0, again.stdout
