"""Benchmark: a generated project under load, on PostgreSQL, Redis and gunicorn.

    .venv/bin/python bench/bench_load.py [--seconds 20] [--users 12] [--max-requests 20000]

Loopback only. It creates a project with the todo theme and the auth module from this
checkout, on a fresh database of the PostgreSQL server named by
QUICKSCALE_TEST_DATABASE_URL (as .ci/run provides it) and a redis-server of its own,
serves it with gunicorn in production mode (DEBUG off, JSON logs) and drives it with
Locust (bench/locustfile.py, headless, bounded in time and in requests): the anonymous
home page, login, the todo lists, one list, adding an item. Printed for 1 and 2 web
processes: requests per second, p50/p95/p99 latency, errors (must be 0) and the CPU
the web processes used. Then the anonymous home page alone, against a plain Django
project (startproject, default middleware) serving the same HTML through the same
gunicorn. Locust runs on the same machine and takes CPU of its own: compare the
figures of one run with each other, not with another machine's.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-9-horse"
MODULES = "\nmodules:\n  auth: {}\n  notifications:\n    provider: console\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_up(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def make_project(work: Path, env: dict[str, str]) -> Path:
    source = ["--source", str(ROOT)]
    run([str(BIN / "quickscale"), "init", "loadsite", "--theme", "todo", *source], work, env)
    project = work / "loadsite"
    config = project / "quickscale.yml"
    text = config.read_text().replace("schema_version: 1", "schema_version: 2")
    config.write_text(text + MODULES)
    run([str(BIN / "quickscale"), "generate", "--no-migrations", *source], project, env)
    (project / ".env").unlink(missing_ok=True)  # production: real variables only
    return project


def make_plain(work: Path, html: str, env: dict[str, str]) -> Path:
    """django-admin startproject, plus one view that returns ``html``."""
    run([str(BIN / "django-admin"), "startproject", "plain"], work, env)
    project = work / "plain"
    (project / "home.html").write_text(html)
    (project / "plain" / "urls.py").write_text(
        "from pathlib import Path\n"
        "from django.http import HttpResponse\n"
        "from django.urls import path\n\n"
        "HTML = (Path(__file__).resolve().parent.parent / 'home.html').read_text()\n\n\n"
        "def home(request):\n"
        "    return HttpResponse(HTML)\n\n\n"
        "urlpatterns = [path('', home)]\n"
    )
    settings = project / "plain" / "settings.py"
    text = settings.read_text().replace("DEBUG = True", "DEBUG = False")
    settings.write_text(text.replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['127.0.0.1']"))
    return project


class Server:
    """gunicorn with ``workers`` sync processes on a free loopback port."""

    def __init__(self, project: Path, module: str, workers: int, env: dict[str, str]) -> None:
        self.port = free_port()
        args = [str(BIN / "gunicorn"), f"{module}.wsgi", "--workers", str(workers)]
        args += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = psutil.Popen(
            args, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{self.port}"
        wait_up(f"{self.base}/")

    def cpu_seconds(self) -> float:
        processes = [self.process, *self.process.children(recursive=True)]
        total = 0.0
        for proc in processes:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def locust(base: str, scenario: str, args: argparse.Namespace, out: Path, extra: dict[str, str]):
    prefix = out / f"locust-{scenario}-{free_port()}"
    env = {**os.environ, "BENCH_SCENARIO": scenario, **extra}
    env["BENCH_MAX_REQUESTS"] = str(args.max_requests)
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += ["-u", str(args.users), "-r", str(args.users), "--run-time", f"{args.seconds}s"]
    command += ["--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    subprocess.run(command, env=env, capture_output=True, text=True, timeout=args.seconds + 120)
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    with open(f"{prefix}_failures.csv") as failures:
        for row in csv.DictReader(failures):
            print(f"    FAILED {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error']}")
    return rows


def measure(server: Server, scenario: str, args: argparse.Namespace, out: Path, extra):
    cpu_before, started = server.cpu_seconds(), time.perf_counter()
    rows = locust(server.base, scenario, args, out, extra)
    wall = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu_before
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "cpu": cpu / wall,  # cores the web processes kept busy
        "rows": rows,
    }


def line(label: str, m: dict) -> str:
    return (
        f"{label:<34} {m['rps']:8.1f} req/s  p50 {m['p50']:5.0f} ms  p95 {m['p95']:5.0f} ms  "
        f"p99 {m['p99']:5.0f} ms  errors {m['errors']}  requests {m['requests']}  "
        f"web CPU {m['cpu']:.2f} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--max-requests", type=int, default=20000)
    args = parser.parse_args()
    postgres = os.environ.get("QUICKSCALE_TEST_DATABASE_URL")
    if not postgres:
        print("skipped: set QUICKSCALE_TEST_DATABASE_URL to a PostgreSQL server (see .ci/run)")
        return
    import psycopg

    work = Path(tempfile.mkdtemp(prefix="qs-bench-load-"))
    name = f"qs_bench_{secrets.token_hex(4)}"
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port := free_port()), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QUICKSCALE_"))
        }
        project = make_project(work, base_env)
        env = {
            **base_env,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": urlunsplit(urlsplit(postgres)._replace(path=f"/{name}")),
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "EMAIL_PROVIDER": "console",
            "DJANGO_LOG_LEVEL": "WARNING",  # one JSON line per request would be measured too
            # Every virtual user comes from 127.0.0.1: a short window keeps their logins
            # under the per-address login rate limit.
            "DJANGO_LOGIN_LOCKOUT_SECONDS": "1",
        }
        python = str(BIN / "python")
        run([python, "manage.py", "migrate", "--noinput"], project, env)
        run([python, "manage.py", "collectstatic", "--noinput"], project, env)
        accounts = [f"member{n}@example.com" for n in range(args.users)]
        create = (
            "from allauth.account.models import EmailAddress\n"
            "from django.contrib.auth import get_user_model\n"
            f"for email in {accounts!r}:\n"
            "    name = email.split('@')[0]\n"
            f"    user = get_user_model().objects.create_user(name, email, {PASSWORD!r})\n"
            "    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)\n"
        )
        run([python, "manage.py", "shell", "-c", create], project, env)
        members = {"BENCH_ACCOUNTS": ",".join(accounts), "BENCH_PASSWORD": PASSWORD}

        print(
            f"cores: {os.cpu_count()}  users: {args.users}  run: {args.seconds}s "
            f"(at most {args.max_requests} requests)"
        )
        results = {}
        for workers in (1, 2):
            server = Server(project, "loadsite", workers, env)
            try:
                results[workers] = measure(server, "mix", args, work, members)
            finally:
                server.stop()
            print(
                line(f"mix, {workers} web process{'es' if workers > 1 else ''}", results[workers])
            )
            for row_name, row in sorted(results[workers]["rows"].items()):
                if row_name != "Aggregated":
                    print(
                        f"    {row_name:<22} {float(row['Requests/s']):7.1f} req/s  "
                        f"p50 {float(row['50%']):5.0f} ms  p95 {float(row['95%']):5.0f} ms  "
                        f"errors {row['Failure Count']}"
                    )

        server = Server(project, "loadsite", 1, env)
        try:
            html = urllib.request.urlopen(f"{server.base}/").read().decode()
            home = measure(server, "home", args, work, {})
        finally:
            server.stop()
        plain_project = make_plain(work, html, base_env)
        plain_env = {**base_env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
        server = Server(plain_project, "plain", 1, plain_env)
        try:
            plain = measure(server, "home", args, work, {})
        finally:
            server.stop()
        print(line("home page, 1 web process", home))
        print(line("plain Django, same HTML", plain))
        print(f"home page / plain Django: {home['rps'] / plain['rps']:.2f}x requests per second")
        errors = sum(m["errors"] for m in (*results.values(), home, plain))
        if errors:
            raise SystemExit(f"{errors} requests failed")
    finally:
        redis.terminate()
        with psycopg.connect(postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
