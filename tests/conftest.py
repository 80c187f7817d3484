"""Fixtures of the end-to-end suite: real CLI, real venvs, real servers and databases."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from quickscale_testing.modules import unavailable
from quickscale_testing.repos import make_source_repo, monorepo_root

ARTIFACTS = Path(os.environ.get("QUICKSCALE_ARTIFACTS", monorepo_root() / ".artifacts"))


def require_service(variable: str, what: str) -> str:
    """A real service's address from the environment: skipped locally, required in CI."""
    value = os.environ.get(variable, "")
    if not value:
        unavailable(f"{variable} is not set, so {what} is not available here")
    return value


@pytest.fixture(scope="session")
def quickscale_bin() -> str:
    candidate = Path(sys.executable).with_name("quickscale")
    found = str(candidate) if candidate.exists() else shutil.which("quickscale")
    assert found, "the quickscale console script is not installed in this environment"
    return found


@pytest.fixture(scope="session")
def source_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_source_repo(tmp_path_factory.mktemp("source") / "quickscale")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return require_service("QUICKSCALE_TEST_DATABASE_URL", "a PostgreSQL server")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("QUICKSCALE_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        unavailable(f"no Chromium at {path}")
    return path


class RedisServer:
    """A real redis-server (Debian's package) on a free loopback port, no persistence.

    ``stop`` and ``start`` take it down and bring it back on the same port, as an
    outage would."""

    def __init__(self, workdir: Path) -> None:
        self.binary = os.environ.get("QUICKSCALE_REDIS_SERVER", "/usr/bin/redis-server")
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, cwd=self.workdir)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def redis_binary() -> str:
    """The redis-server binary: skipped locally when missing, required in CI."""
    binary = os.environ.get("QUICKSCALE_REDIS_SERVER", "/usr/bin/redis-server")
    if not Path(binary).exists():
        unavailable(f"no redis-server at {binary}")
    return binary


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One Redis for the session; tests keep apart by key prefix or database number."""
    redis_binary()
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure show its output in the assertion message."""
    result = subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def clean_env(**extra: str) -> dict[str, str]:
    """The environment a generated project sees: no variables of ours or of Django's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "QUICKSCALE_", "VIRTUAL_ENV", "PYTHON"))
        and k != "DATABASE_URL"
    }
    env.update(extra)
    return env


def production_env(**extra: str) -> dict[str, str]:
    """A generated project's environment in production: DEBUG off, a real secret key."""
    return clean_env(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        **extra,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # the server answers; the test checks the status
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up in {timeout}s")


# Debian's Chromium, headless, with nothing that would reach for the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Reports each Content-Security-Policy violation of every document the page loads to
# Python (window.__qsCspViolation is a Playwright binding). An init script runs before
# the page's own scripts, through the DevTools protocol: the policy stays in force.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (event) => {
  const element = event.target instanceof Element ? event.target.outerHTML.slice(0, 160) : "";
  window.__qsCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI} at `
    + `${event.sourceFile}:${event.lineNumber} on ${document.location.href}: ${element}`);
});"""


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    """A Playwright page in headless Chromium that records console and page errors, and
    every Content-Security-Policy violation (``page.csp_violations``). CSP is never
    bypassed: test code runs through ``page.evaluate`` and init scripts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        tab = browser.new_page(bypass_csp=False)
        tab.set_default_timeout(15_000)
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.console_errors = errors
        violations: list[str] = []
        tab.expose_function("__qsCspViolation", lambda text: violations.append(text))
        tab.csp_violations = violations
        tab.add_init_script(CSP_LISTENER)
        yield tab
        browser.close()


def axe_findings(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of ``impacts`` on the page as it is now, one line per element.

    axe-core comes from the pinned axe-playwright-python package (its bundled
    axe.min.js), injected with ``page.evaluate``: nothing is fetched at test time.
    """
    from importlib import resources

    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate((resources.files("axe_playwright_python") / "axe.min.js").read_text())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {node['target']} on {page.url}"
        f" -- {node.get('failureSummary', '')}".replace("\n", " ")
        for rule in results["violations"]
        if rule["impact"] in impacts
        for node in rule["nodes"]
    ]


def accessibility_findings(page: Any) -> list[str]:
    """axe's serious and critical findings in the light and then the dark colour scheme."""
    findings = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        findings += [f"[{scheme}] {finding}" for finding in axe_findings(page)]
    page.emulate_media(color_scheme="light")
    return findings


def start_server(
    args: list[str], cwd: Path, env: dict[str, str], served: list[subprocess.Popen[bytes]]
) -> str:
    """Start a project's server on a free loopback port; return its base URL once up."""
    port = free_port()
    served.append(
        subprocess.Popen(
            [*args, f"127.0.0.1:{port}"],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/health/")
    return base


@pytest.fixture(scope="session")
def served() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Servers started by tests, stopped at the end of the session whatever happens."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for proc in processes:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- Generated projects shared by the test modules (each costs a venv).


def install_requirements(project: Path) -> None:
    """A venv of the project's own from its pinned requirements-dev.txt, with pip in it as
    a user's has. uv installs it from its wheel cache, resolving as pip does (so a
    dependency missing from the pins is installed and then caught by test_wiring's
    pinned-set check), in seconds instead of a minute or two per project. The README's
    own path (python -m venv, pip install -r) is taken for real by
    test_full_stack_browser and by the day-two test, whose printed fix is a pip install."""
    uv = uv_binary()
    run([uv, "venv", "-q", "--seed", "--python", sys.executable, ".venv"], project, UV_ENV)
    install = [uv, "pip", "install", "-q", "--python", ".venv/bin/python"]
    cached = subprocess.run(
        [*install, "--offline", "-r", "requirements-dev.txt"],
        cwd=project,
        env={**os.environ, **UV_ENV},
        capture_output=True,
        text=True,
    )
    if cached.returncode != 0:
        run([*install, "-r", "requirements-dev.txt"], project, UV_ENV)


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path):
    """A project made by the real CLI (the default theme, no modules), with its own venv
    and pinned requirements."""
    work = tmp_path_factory.mktemp("e2e")
    run([quickscale_bin, "init", "acme", "--source", str(source_repo)], cwd=work)
    project = work / "acme"
    install_requirements(project)
    return project


WIRED_MODULES = """
modules:
  auth: {}
  notifications:
    provider: sendgrid
"""


@pytest.fixture(scope="session")
def wired(tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path) -> Path:
    """init --theme todo, modules auth + notifications enabled in quickscale.yml, generate,
    venv install. In production it needs SENDGRID_API_KEY."""
    work = tmp_path_factory.mktemp("wiring")
    source = ["--source", str(source_repo)]
    run([quickscale_bin, "init", "shop", "--theme", "todo", *source], cwd=work, env=clean_env())
    project = work / "shop"
    config = project / "quickscale.yml"
    config.write_text(
        config.read_text().replace("schema_version: 1", "schema_version: 2") + WIRED_MODULES
    )
    done = run([quickscale_bin, "generate", "--no-migrations", *source], project, clean_env())
    assert "Next: python manage.py migrate" in done.stdout
    install_requirements(project)
    return project


@pytest.fixture
def fresh_database(postgres_url: str) -> Iterator[str]:
    """A database of its own on the test server (dropped afterwards), so a project of
    another shape migrated by another test never meets this one's tables."""
    with new_database(postgres_url) as url:
        yield url


@contextmanager
def new_database(postgres_url: str) -> Iterator[str]:
    """fresh_database for any scope: a module's project can migrate once."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"qs_e2e_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(postgres_url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')


OPERATIONS_MODULES = """
modules:
  auth: {}
  admin: {}
  analytics: {}
  backup: {}
customizations:
  models:
    - name: Note
      fields:
        - name: title
          type: string
          help_text: <div x-data x-init="document.title='pwned'">
"""
#: A config help text that ran as script in the admin (test_admin_module shows it inert).
ALPINE_HELP_TEXT = """<div x-data x-init="document.title='pwned'">"""


@pytest.fixture(scope="session")
def operations(
    tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path
) -> Path:
    """init --theme todo with the operations modules (admin, analytics, backup; auth beside them)
    enabled in quickscale.yml and one model of its own (Note), generated, installed in its
    own venv and migrated on SQLite."""
    work = tmp_path_factory.mktemp("operations")
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run([quickscale_bin, "init", "ops", "--theme", "todo"], cwd=work, env=env)
    project = work / "ops"
    config = project / "quickscale.yml"
    config.write_text(config.read_text() + OPERATIONS_MODULES)
    run(["git", "commit", "-qam", "Enable the operations modules"], cwd=project)
    run([quickscale_bin, "generate", "--no-migrations"], cwd=project, env=env)
    install_requirements(project)
    run([quickscale_bin, "generate"], cwd=project, env=env)  # Note's migration, owed till now
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=clean_env())
    return project


STAFF_EMAIL = "root@example.com"
STAFF_PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="module")
def operations_site(operations: Path, served: list[subprocess.Popen[bytes]]) -> str:
    """The operations project served by runserver, with a superuser whose address is
    verified (with the auth module, the admin's login is allauth's, by email)."""
    script = (
        "from django.contrib.auth import get_user_model as m;"
        "from allauth.account.models import EmailAddress;"
        "u = m().objects.filter(username='root').first() or m().objects.create_superuser("
        f"username='root', email={STAFF_EMAIL!r}, password={STAFF_PASSWORD!r});"
        "EmailAddress.objects.update_or_create(user=u, email=u.email, "
        "defaults={'verified': True, 'primary': True})"
    )
    python = [".venv/bin/python", "manage.py"]
    run([*python, "shell", "-c", script], cwd=operations, env=clean_env())
    return start_server([*python, "runserver", "--noreload"], operations, clean_env(), served)


def staff_login(page: Any) -> None:
    """Log the superuser of ``operations_site`` in on the login page ``page`` shows."""
    import re

    page.get_by_label("Email", exact=False).first.fill(STAFF_EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def check_admin_page(page: Any) -> None:
    """No axe serious/critical finding in the light and the dark scheme, each loaded in
    it (the admin picks its scheme when the page loads), no CSP violation, no console
    error."""
    findings = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.reload()
        findings += [f"[{scheme}] {finding}" for finding in axe_findings(page)]
    page.emulate_media(color_scheme="light")
    page.reload()
    assert findings == []
    assert page.csp_violations == []
    assert page.console_errors == []


def regenerate(
    project: Path, quickscale_bin: str, source_repo: Path, config: str, what: str
) -> str:
    """Commit what is there, write ``config`` as quickscale.yml and commit it, run
    `quickscale generate` (its preview's output is returned: a removal lists the tables
    left behind), and commit what it wrote."""
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    run(["git", "add", "-A"], cwd=project)
    run(["git", "commit", "-qm", f"Before: {what}", "--allow-empty"], cwd=project)
    (project / "quickscale.yml").write_text(config)
    run(["git", "commit", "-qam", what], cwd=project)
    preview = run([quickscale_bin, "preview"], cwd=project, env=env)
    run([quickscale_bin, "generate", "--no-migrations"], cwd=project, env=env)
    run(["git", "add", "-A"], cwd=project)
    run(["git", "commit", "-qm", f"Generated: {what}", "--allow-empty"], cwd=project)
    return preview.stdout + preview.stderr


# --- Stripe's side, for the payments and billing end-to-end tests ----------------------


class JsonStandIn(BaseHTTPRequestHandler):
    """Base of a loopback stand-in for a remote JSON API (Stripe's): quiet, JSON out."""

    def send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_stand_in(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free loopback port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def session_cookie(project: Path, username: str) -> str:
    """Log a new user in the way Django's test client does; the browser gets the cookie."""
    code = (
        "from django.contrib.auth import get_user_model; from django.test import Client; "
        f"u = get_user_model().objects.create_user({username!r}, {username + '@example.com'!r},"
        " 'a-long-passphrase'); c = Client(); c.force_login(u); "
        "print(c.cookies['sessionid'].value)"
    )
    result = run([".venv/bin/python", "manage.py", "shell", "-c", code], project, clean_env())
    return result.stdout.strip().splitlines()[-1]


def post_stripe_event(base: str, payload: dict[str, Any], secret: str) -> int:
    """POST ``payload`` to the payments webhook, signed with Stripe's real scheme."""
    from quickscale_testing.payments import signature_header

    body = json.dumps(payload)
    request = urllib.request.Request(
        f"{base}/payments/webhook/",
        data=body.encode(),
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": signature_header(body, secret),
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(response.status)


# --- One set of pins for every generated project (combinations, lifecycle walks) -------
#
# A project's venv holds its own embedded quickscale_core, theme and modules, installed
# editable from its folders exactly as its README says, never the monorepo's copies. What
# is shared is everything else: all_modules_venv installs every pin of every component
# once per session through uv, which keeps the wheels in its cache; make_project_env then
# builds a project's .venv from its own requirements-dev.txt out of that cache, offline,
# in about a second (pip: about 25 s per project, with its cache warm).


# uv never fetches a Python: the venvs use this interpreter's.
UV_ENV = {"UV_PYTHON_DOWNLOADS": "never"}


def uv_binary() -> str:
    """The monorepo's uv (pinned in requirements-dev.txt)."""
    candidate = Path(sys.executable).with_name("uv")
    found = str(candidate) if candidate.exists() else shutil.which("uv")
    assert found, "uv is not installed: it is pinned in requirements-dev.txt"
    return found


def every_pin(source: Path) -> list[str]:
    """Requirement lines of everything a project made from ``source`` may install: core's
    runtime, toolchain, development and build pins, and every theme's and module's own pins."""
    from quickscale_toolchain import catalog, pins

    lines = [
        f"{name}=={version}"
        for name, version in (*pins.RUNTIME, *pins.TOOLCHAIN, *pins.DEV, *pins.CLI)
    ]
    for entry in catalog.from_directory(source):
        lines += [f"{name}=={version}" for name, version in entry.manifest.all_pins]
    return sorted(set(lines))


@pytest.fixture(scope="session")
def all_modules_venv(tmp_path_factory: pytest.TempPathFactory, source_repo: Path) -> Path:
    """A venv holding every component's pins (no QuickScale package): built once, it
    fills uv's cache for ``make_project_env``. Request it before calling that."""
    venv = tmp_path_factory.mktemp("all-modules") / "venv"
    requirements = venv.parent / "requirements.txt"
    requirements.write_text("\n".join(every_pin(source_repo)) + "\n")
    run([uv_binary(), "venv", "-q", "--python", sys.executable, str(venv)], venv.parent, UV_ENV)
    install = ["pip", "install", "-q", "--python", str(venv / "bin" / "python")]
    run([uv_binary(), *install, "-r", str(requirements)], venv.parent, UV_ENV)
    return venv


def make_project_env(project: Path, with_pip: bool = False) -> Path:
    """``project``'s own .venv, exactly its requirements-dev.txt (the embedded components
    editable from the project's folders): made, or brought in line after a change of
    modules. From uv's cache when every wheel is there, else from the index."""
    uv = uv_binary()
    venv = project / ".venv"
    if not venv.exists():
        seed = ["--seed"] if with_pip else []
        run([uv, "venv", "-q", *seed, "--python", sys.executable, str(venv)], project, UV_ENV)
    sync = [uv, "pip", "sync", "-q", "--python", str(venv / "bin" / "python")]
    offline = subprocess.run(
        [*sync, "--offline", "requirements-dev.txt"],
        cwd=project,
        env={**os.environ, **UV_ENV},
        capture_output=True,
        text=True,
    )
    if offline.returncode != 0:
        run([*sync, "requirements-dev.txt"], project, UV_ENV)
    return venv


class Mailbox:
    """aiosmtpd handler that keeps every message it receives (the `smtp` fixture's)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 20.0) -> Message:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"expected {count} emails, got {len(self.messages)}"
            time.sleep(0.05)
        return self.messages[count - 1]


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[int, Mailbox]]:
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, mailbox
    controller.stop()
