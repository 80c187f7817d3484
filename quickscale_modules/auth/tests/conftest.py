"""Fixtures shared by the auth module's tests: clean cache, real SMTP server, artifacts,
the site in two languages."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from quickscale_testing.modules import unavailable

# Playwright's sync API runs an event loop in the test thread; Django's async-safety
# guard would otherwise refuse ORM calls made by pytest-django fixtures.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE = PACKAGE_DIR / "src/quickscale_modules/auth/locale/es/LC_MESSAGES/django.po"
EN_ES = [("en", "English"), ("es", "Spanish")]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked social_inner (mfa_inner) only make sense in test_social.py's
    (test_mfa.py's) subprocess, where social login (MFA) is enabled at start-up;
    elsewhere they are deselected, not skipped."""
    inner_markers = []
    if not os.environ.get("QS_AUTH_SOCIAL"):
        inner_markers.append("social_inner")
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "settings_mfa":
        inner_markers.append("mfa_inner")  # test_mfa.py's subprocess, MFA on
    inner = [i for i in items if any(i.get_closest_marker(m) for m in inner_markers)]
    if inner:
        config.hook.pytest_deselected(items=inner)
        items[:] = [item for item in items if item not in inner]


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache; no test may inherit another's attempts."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(os.environ.get("QUICKSCALE_ARTIFACTS", PACKAGE_DIR / ".artifacts")) / "auth"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Mailbox:
    """aiosmtpd handler: keeps every message received over SMTP."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        texts = []
        for message in self.messages:
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    texts.append(part.get_payload(decode=True).decode())
        return texts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def find_link(text: str, path_fragment: str) -> str:
    """The first URL in an email body whose path contains `path_fragment`."""
    for url in re.findall(r"https?://\S+", text):
        if path_fragment in url:
            return url
    raise AssertionError(f"no link containing {path_fragment!r} in:\n{text}")


def require(module: str, why: str) -> object:
    """Import `module`, or skip locally / fail under CI (CI must exercise every path)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        unavailable(f"{module} is not importable ({why})")


def run_inner_suite(settings: str, *args: str, passed: str, skips: bool = False) -> None:
    """Run ``args`` (test files of this package) in a pytest subprocess under the
    settings module ``settings`` (INSTALLED_APPS is fixed when Django starts): it must
    pass with ``passed`` in its summary ("9 passed"), and skip nothing unless ``skips``."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *args],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(rf"\b{passed}\b", result.stdout), result.stdout[-2000:]
    if not skips:
        assert "skipped" not in result.stdout, result.stdout[-2000:]


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's Spanish catalogue compiled by msgfmt (gettext), as compilemessages
    does in a project: a LOCALE_PATHS folder holding es/LC_MESSAGES/django.mo."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        unavailable("msgfmt is not installed (the gettext package)")
    root = tmp_path_factory.mktemp("locale")
    target = root / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run([msgfmt, "--check", "-o", str(target / "django.mo"), str(CATALOGUE)], check=True)
    return root


@pytest.fixture
def two_languages(settings: Any, compiled_locale: Path) -> Any:
    """English and Spanish offered, as a generated project's settings.py may list them
    (changing LANGUAGES resets Django's catalogues); the settings, to change more."""
    settings.LANGUAGES = EN_ES
    settings.LOCALE_PATHS = [compiled_locale]
    return settings


@pytest.fixture
def prefixed_urls(two_languages: Any) -> Iterator[Any]:
    """The project's URLs as a generated project lays them out, language prefixes on."""
    two_languages.QUICKSCALE_LANGUAGE_PREFIXES = True
    sys.modules.pop("urls_languages", None)  # built from the settings when imported
    two_languages.ROOT_URLCONF = "urls_languages"
    from django.urls import clear_url_caches

    clear_url_caches()
    yield two_languages
    sys.modules.pop("urls_languages", None)
    clear_url_caches()
