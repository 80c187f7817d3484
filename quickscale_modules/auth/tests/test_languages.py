"""The user's language: stored at sign-up, chosen on the account page, spoken by every
mail sent to them; and the module's URLs under the project's language prefixes, the
providers' callbacks kept where providers were told they are.

The site offers English and Spanish here (conftest.py's two_languages: the module's
Spanish catalogue compiled once, into a temporary LOCALE_PATHS folder)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import require
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import translation

from quickscale_modules.auth import services

pytestmark = pytest.mark.django_db

PASSWORD = "pw-long-enough-1"


def _user(email: str = "ada@example.com", language: str = "") -> Any:
    user, _ = services.get_or_create_user_by_email(email, password=PASSWORD, verified=True)
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- sign-up ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "cookie", "stored", "subject"),
    [
        ("es", "", "es", "[Acme] Por favor, confirme su dirección de correo electrónico"),
        ("es-MX,es;q=0.9,en;q=0.5", "", "es", None),
        ("", "es", "es", None),  # the switcher's cookie
        ("es", "en", "en", "[Acme] Please Confirm Your Email Address"),  # the cookie wins
        ("fr", "", "en", None),  # not offered: the site's default
    ],
)
def test_sign_up_stores_the_request_s_language_and_the_first_mail_speaks_it(
    client: Client,
    two_languages: Any,
    django_user_model: Any,
    accept_language: str,
    cookie: str,
    stored: str,
    subject: str | None,
) -> None:
    if cookie:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = cookie
    data = {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert django_user_model.objects.get(email="ada@example.com").language == stored
    if subject is not None:
        assert [m.subject for m in mail.outbox] == [subject]


def test_a_user_made_outside_a_request_has_no_language_until_they_choose(
    django_user_model: Any,
) -> None:
    user, _ = services.get_or_create_user_by_email("ada@example.com")
    assert django_user_model.objects.get(pk=user.pk).language == ""


# --- the account page -----------------------------------------------------------------


def test_the_account_page_changes_the_language_of_the_user_and_of_the_browser(
    client: Client, two_languages: Any, django_user_model: Any
) -> None:
    user = _user(language="en")
    client.force_login(user)
    page = client.get(reverse("quickscale_auth:account")).content.decode()
    assert '<option value="en" lang="en" selected>English</option>' in page
    assert '<option value="es" lang="es">Español</option>' in page

    response = client.post(reverse("quickscale_auth:account"), {"language": "es"})
    assert response.status_code == 302
    assert response["Location"] == reverse("quickscale_auth:account")
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["path"] == django_settings.LANGUAGE_COOKIE_PATH
    assert django_user_model.objects.get(pk=user.pk).language == "es"

    page = client.get(response["Location"]).content.decode()  # the cookie now says es
    assert "Tu idioma ahora es Español." in page
    assert "<h1>Cuenta</h1>" in page
    assert '<option value="es" lang="es" selected>Español</option>' in page


def test_the_account_page_refuses_a_language_the_site_does_not_offer(
    client: Client, two_languages: Any, django_user_model: Any
) -> None:
    user = _user(language="en")
    client.force_login(user)
    response = client.post(reverse("quickscale_auth:account"), {"language": "fr"})
    assert response.status_code == 200
    assert django_settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert django_user_model.objects.get(pk=user.pk).language == "en"


def test_a_site_in_one_language_shows_no_language_form(client: Client, settings: Any) -> None:
    settings.LANGUAGES = [("en", "English")]
    client.force_login(_user())
    page = client.get(reverse("quickscale_auth:account")).content.decode()
    assert "<select" not in page
    assert "<h1>Account</h1>" in page


# --- mails in the recipient's language ----------------------------------------------

SPANISH_RESET = "[Acme] Correo electrónico para restablecer contraseña"
ENGLISH_RESET = "[Acme] Password Reset Email"


@pytest.mark.parametrize("notifications", [False, True], ids=["allauth-sends", "notifications"])
@pytest.mark.parametrize(
    ("stored", "accept_language", "subject", "greeting"),
    [
        ("es", "en", SPANISH_RESET, "¡Hola de parte de testserver!"),  # theirs, not the request's
        ("en", "es", ENGLISH_RESET, "Hello from testserver!"),
        ("", "es", SPANISH_RESET, "¡Hola de parte de testserver!"),  # never chose: the request's
    ],
)
def test_the_password_reset_mail_speaks_the_user_s_language(
    client: Client,
    two_languages: Any,
    notifications: bool,
    stored: str,
    accept_language: str,
    subject: str,
    greeting: str,
) -> None:
    if notifications:
        require("quickscale_modules.notifications.services", "notifications integration")
        two_languages.INSTALLED_APPS = [
            *django_settings.INSTALLED_APPS,
            "anymail",
            "quickscale_modules.notifications",
        ]
    _user(language=stored)
    response = client.post(
        reverse("account_reset_password"),
        {"email": "ada@example.com"},
        HTTP_ACCEPT_LANGUAGE=accept_language,
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == subject
    assert message.body.startswith(greeting)
    assert "/accounts/password/reset/key/" in message.body


def test_a_mail_to_an_address_of_no_one_speaks_the_request_s_language(
    client: Client, two_languages: Any
) -> None:
    reset = reverse("account_reset_password")
    client.post(reset, {"email": "nobody@example.com"}, HTTP_ACCEPT_LANGUAGE="es")
    assert [m.subject for m in mail.outbox] == ["[Acme] Cuenta desconocida"]


def test_a_mail_without_a_user_in_its_context_speaks_the_owner_s_language(
    client: Client, two_languages: Any
) -> None:
    """Signing up with a taken address mails its owner ("account already exists"): the
    context names no user, the address does."""
    _user(language="es")
    data = {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert [m.subject for m in mail.outbox] == ["[Acme] La cuenta ya existe"]


# --- URLs -----------------------------------------------------------------------------


def url_shapes(patterns: list[URLPattern | URLResolver]) -> list[tuple[str, str]]:
    """(route, what it leads to) of each pattern: an include's module, a view's name, a
    redirect's target, sorted, so that two lists of patterns compare by content."""
    shapes = []
    for p in patterns:
        if isinstance(p, URLResolver):  # include() holds the module it imported
            target = str(getattr(p.urlconf_name, "__name__", p.urlconf_name))
        else:
            kwargs = getattr(p.callback, "view_initkwargs", {})
            target = p.name or kwargs.get("pattern_name", "")
        shapes.append((str(p.pattern), target))
    return sorted(shapes)


