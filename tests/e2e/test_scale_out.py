"""End to end: the scale-out profile of a generated project, switched on by environment
variables, against real services started on loopback.

- REDIS_URL: the cache is Django's Redis backend on a real redis-server, shared by
  separate processes; CACHE_URL still wins.
- /health/live answers while the process is up; /health/ready names the service that
  is down (Redis stopped: cache and broker) with 503, and is 200 again once it is back.
- In production the logs are one JSON object per line, each with the request's id,
  which the response returns as X-Request-ID.
- AWS_STORAGE_BUCKET_NAME: media through django-storages to moto's S3 server, the
  media origin in the CSP's img-src.
- Celery on Redis with a real worker: a task whose worker is killed (SIGKILL) in the
  middle is redelivered to the next worker and completes once; an email queued by a
  web request is sent by the worker to an SMTP server that fails twice: one mail.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import RedisServer, free_port, production_env, run, start_server, wait_for

pytestmark = pytest.mark.e2e


def shell(project: Path, env: dict[str, str], code: str) -> str:
    """The last line `manage.py shell -c code` prints."""
    out = run([".venv/bin/python", "manage.py", "shell", "-c", code], project, env).stdout
    return out.strip().splitlines()[-1]


def get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_two_processes_share_a_value_through_redis(
    project: Path, redis_server: RedisServer, tmp_path: Path
) -> None:
    env = production_env(REDIS_URL=redis_server.url.replace("/0", "/2"))
    write = "from django.core.cache import cache; cache.set('shared', 'from-one', 60); print('set')"
    read = (
        "from django.conf import settings; from django.core.cache import cache; "
        "print(settings.CACHES['default']['BACKEND'], cache.get('shared'))"
    )
    assert shell(project, env, write) == "set"
    assert shell(project, env, read) == "django.core.cache.backends.redis.RedisCache from-one"
    # CACHE_URL comes first: the same process reads its own file cache, not Redis.
    env["CACHE_URL"] = f"filecache://{tmp_path / 'cache'}"
    assert shell(project, env, read) == "django.core.cache.backends.filebased.FileBasedCache None"


def test_readiness_names_redis_while_it_is_down_and_recovers(
    project: Path, served: list[Any], tmp_path: Path
) -> None:
    # A Redis of this test's own: the outage must not reach the other tests.
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        env = production_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            REDIS_URL=redis.url,
            DJANGO_SECURE_SSL_REDIRECT="false",
        )
        run([".venv/bin/python", "manage.py", "migrate", "--noinput"], project, env)
        args = [".venv/bin/gunicorn", f"{project.name}.wsgi", "--workers", "1", "--bind"]
        base = start_server(args, project, env, served)
        up = {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
        assert get(f"{base}/health/ready") == (200, up)

        redis.stop()
        status, body = get(f"{base}/health/ready")
        assert status == 503
        assert body["down"] == ["cache", "broker"] and body["database"] == "ok"
        assert get(f"{base}/health/live") == (200, {"status": "ok"})

        redis.start()
        assert get(f"{base}/health/ready") == (200, up)
    finally:
        redis.stop()


LOG_PROBE = """
from django.test import Client
client = Client(HTTP_HOST="localhost")
print(client.get("/health/live", secure=True)["X-Request-ID"])
print(client.post("/health/live", secure=True)["X-Request-ID"])
"""


def test_production_logs_are_json_lines_carrying_the_request_id(project: Path) -> None:
    result = run(
        [".venv/bin/python", "manage.py", "shell", "-c", LOG_PROBE], project, production_env()
    )
    live_id, missing_id = result.stdout.strip().splitlines()[-2:]
    assert live_id != missing_id
    # Python's warnings (WhiteNoise: no collected static files here) are not log lines.
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    by_id: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        assert {"timestamp", "level", "logger", "message", "request_id"} <= line.keys(), line
        by_id.setdefault(line["request_id"], []).append(line)
    assert [(r["logger"], r["status"]) for r in by_id[live_id]] == [("quickscale.request", 200)]
    missing = {(r["logger"], r["level"]) for r in by_id[missing_id]}
    # Django's own line about the refused method (405) carries the id too.
    assert missing == {("django.request", "WARNING"), ("quickscale.request", "INFO")}


# --- Celery: a real worker on the real Redis -----------------------------------------

SLOW_TASKS = '''
import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="e2e.slow_append")
def slow_append(path: str, marker: str) -> None:
    """Notes each start, works a while, then records one completion."""
    with Path(path + ".started").open("a") as started:
        started.write(marker + "\\n")
    time.sleep(float(os.environ["E2E_TASK_SECONDS"]))
    with Path(path).open("a") as done:
        done.write(marker + "\\n")
'''


def start_worker(
    project: Path, env: dict[str, str], log: Path, *include: str
) -> subprocess.Popen[bytes]:
    """`celery worker` of the project in a process group of its own (prefork: a parent
    and its pool child), logging to ``log``; ``include``: more task modules."""
    args = [".venv/bin/celery", "-A", project.name, "worker", "--concurrency", "1"]
    args += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    args += [f"--include={module}" for module in include]
    with log.open("ab") as out:
        return subprocess.Popen(
            args, cwd=project, env=env, stdout=out, stderr=out, start_new_session=True
        )


def wait_until(condition: Callable[[], bool], what: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}:\n{log.read_text()}"
        time.sleep(0.2)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_a_worker_killed_mid_task_gets_it_redelivered_and_it_completes_once(
    project: Path, redis_server: RedisServer, tmp_path: Path
) -> None:
    """acks late + reject on worker lost: SIGKILL the worker (parent and pool child)
    while the task runs; a new worker gets the task back once Redis's visibility
    timeout (shortened here) has passed, and runs it to completion, once."""
    (tmp_path / "e2e_tasks.py").write_text(SLOW_TASKS)
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=redis_server.url.replace("/0", "/3"),
        CELERY_VISIBILITY_TIMEOUT="4",
        E2E_TASK_SECONDS="4",
        PYTHONPATH=str(tmp_path),
    )
    log = tmp_path / "worker.log"
    worker = start_worker(project, env, log, "e2e_tasks")
    try:
        done = tmp_path / "done.txt"
        started = Path(f"{done}.started")
        queue = f"from e2e_tasks import slow_append; slow_append.delay({str(done)!r}, 'once')"
        run([".venv/bin/python", "manage.py", "shell", "-c", queue], project, env)
        wait_until(lambda: lines(started) == ["once"], "the task to start", log)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert lines(done) == []  # killed in the middle
        # A worker gives back a task another one left unacknowledged once the
        # visibility timeout has passed: it checks when it starts, then now and then.
        time.sleep(int(env["CELERY_VISIBILITY_TIMEOUT"]) + 1)

        worker = start_worker(project, env, log, "e2e_tasks")
        wait_until(lambda: lines(done) == ["once"], "the redelivery", log)
        assert lines(started) == ["once", "once"]
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


class FlakyMailbox:
    """An SMTP server's handler (aiosmtpd) that answers 451, try again later, to the
    first ``failures`` messages and then accepts."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.attempts <= self.failures:
            return "451 4.3.0 Temporary failure, try again later"
        self.messages.append(envelope.original_content)
        return "250 OK"


