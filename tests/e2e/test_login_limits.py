"""End to end: login rate limits of generated projects, against real gunicorn servers.

- The admin login is rate-limited with and without the auth module: django-axes guards
  it in a project without one; with auth it goes through allauth's login and limits.
  30 wrong passwords, then the right one, is refused until the lockout window (from the
  environment, shortened here) has passed.
- The limits hold across processes: two one-worker servers on one database (SQLite and
  PostgreSQL) share the counters through the default production cache (the database
  cache, created by plain `migrate`), and through Redis when REDIS_URL is set; a forged
  X-Forwarded-For changes nothing when no proxy is trusted.
- `check --deploy` refuses a per-process cache and a wildcard ALLOWED_HOSTS;
  X-Forwarded-Proto is believed only behind a trusted proxy.
- The Host header decides nothing: failed logins for one account count together under
  every host, port, trailing dot and letter case, and a password-reset mail links to the
  configured site address, also when ALLOWED_HOSTS is a wildcard.
"""

from __future__ import annotations

import itertools
import mailbox
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import free_port, production_env, run, start_server

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-9"
EMAIL = "root@example.com"
BAD_CREDENTIALS = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class Visitor:
    """One client of the servers under test. It keeps its cookies, the Secure ones too
    (the servers speak plain HTTP here, as behind a TLS-terminating proxy), sends them
    to every server, and never follows a redirect. With ``host`` every request names
    that site, as a load balancer in front of several servers passes the public name
    on; without it, a request's ``headers`` may name one."""

    def __init__(self, host: str | None = None) -> None:
        self.cookies: dict[str, str] = {}
        self.host = host

    def request(
        self, url: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body) of a GET, or of a POST when ``form`` is given."""
        data = urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers=headers or {})
        if self.host:
            request.add_header("Host", self.host)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = _OPENER.open(request, timeout=120)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""'):
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            return response.status, response.headers.get("Location", ""), response.read().decode()

    def form_token(self, url: str) -> str:
        """GET a page with a form; its CSRF token (valid on every server of the site)."""
        status, _, body = self.request(url)
        assert status == 200, (url, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert token, body[:2000]
        return token.group(1)


def prepare(project: Path, database_url: str, **extra: str) -> dict[str, str]:
    """Production settings on a database of the test's own, migrated, with a superuser
    made by `createsuperuser --noinput` and static files collected; returns the
    environment to serve the project with."""
    env = production_env(DATABASE_URL=database_url, DJANGO_SECURE_SSL_REDIRECT="false", **extra)
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=env)
    run([".venv/bin/python", "manage.py", "collectstatic", "--noinput"], cwd=project, env=env)
    superuser = {
        "DJANGO_SUPERUSER_USERNAME": "root",
        "DJANGO_SUPERUSER_EMAIL": EMAIL,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    run([".venv/bin/python", "manage.py", "createsuperuser", "--noinput"], project, env | superuser)
    return env


@pytest.fixture
def serve(served: list[Any]) -> Callable[[Path, dict[str, str]], str]:
    """Start a one-worker gunicorn server of a project; returns its base URL."""

    def start(project: Path, env: dict[str, str]) -> str:
        args = [".venv/bin/gunicorn", f"{project.name}.wsgi", "--workers", "1", "--bind"]
        return start_server(args, project, env, served)

    return start


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


def shell(project: Path, env: dict[str, str], code: str) -> str:
    """The last line `manage.py shell -c code` prints."""
    out = run([".venv/bin/python", "manage.py", "shell", "-c", code], project, env).stdout
    return out.strip().splitlines()[-1]


# --- Point 2: the admin login -------------------------------------------------------


def test_admin_login_without_a_login_module_locks_out_until_the_window_passes(
    project: Path, sqlite_url: str, serve: Callable[[Path, dict[str, str]], str]
) -> None:
    """django-axes: the limit-th failure locks, by address or username."""
    # Failures count while each comes within the window of the last (a wrong password
    # costs about a second of hashing), and every attempt made during the lockout
    # starts it again.
    window, limit = 8, 5
    env = prepare(project, sqlite_url, DJANGO_LOGIN_LOCKOUT_SECONDS=str(window))
    base = serve(project, env)
    visitor = Visitor()
    login = f"{base}/admin/login/?next=/admin/"
    token = visitor.form_token(login)

    def log_in(password: str) -> tuple[int, str, str]:
        form = {"username": "root", "password": password, "csrfmiddlewaretoken": token}
        return visitor.request(login, form)

    for attempt in range(1, 31):
        status, _, body = log_in(f"wrong-password-{attempt}")
        if attempt < limit:
            assert status == 200 and "Please enter the correct username" in body, attempt
        else:
            assert status == 429 and "too many login attempts" in body, attempt
    status, _, body = log_in(PASSWORD)
    assert status == 429 and "too many login attempts" in body
    assert visitor.request(f"{base}/admin/")[0] == 302  # not signed in

    time.sleep(window + 1)
    status, location, _ = log_in(PASSWORD)
    assert (status, location) == (302, "/admin/")
    status, _, body = visitor.request(f"{base}/admin/")
    assert status == 200 and "Site administration" in body


def test_admin_login_with_the_auth_module_goes_through_allauth_and_locks_until_the_window_passes(
    wired: Path, sqlite_url: str, serve: Callable[[Path, dict[str, str]], str]
) -> None:
    """The createsuperuser account logs in by email at once (its address is verified)."""
    # allauth's window slides: it must outlast the 31 attempts (about 5 s here, most of
    # it hashing the first 5 wrong passwords) for the right one to meet the lockout.
    window = 20
    env = prepare(
        wired, sqlite_url, DJANGO_LOGIN_LOCKOUT_SECONDS=str(window), SENDGRID_API_KEY="SG.test"
    )
    base = serve(wired, env)
    visitor = Visitor()
    status, location, _ = visitor.request(f"{base}/admin/login/?next=/admin/")
    allauth_login = "/accounts/login/?next=%2Fadmin%2F"
    assert (status, location) == (302, allauth_login)
    token = visitor.form_token(f"{base}{allauth_login}")
    # Django's own admin form is not processed: the right password there logs nobody in.
    form = {"username": "root", "password": PASSWORD, "csrfmiddlewaretoken": token}
    status, location, _ = visitor.request(f"{base}/admin/login/?next=/admin/", form)
    assert (status, location) == (302, allauth_login)
    assert visitor.request(f"{base}/admin/")[0] == 302

    def log_in(password: str) -> tuple[int, str, str]:
        form = {"login": EMAIL, "password": password, "csrfmiddlewaretoken": token}
        return visitor.request(f"{base}{allauth_login}", form)

    for attempt in range(1, 31):
        status, _, body = log_in(f"wrong-password-{attempt}")
        assert status == 200, attempt
        assert (BAD_CREDENTIALS if attempt <= 5 else TOO_MANY) in body, attempt
    status, _, _ = log_in(PASSWORD)
    assert status == 429  # the 31st login request in the window, refused before any check
    assert visitor.request(f"{base}/admin/")[0] == 302

    time.sleep(window + 1)
    status, location, _ = log_in(PASSWORD)
    assert (status, location) == (302, "/admin/")
    status, _, body = visitor.request(f"{base}/admin/")
    assert status == 200 and "Site administration" in body


# --- Point 3: limits across processes, the shared cache, proxies --------------------


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
def shared_state(request: pytest.FixtureRequest, sqlite_url: str) -> dict[str, str]:
    """Where the servers keep what they share: the database, and its cache table, on
    SQLite or PostgreSQL; or, with REDIS_URL (a database of its own on the session's
    real redis-server), the counters in Redis."""
    if request.param == "sqlite":
        return {"DATABASE_URL": sqlite_url}
    if request.param == "postgresql":
        return {"DATABASE_URL": str(request.getfixturevalue("fresh_database"))}
    redis_url = request.getfixturevalue("redis_server").url.replace("/0", "/1")
    return {"DATABASE_URL": sqlite_url, "REDIS_URL": redis_url}


def test_failed_logins_are_counted_once_across_two_servers(
    wired: Path, shared_state: dict[str, str], serve: Callable[[Path, dict[str, str]], str]
) -> None:
    """Per account `limit` failures, per address 2 x `limit`, whichever server counts."""
    limit = 3
    state = dict(shared_state)
    env = prepare(
        wired,
        state.pop("DATABASE_URL"),
        DJANGO_LOGIN_FAILURE_LIMIT=str(limit),
        SENDGRID_API_KEY="SG.test",
        **state,
    )
    servers = (serve(wired, env), serve(wired, env))
    alternate = itertools.cycle(servers)
    visitor = Visitor(host="localhost")
    token = visitor.form_token(f"{servers[0]}/accounts/login/")

    def log_in(email: str, password: str, **headers: str) -> str:
        form = {"login": email, "password": password, "csrfmiddlewaretoken": token}
        status, _, body = visitor.request(f"{next(alternate)}/accounts/login/", form, headers)
        assert status == 200, status
        return body

    # One account, attempts alternating between the servers: blocked at exactly `limit`.
    for attempt in range(1, limit + 1):
        assert BAD_CREDENTIALS in log_in(EMAIL, f"wrong-{attempt}"), attempt
    assert TOO_MANY in log_in(EMAIL, "wrong-again")
    # Other accounts, each attempt claiming another client address in X-Forwarded-For.
    # No proxy is trusted, so the header is ignored: this address has made limit + 1
    # counted attempts above (the lockout one included), and is blocked at 2 x limit.
    for attempt in range(limit + 2, 2 * limit + 1):
        body = log_in(
            f"user{attempt}@example.com", "wrong", **{"X-Forwarded-For": f"203.0.113.{attempt}"}
        )
        assert BAD_CREDENTIALS in body, attempt
    body = log_in("another@example.com", "wrong", **{"X-Forwarded-For": "198.51.100.9"})
    assert TOO_MANY in body
    # Both limits reached: the right password is refused too, on either server.
    for server in servers:
        form = {"login": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, _, body = visitor.request(f"{server}/accounts/login/", form)
        assert status == 200 and TOO_MANY in body
    if "REDIS_URL" in state:  # the counters are in Redis, not in the database's table
        import redis

        assert redis.Redis.from_url(state["REDIS_URL"]).dbsize() > 0
        count = "from quickscale_core.models import CacheEntry; print(CacheEntry.objects.count())"
        assert shell(wired, env, count) == "0"


# --- The Host header decides nothing: one lockout per account, links from configuration


SITE_URL = "https://shop.example"
# Hosts and ports the servers answer to and letter cases of the email, all one account.
DISGUISES = [
    ("localhost:1001", "root@example.com"),
    ("localhost:1002", "ROOT@example.com"),
    ("localhost.", "Root@Example.Com"),
    ("LOCALHOST", "root@EXAMPLE.COM"),
    ("127.0.0.1", "rOOt@example.com"),
]


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[int, mailbox.Maildir]]:
    """A real SMTP server (aiosmtpd) delivering into a Maildir the test reads."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    handler = Mailbox(tmp_path / "mail")
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, handler.mailbox
    controller.stop()


