"""Include at "accounts/": allauth's pages (global names such as account_login, as
allauth expects) plus the module's own, reversed in the "quickscale_auth" namespace: the
account page ("account"), the user's data ("personal_data": the archive) and deleting the
account ("delete_account"), and, with the sessions feature on, ending one session
("end_session")."""

from django.urls import include, path

from quickscale_modules.auth import sessions, views

_own_patterns = [
    path("profile/", views.account, name="account"),
    path("data/", views.personal_data_page, name="personal_data"),
    path("delete/", views.delete_account, name="delete_account"),
]
if sessions.enabled():
    _own_patterns.append(path("sessions/<int:pk>/end/", sessions.end_session, name="end_session"))
_own = (_own_patterns, "quickscale_auth")

urlpatterns = [
    path("", include(_own)),
    path("", include("allauth.urls")),
]