def test_an_email_queued_by_a_web_request_is_sent_by_the_worker_through_failures(
    wired: Path, redis_server: RedisServer, served: list[Any], tmp_path: Path
) -> None:
    """A password reset asked for on the site queues its email in Redis; the worker
    sends it to an SMTP server that fails twice and then accepts: one mail arrives."""
    from aiosmtpd.controller import Controller
    from test_login_limits import EMAIL, Visitor, prepare

    mailbox = FlakyMailbox(failures=2)
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    worker = None
    try:
        env = prepare(
            wired,
            f"sqlite:///{tmp_path / 'db.sqlite3'}",
            REDIS_URL=redis_server.url.replace("/0", "/4"),
            SENDGRID_API_KEY="SG.test",
            EMAIL_PROVIDER="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            # Behind one trusted proxy, whose X-Request-ID the site keeps.
            DJANGO_TRUSTED_PROXY_COUNT="1",
        )
        log = tmp_path / "worker.log"
        worker = start_worker(wired, env, log)
        args = [".venv/bin/gunicorn", f"{wired.name}.wsgi", "--workers", "1", "--bind"]
        base = start_server(args, wired, env, served)
        visitor = Visitor()
        token = visitor.form_token(f"{base}/accounts/password/reset/")
        form = {"email": EMAIL, "csrfmiddlewaretoken": token}
        headers = {"X-Request-ID": "e2e-password-reset-1"}
        status, location, _ = visitor.request(f"{base}/accounts/password/reset/", form, headers)
        assert (status, location) == (302, "/accounts/password/reset/done/")

        def delivered() -> bool:
            return "quickscale_notifications.deliver_email" in log.read_text() and (
                "succeeded" in log.read_text()
            )

        wait_until(delivered, "the email task to succeed", log)
        assert mailbox.attempts == 3
        assert len(mailbox.messages) == 1 and b"Password Reset" in mailbox.messages[0]
        assert "Retry in" in log.read_text()  # 451 twice: retried with backoff
        # The worker's lines while it ran the task (not the parent's 'received') carry
        # the id of the request that queued it.
        task_lines = [
            json.loads(line)
            for line in log.read_text().splitlines()
            if line.startswith("{")
            and "deliver_email" in line
            and ("succeeded" in line or "Retry in" in line)
        ]
        assert task_lines and {line["request_id"] for line in task_lines} == {
            "e2e-password-reset-1"
        }
    finally:
        smtp.stop()
        if worker is not None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