def mailed_link(box: mailbox.Maildir, fragment: str) -> tuple[str, str]:
    """(the one message's plain text, its link containing ``fragment``); empties ``box``."""
    (message,) = box
    box.clear()
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    links = [url for url in re.findall(r"https?://\S+", text) if fragment in url]
    assert links, text
    return text, links[0]


@pytest.mark.parametrize("shared_state", ["postgresql", "redis"], indirect=True)
def test_the_host_header_changes_neither_the_lockout_nor_mailed_links(
    wired: Path,
    shared_state: dict[str, str],
    serve: Callable[[Path, dict[str, str]], str],
    smtp: tuple[int, mailbox.Maildir],
) -> None:
    """Two servers as the finding had them. The second is the same site misconfigured
    with ALLOWED_HOSTS=*, which `check --deploy` now refuses: its links still come from
    the configured address. One trusted proxy, and each request claims a client address
    of its own through it, so the per-address limit never decides: only the documented
    per-account one (5 failures) can lock."""
    state = dict(shared_state)
    if "REDIS_URL" in state:  # a database of its own: this account's counters stay here
        state["REDIS_URL"] = state["REDIS_URL"].rsplit("/", 1)[0] + "/2"
    smtp_port, box = smtp
    env = prepare(
        wired,
        state.pop("DATABASE_URL"),
        SENDGRID_API_KEY="SG.test",
        DJANGO_SITE_URL=SITE_URL,
        DJANGO_TRUSTED_PROXY_COUNT="1",
        EMAIL_PROVIDER="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        # Mail goes out from the request (no task worker runs here), Redis or not.
        CELERY_BROKER_URL="",
        **state,
    )
    env["DJANGO_ALLOWED_HOSTS"] = "shop.example,localhost,127.0.0.1"
    servers = (serve(wired, env), serve(wired, env | {"DJANGO_ALLOWED_HOSTS": "*"}))
    alternate = itertools.cycle(servers)
    addresses = (f"203.0.113.{n}" for n in itertools.count(1))
    visitor = Visitor()
    token = visitor.form_token(f"{servers[0]}/accounts/login/")

    def post(path: str, host: str, form: dict[str, str], server: str = "") -> tuple[int, str]:
        headers = {"Host": host, "X-Forwarded-For": next(addresses)}
        form = form | {"csrfmiddlewaretoken": token}
        status, _, body = visitor.request(f"{server or next(alternate)}{path}", form, headers)
        return status, body

    def log_in(host: str, email: str, password: str) -> str:
        status, body = post("/accounts/login/", host, {"login": email, "password": password})
        assert status == 200, (host, email, status)
        return body

    for host, email in DISGUISES:
        assert BAD_CREDENTIALS in log_in(host, email, "wrong"), (host, email)
    assert TOO_MANY in log_in("localhost:1003", EMAIL, "wrong-again")
    for host, email in DISGUISES:  # locked under every other name: the right one is refused
        assert TOO_MANY in log_in(host, email, PASSWORD), (host, email)
    assert visitor.request(f"{servers[0]}/accounts/profile/")[0] == 302  # nobody logged in

    for server, host in zip(servers, ("localhost:31337", "evil.example"), strict=True):
        status, _ = post("/accounts/password/reset/", host, {"email": EMAIL}, server)
        assert status == 302, (host, status)
        text, link = mailed_link(box, "/accounts/password/reset/key/")
        assert link.startswith(f"{SITE_URL}/accounts/password/reset/key/"), link
        assert host.split(":")[0] not in text, text
    if "REDIS_URL" in state:  # the counters were in Redis
        import redis

        assert redis.Redis.from_url(state["REDIS_URL"]).dbsize() > 0


