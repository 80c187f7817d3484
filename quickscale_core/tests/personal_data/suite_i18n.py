"""quickscale_core.i18n in a real project: the user's stored language (the switcher stores
it, the middleware speaks it, mails follow it), the optional language prefixes, and the
check that names uncompiled catalogues. Run by ../test_personal_data.py with core's
Spanish catalogue compiled (conftest.spanish)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path, resolve, reverse
from django.utils import translation
from pd_testapp.models import User

from quickscale_core import i18n

pytestmark = pytest.mark.django_db

OFFERED = [("en", "English"), ("es", "Español")]


@pytest.fixture(autouse=True)
def _two_languages(settings: Any) -> None:
    settings.LANGUAGES = OFFERED
    settings.LANGUAGE_CODE = "en"
    # Core's own middleware is left out of component tests (quickscale_testing.modules):
    # this suite puts the user-language one where a generated project's settings have it.
    auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: auth + 1],
        "quickscale_core.i18n.UserLanguageMiddleware",
        *settings.MIDDLEWARE[auth + 1 :],
    ]


@pytest.mark.parametrize(
    ("stored", "spoken"),
    [("es", "es"), ("es-mx", "es"), ("", "en"), ("fr", "en"), ("de-at", "en")],
)
def test_a_user_is_spoken_to_in_their_language_while_the_site_offers_it(
    stored: str, spoken: str
) -> None:
    user = User(username="ana", language=stored)
    assert i18n.language_of(user) == spoken
    with i18n.speaking_to(user) as code:
        assert code == spoken == translation.get_language()
    with i18n.speaking(stored) as code:  # a worker given the code
        assert code == spoken


def test_the_switcher_stores_the_choice_on_the_logged_in_user_and_in_the_cookie(
    client: Client, spanish: str
) -> None:
    user = User.objects.create_user(username="ana", password="pw")
    client.force_login(user)
    response = client.post(
        reverse("quickscale_core:set_language"), {"language": spanish, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert response.cookies["django_language"].value == "es"
    user.refresh_from_db()
    assert user.language == "es"


@pytest.mark.parametrize("chosen", ["fr", "", "<script>"])
def test_a_language_the_site_does_not_offer_changes_nothing(client: Client, chosen: str) -> None:
    user = User.objects.create_user(username="ana", password="pw", language="en")
    client.force_login(user)
    response = client.post(reverse("quickscale_core:set_language"), {"language": chosen})
    assert "django_language" not in response.cookies
    user.refresh_from_db()
    assert user.language == "en"


def test_an_anonymous_visitor_gets_the_cookie_only(client: Client) -> None:
    response = client.post(reverse("quickscale_core:set_language"), {"language": "es"})
    assert response.cookies["django_language"].value == "es"


def test_the_switcher_answers_a_post_only(client: Client) -> None:
    assert client.get(reverse("quickscale_core:set_language")).status_code == 405


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, "en", "es"),  # the stored language beats the browser's
        ("en", "es", "en"),  # the cookie (this browser's switcher choice) beats it
    ],
)
def test_the_stored_language_is_the_requests_unless_the_browser_chose(
    client: Client, spanish: str, cookie: str | None, accept: str, expected: str
) -> None:
    user = User.objects.create_user(username="ana", password="pw", language="es")
    client.force_login(user)
    if cookie:
        client.cookies["django_language"] = cookie
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=accept, follow=True)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == expected


def test_an_anonymous_request_follows_the_browser(client: Client, spanish: str) -> None:
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.headers["Content-Language"] == "es"
    assert "Nombre de usuario" in response.content.decode()  # Django's own Spanish


# The URL patterns of a project, as its generated urls.py hands them to language_patterns.
def _page(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse(translation.get_language())


PATTERNS = [
    path("", include("quickscale_core.urls")),
    path("pages/", _page, name="page"),
    path("hooks/", include("urls_webhook")),
]


@pytest.mark.parametrize("prefixes", [False, True])
def test_language_prefixes_move_the_pages_and_nothing_given_to_another_system(
    settings: Any, prefixes: bool
) -> None:
    settings.QUICKSCALE_LANGUAGE_PREFIXES = prefixes
    patterns = i18n.language_patterns(PATTERNS, unprefixed=["urls_webhook"])
    module = type("urlconf", (), {"urlpatterns": patterns})
    with translation.override("es"):
        page = reverse("page", urlconf=module)
        health = reverse("quickscale_core:health-live", urlconf=module)
        hook = reverse("webhook", urlconf=module)
    assert page == ("/es/pages/" if prefixes else "/pages/")
    assert (health, hook) == ("/health/live", "/hooks/in/")
    with translation.override("en"):  # the default language keeps unprefixed URLs
        assert reverse("page", urlconf=module) == "/pages/"
    assert resolve("/hooks/in/", urlconf=module).url_name == "webhook"


def test_the_check_names_an_uncompiled_catalogue_and_the_command(
    settings: Any, tmp_path: Path
) -> None:
    po = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    settings.LOCALE_PATHS = [tmp_path]
    [warning] = [w for w in i18n.check_compiled_catalogues() if str(po) in w.msg]
    assert warning.id == "quickscale_core.W010"
    assert "run 'python manage.py compilemessages --ignore=.venv'" in warning.hint
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    assert not [w for w in i18n.check_compiled_catalogues() if str(po) in w.msg]
    settings.LANGUAGES = [("en", "English")]  # a language not offered is not checked
    po.with_suffix(".mo").unlink()
    assert not [w for w in i18n.check_compiled_catalogues() if str(po) in w.msg]


def test_a_projects_own_catalogue_wins_over_a_components(
    settings: Any, tmp_path: Path, spanish: str
) -> None:
    """LOCALE_PATHS (a generated project's locale/) comes before every app's catalogue."""
    from django.utils.translation import gettext

    source = "Your data is ready to download"  # core's catalogue translates it
    with translation.override(spanish):
        assert gettext(source) == "Tus datos están listos para descargar"
    po = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{source}"\nmsgstr "Ya puedes descargar tu archivo"\n'
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path]  # Django drops its cached catalogues on this change
    with translation.override(spanish):
        assert gettext(source) == "Ya puedes descargar tu archivo"
