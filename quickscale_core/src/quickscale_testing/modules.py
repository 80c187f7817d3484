"""What a module's own test suite needs to run on SQLite and again on PostgreSQL.

A module's tests run on SQLite in memory; the same suite runs again on the PostgreSQL
server named by ``QUICKSCALE_TEST_DATABASE_URL`` in a subprocess (the database engine
is fixed when Django starts), selected by ``QS_MODULE_TEST_DB=postgres``. Without the
URL the PostgreSQL run is skipped locally, and fails under ``CI``. No Django or pytest
import at import time: test settings modules import this.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import parse_qsl, unquote, urlsplit

from quickscale_core import stack

DATABASE_URL = "QUICKSCALE_TEST_DATABASE_URL"
ENGINE_SWITCH = "QS_MODULE_TEST_DB"

# What every component's test project starts from (its tests/settings.py adds its own
# apps, middleware and options), so those files say only what is theirs.
CONTRIB_APPS = list(stack.DJANGO_APPS)
TEST_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
AUTHENTICATION_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
#: Middleware no component's tests install: core's own, WhiteNoise and django-axes.
_NOT_IN_TESTS = ("quickscale_core.", "whitenoise.", "axes.")
#: A generated project's middleware in its order (quickscale_core.stack), less those.
BASE_MIDDLEWARE = [name for name in stack.MIDDLEWARE if not name.startswith(_NOT_IN_TESTS)]
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only
#: Expected 4xx/5xx responses are what the tests assert on, not noise in their output.
QUIET_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"django.request": {"handlers": ["null"], "propagate": False}},
}


def middleware(
    after_authentication: Sequence[str] = (), last: Sequence[str] = (), *, csp: bool = False
) -> list[str]:
    """A component's test ``MIDDLEWARE``: BASE_MIDDLEWARE with the component's own where a
    generated project's settings put them, ``after_authentication`` (they read
    ``request.user``) or ``last``; django-csp's only with ``csp`` (its app installed)."""
    base = [name for name in BASE_MIDDLEWARE if csp or name != CSP_MIDDLEWARE]
    where = base.index(AUTHENTICATION_MIDDLEWARE) + 1
    return [*base[:where], *after_authentication, *base[where:], *last]


def strict_csp(form_action: Sequence[str] = ()) -> dict[str, Any]:
    """The Content-Security-Policy of every page of a generated project
    (quickscale_core.settings), for a component's browser tests; ``form_action`` adds
    origins as a manifest's do. django-csp is imported here, not at import time."""
    from csp.constants import NONCE, NONE, SELF

    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF, NONCE],
            "img-src": [SELF],
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "form-action": [SELF, *form_action],
            "frame-ancestors": [NONE],
        },
    }


def on_postgres() -> bool:
    """This process is the PostgreSQL run."""
    return os.environ.get(ENGINE_SWITCH) == "postgres"


def test_database(label: str) -> dict[str, Any]:
    """``DATABASES["default"]`` for the suite of the module ``label``: SQLite in memory,
    or in the PostgreSQL run a test database unique to this process (other packages'
    suites share the server)."""
    if not on_postgres():
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    parts = urlsplit(os.environ[DATABASE_URL])
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
        "TEST": {"NAME": f"test_qs_{label}_{os.getpid()}"},
    }


def postgres_url() -> str:
    """The PostgreSQL server's URL; skips the test locally without one, fails in CI."""
    url = os.environ.get(DATABASE_URL, "")
    if not url:
        unavailable(f"{DATABASE_URL} is not set (PostgreSQL for module tests)")
    return url


def rerun_on_postgres(package_dir: Path, min_passed: int) -> str:
    """Run the package's whole suite again on PostgreSQL; assert it passed (at least
    ``min_passed`` tests, none failed); return pytest's output."""
    import pytest

    postgres_url()
    if on_postgres():
        pytest.skip("already running on PostgreSQL (inner run)")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=package_dir,
        env={**os.environ, ENGINE_SWITCH: "postgres"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert passed is not None and int(passed.group(1)) >= min_passed, summary
    assert "failed" not in summary and "error" not in summary, summary
    return result.stdout


def parse_form(body: str | bytes | None) -> dict[str, str]:
    """A form-encoded request body, as API clients such as stripe-python send it to a
    module's fake provider, flat: ``metadata[key]`` stays one key."""
    text = body.decode() if isinstance(body, bytes) else (body or "")
    return dict(parse_qsl(text, keep_blank_values=True))


def unavailable(what: str) -> NoReturn:
    """A real component a test needs is missing (``what`` says which and how to get it):
    skipped on a developer's machine, a failure under ``CI``, which must run every path."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{what}: CI must provide it (see .ci/run)")
    pytest.skip(what)


def compile_catalogues(*apps: str, languages: tuple[str, ...] = ("es",)) -> None:
    """Compile the ``.po`` catalogues of the Django app packages ``apps`` (dotted names)
    into the ``.mo`` files Django reads (built, never committed), as a project's
    workflow does, then drop Django's cached catalogues so that the next request sees
    them. Needs GNU gettext's msgfmt (CI installs it)."""
    from django.core.management import call_command
    from django.utils.translation.reloader import translation_file_changed

    for app in apps:
        package = Path(str(importlib.import_module(app).__file__)).parent
        with contextlib.chdir(package):  # compilemessages compiles the locale/ found here
            call_command("compilemessages", locale=list(languages), verbosity=0)
    translation_file_changed(None, Path("django.mo"))