def check_deploy(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [".venv/bin/python", "manage.py", "check", "--deploy"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_refuses_a_per_process_cache(project: Path) -> None:
    for url in ("locmemcache://", "dummycache://"):
        env = production_env(CACHE_URL=url)
        result = check_deploy(project, env)
        assert result.returncode != 0
        assert "quickscale_core.E001" in result.stderr
    # In development (DEBUG on) local memory is fine: one runserver process.
    env = production_env(CACHE_URL="locmemcache://")
    env["DJANGO_DEBUG"] = "true"
    result = check_deploy(project, env)
    assert "quickscale_core.E001" not in result.stdout + result.stderr


def test_check_deploy_refuses_a_wildcard_allowed_hosts_naming_the_fix(project: Path) -> None:
    env = production_env()
    env["DJANGO_ALLOWED_HOSTS"] = "*"
    result = check_deploy(project, env)
    assert result.returncode != 0
    assert "quickscale_core.E002" in result.stderr
    assert "Set DJANGO_ALLOWED_HOSTS to the names the site answers to" in result.stderr
    # No address for links either: DJANGO_SITE_URL unset, and no exact host to take.
    assert "quickscale_core.E003" in result.stderr and "Set DJANGO_SITE_URL" in result.stderr


def test_the_production_cache_is_the_database_cache_and_cache_url_still_works(
    project: Path, sqlite_url: str, tmp_path: Path
) -> None:
    probe = (
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('probe', 'kept'); "
        "print(settings.CACHES['default']['BACKEND'], cache.get('probe'))"
    )
    env = production_env(DATABASE_URL=sqlite_url)
    run([".venv/bin/python", "manage.py", "migrate", "--noinput"], cwd=project, env=env)
    assert shell(project, env, probe) == "django.core.cache.backends.db.DatabaseCache kept"
    env["CACHE_URL"] = f"filecache://{tmp_path / 'cache'}"
    assert shell(project, env, probe) == "django.core.cache.backends.filebased.FileBasedCache kept"


PROXY_PROBE = """
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
from quickscale_core.security import client_ip

site = SecurityMiddleware(lambda request: HttpResponse("page"))
request = RequestFactory().get(
    "/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    REMOTE_ADDR="10.0.0.2", HTTP_HOST="localhost",
)
response = site(request)
print(response.status_code, response.get("Location", "-"), client_ip(request))
"""


def test_forwarded_headers_are_believed_only_behind_a_trusted_proxy(project: Path) -> None:
    """A TLS-terminating proxy forwards plain http with X-Forwarded-Proto: https. Trusting
    no proxy (the default), the site redirects that request to https again, which
    comes back the same way: the redirect loop of docs/security.md."""
    env = production_env()
    assert shell(project, env, PROXY_PROBE) == "301 https://localhost/ 10.0.0.2"
    env["DJANGO_TRUSTED_PROXY_COUNT"] = "1"
    assert shell(project, env, PROXY_PROBE) == "200 - 198.51.100.7"