def assert_module_urls_are_allauths() -> None:
    """urls.py (less the module's own pages) plus provider_urls.py are allauth.urls: no
    page lost or added by the split (a newer allauth adding one fails this)."""
    import allauth.urls

    from quickscale_modules.auth import provider_urls, urls

    ours = [p for p in urls.urlpatterns if not _is_own(p)]
    assert url_shapes([*ours, *provider_urls.urlpatterns]) == url_shapes(allauth.urls.urlpatterns)


def _is_own(pattern: URLPattern | URLResolver) -> bool:
    return isinstance(pattern, URLResolver) and pattern.namespace == "quickscale_auth"


def test_the_split_urls_are_allauths_and_providers_are_empty_without_social() -> None:
    from quickscale_modules.auth import provider_urls

    assert "allauth.socialaccount" not in django_settings.INSTALLED_APPS
    assert provider_urls.urlpatterns == []
    assert_module_urls_are_allauths()


def test_the_pages_move_under_the_language_prefix(client: Client, prefixed_urls: Any) -> None:
    with translation.override("es"):
        assert reverse("account_login") == "/es/accounts/login/"
        assert reverse("quickscale_auth:account") == "/es/accounts/profile/"
        assert reverse("admin:index") == "/es/admin/"
        assert reverse("quickscale_core:health") == "/health/"  # core's never move
    assert reverse("account_login") == "/accounts/login/"  # the default language: none
    page = client.get("/es/accounts/login/").content.decode()
    assert "<h1>Iniciar sesión</h1>" in page
