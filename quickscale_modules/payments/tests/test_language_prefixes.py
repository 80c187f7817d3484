"""Stripe posts to the one webhook URL it was given: with language prefixes on, the
module's include stays where it is (the manifest's ``localized = false``), whatever the
active language, while other pages move under /es/."""

from __future__ import annotations

import tomllib
import types
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import clear_url_caches, include, path, resolve, reverse
from django.utils import translation
from quickscale_core.i18n import language_patterns

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("a page")


def _urlconf() -> types.ModuleType:
    """The project's urls.py as generate writes it from this manifest (the example shop's
    include is the project's own code, played here by a page)."""
    urls = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text())["tool"]["quickscale"]["urls"]
    ours = [u for u in urls if not u["module"].startswith("__project__.")]
    module = types.ModuleType("payments_prefix_urls")
    module.urlpatterns = language_patterns(  # type: ignore[attr-defined]
        [
            path("page/", _page, name="page"),
            *(path(u["prefix"], include(u["module"])) for u in ours),
        ],
        unprefixed=[u["module"] for u in ours if not u.get("localized", True)],
    )
    return module


def test_the_webhook_keeps_its_address_in_every_language() -> None:
    with override_settings(
        QUICKSCALE_LANGUAGE_PREFIXES=True, LANGUAGES=[("en", "English"), ("es", "Español")]
    ):
        urlconf = _urlconf()
        clear_url_caches()
        with override_settings(ROOT_URLCONF=urlconf):
            with translation.override("es"):
                assert reverse("page") == "/es/page/"  # prefixes are on
                assert reverse("quickscale_payments:webhook") == "/payments/webhook/"
            assert resolve("/payments/webhook/").url_name == "webhook"
            # Unsigned: refused by the webhook itself (400), not redirected or missing.
            response = Client().post(
                "/payments/webhook/", "{}", "application/json", HTTP_ACCEPT_LANGUAGE="es"
            )
            assert response.status_code == 400
        clear_url_caches()
