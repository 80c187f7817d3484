"""Include at "accounts/": allauth's pages (global names such as account_login, as
allauth expects) plus the module's own, reversed in the "quickscale_auth" namespace: the
account page ("account"), the user's data ("personal_data": the archive) and deleting the
account ("delete_account"), and, with the sessions feature on, ending one session
("end_session").

allauth.urls' list less the social providers' logins and callbacks: those are
provider_urls', an include that never takes a language prefix (a provider was given the
callback's address). These pages may move under /es/... with the project's language
prefixes on.
"""

from allauth import app_settings as allauth_settings
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic.base import RedirectView

from quickscale_modules.auth import sessions, views

_own_patterns = [
    path("profile/", views.account, name="account"),
    path("data/", views.personal_data_page, name="personal_data"),
    path("delete/", views.delete_account, name="delete_account"),
]
if sessions.enabled():
    _own_patterns.append(path("sessions/<int:pk>/end/", sessions.end_session, name="end_session"))
_own = (_own_patterns, "quickscale_auth")


def _allauth_patterns() -> list[URLPattern | URLResolver]:
    """allauth.urls' urlpatterns (django-allauth 65.21), in its order, without
    ``build_provider_urlpatterns()``."""
    patterns: list[URLPattern | URLResolver] = []
    pages = not allauth_settings.HEADLESS_ONLY
    if pages:
        patterns.append(path("", include("allauth.account.urls")))
        if allauth_settings.MFA_ENABLED:
            patterns.append(path("2fa/", include("allauth.mfa.urls")))
    if allauth_settings.SOCIALACCOUNT_ENABLED and pages:
        patterns.append(path("3rdparty/", include("allauth.socialaccount.urls")))
        patterns += [  # allauth's redirects from its old addresses
            _moved("social/login/cancelled/", "socialaccount_login_cancelled"),
            _moved("social/login/error/", "socialaccount_login_error"),
            _moved("social/signup/", "socialaccount_signup"),
            _moved("social/connections/", "socialaccount_connections"),
        ]
    if allauth_settings.USERSESSIONS_ENABLED and pages:
        patterns.append(path("sessions/", include("allauth.usersessions.urls")))
    return patterns


def _moved(old: str, name: str) -> URLPattern:
    return path(old, RedirectView.as_view(pattern_name=name, permanent=True))


urlpatterns = [
    path("", include(_own)),
    *_allauth_patterns(),
]