# --- Media on S3-compatible object storage: moto's standalone server ------------------

UPLOAD = """
import urllib.request
from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import RequestFactory

class Upload(forms.Form):
    file = forms.FileField()

request = RequestFactory().post("/upload/", {"file": open(PATH, "rb")})
form = Upload(request.POST, request.FILES)
assert form.is_valid(), form.errors
name = default_storage.save("uploads/" + form.cleaned_data["file"].name, form.cleaned_data["file"])
url = default_storage.url(name)
with urllib.request.urlopen(url) as response:
    assert response.read() == open(PATH, "rb").read()
print(type(default_storage._wrapped).__name__, name, url.split("?")[0])
print(" ".join(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]))
default_storage.delete(name)
print(default_storage.exists(name))
"""


def moto_binary() -> str:
    """moto's standalone server (requirements-dev.txt), never skipped."""
    found = Path(sys.executable).with_name("moto_server")
    assert found.exists(), "moto_server is not installed: run 'make venv' (requirements-dev.txt)"
    return str(found)


def test_media_goes_to_object_storage_and_its_origin_joins_the_csp(
    project: Path, tmp_path: Path
) -> None:
    """A file posted through a form is stored by django-storages in an S3 bucket (moto's
    server on loopback), read back through its (signed) URL, then deleted."""
    import boto3

    port = free_port()
    moto = subprocess.Popen(
        [moto_binary(), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for(endpoint)
        keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            **{k.lower(): v for k, v in keys.items()},
        )
        s3.create_bucket(Bucket="acme-media")
        picture = tmp_path / "picture.png"
        picture.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
        env = production_env(
            AWS_STORAGE_BUCKET_NAME="acme-media",
            AWS_S3_ENDPOINT_URL=endpoint,
            AWS_S3_REGION_NAME="us-east-1",
            AWS_S3_ADDRESSING_STYLE="path",
            **keys,
        )
        code = f"PATH = {str(picture)!r}\n" + UPLOAD
        out = run([".venv/bin/python", "manage.py", "shell", "-c", code], project, env)
        stored, img_src, exists = out.stdout.strip().splitlines()[-3:]
        backend, name, url = stored.split()
        assert backend == "S3Storage" and name.startswith("uploads/picture")
        assert url == f"{endpoint}/acme-media/{name}"
        assert img_src == f"'self' {endpoint}"
        assert exists == "False"
        assert s3.list_objects_v2(Bucket="acme-media").get("KeyCount") == 0
    finally:
        moto.terminate()
        moto.wait(timeout=30)
