"""Include at "accounts/": allauth's pages (global names such as account_login, as
allauth expects) plus the account page, reversed as "quickscale_auth:account", and,
with the sessions feature on, ending one session ("quickscale_auth:end_session")."""

from django.urls import include, path

from quickscale_modules.auth import sessions, views

_own_patterns = [path("profile/", views.account, name="account")]
if sessions.enabled():
    _own_patterns.append(path("sessions/<int:pk>/end/", sessions.end_session, name="end_session"))
_own = (_own_patterns, "quickscale_auth")

urlpatterns = [
    path("", include(_own)),
    path("", include("allauth.urls")),
]
