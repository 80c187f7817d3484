"""Languages: the user's own, the URL prefixes, and switching.

Django picks a request's language (LocaleMiddleware: URL prefix, cookie, then the
browser's Accept-Language). QuickScale adds the language stored on the user (the
``language`` field of the project's user model): set at sign-up from the request,
editable on the account page and by the language switcher, and the language of every
mail sent to that user, in the web process or on a worker (tasks carry it as a
plain argument, because a worker has no request to read it from).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

#: The field of the project's user model that holds the user's language ("" unset).
LANGUAGE_FIELD = "language"


def supported(code: str | None) -> str:
    """``code`` if it is one of ``settings.LANGUAGES`` (or a variant of one), else ""."""
    if not code:
        return ""
    try:
        return str(translation.get_supported_language_variant(code))
    except LookupError:
        return ""


def language_of(user: Any) -> str:
    """The language to speak to ``user`` in: their stored one while the site still offers
    it, else the site's default (``LANGUAGE_CODE``)."""
    stored = getattr(user, LANGUAGE_FIELD, "") if user is not None else ""
    return supported(stored) or settings.LANGUAGE_CODE


@contextmanager
def speaking_to(user: Any) -> Iterator[str]:
    """Render mails and messages for ``user`` in their language (yields its code)."""
    language = language_of(user)
    with translation.override(language):
        yield language


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """A worker's side of :func:`speaking_to`: the code a task was given, if still offered."""
    code = supported(language) or settings.LANGUAGE_CODE
    with translation.override(code):
        yield code


def remember(user: Any, language: str) -> bool:
    """Store ``language`` on ``user`` when their model has the field; whether it changed."""
    code = supported(language)
    if not code or not getattr(user, "is_authenticated", False):
        return False
    if not hasattr(user, LANGUAGE_FIELD) or getattr(user, LANGUAGE_FIELD) == code:
        return False
    setattr(user, LANGUAGE_FIELD, code)
    user.save(update_fields=[LANGUAGE_FIELD])
    return True


def keep_in_cookie(response: HttpResponseBase, code: str) -> None:
    """Django's language cookie for ``code``, set as its ``set_language`` view sets it: a
    page that changes the language other than through that view (the account page)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def language_patterns(
    patterns: Sequence[URLPattern | URLResolver], *, unprefixed: Iterable[str] = ()
) -> list[URLPattern | URLResolver]:
    """The project's URL patterns, its pages under a language prefix (``/es/...``, the
    default language unprefixed) when ``QUICKSCALE_LANGUAGE_PREFIXES`` is on.

    The includes of core's URLs (health checks, the switcher, mailed downloads) and of
    the modules named in ``unprefixed`` (webhooks, OAuth callbacks: addresses another
    system was given) never move. Off (the default), the patterns are returned as they
    are: the cookie, the user's stored language and the browser choose the language.
    """
    if not getattr(settings, "QUICKSCALE_LANGUAGE_PREFIXES", False):
        return list(patterns)
    from django.conf.urls.i18n import i18n_patterns

    fixed = {"quickscale_core.urls", *unprefixed}
    outside = [p for p in patterns if _included_module(p) in fixed]
    inside = [p for p in patterns if p not in outside]
    return [*outside, *i18n_patterns(*inside, prefix_default_language=False)]


def _included_module(pattern: URLPattern | URLResolver) -> str:
    """The dotted name of the module an include() mounts ("" for a view, or for a list of
    patterns such as admin.site.urls): include() imports its module, so a resolver holds
    the module itself, not its name."""
    included = getattr(pattern, "urlconf_name", None)
    return included if isinstance(included, str) else str(getattr(included, "__name__", ""))


@require_POST  # type: ignore[untyped-decorator]
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Django's ``set_language`` (cookie, redirect to ``next`` in the new language), and
    the choice stored on a logged-in user, so that their mails follow it."""
    chosen = request.POST.get("language", "")
    if not supported(chosen):
        # Django's view accepts any language it has a translation of; a language the
        # site does not offer would only be ignored on every later request.
        request.POST = request.POST.copy()
        request.POST["language"] = ""
    response = django_set_language(request)
    if response.cookies.get(settings.LANGUAGE_COOKIE_NAME) is not None:
        remember(request.user, chosen)
    return response


class UserLanguageMiddleware:
    """A logged-in user's stored language, for a request that names none itself.

    Goes after LocaleMiddleware and authentication: a URL prefix or the language cookie
    (the switcher's choice on this browser) still wins; otherwise the user's language
    beats the browser's Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and not translation.get_language_from_path(request.path_info)
        ):
            code = supported(getattr(user, LANGUAGE_FIELD, ""))
            if code:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)


def check_compiled_catalogues(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """A warning for each offered language whose catalogue (an app's or ``LOCALE_PATHS``')
    has no ``.mo`` file, or one older than its ``.po``: Django would silently show those
    pages in English. ``.mo`` files are git-ignored, so a fresh clone needs this once."""
    from pathlib import Path

    from django.apps import apps
    from django.core import checks

    folders = [Path(p) for p in settings.LOCALE_PATHS]
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    stale: list[str] = []
    for code, _name in settings.LANGUAGES:
        locale = translation.to_locale(code)
        for folder in folders:
            po = folder / locale / "LC_MESSAGES" / "django.po"
            mo = po.with_suffix(".mo")
            if not po.is_file():
                continue
            # An installed package's file times say nothing: only a missing .mo counts there.
            installed = "site-packages" in po.parts or "dist-packages" in po.parts
            if not mo.is_file() or (not installed and mo.stat().st_mtime < po.stat().st_mtime):
                stale.append(str(po))
    if not stale:
        return []
    return [
        checks.Warning(
            f"{len(stale)} translation catalogue(s) of the offered languages are not "
            f"compiled, so their pages show in English: {', '.join(stale[:3])}"
            + (", …" if len(stale) > 3 else ""),
            hint="run 'python manage.py compilemessages --ignore=.venv' (GNU gettext)",
            id="quickscale_core.W010",
        )
    ]
