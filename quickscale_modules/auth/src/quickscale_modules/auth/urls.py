"""Include at "accounts/": allauth's pages (global names such as account_login, as
allauth expects) plus the account page, reversed as "quickscale_auth:account"."""

from django.urls import include, path

from quickscale_modules.auth import views

_own = ([path("", views.account, name="account")], "quickscale_auth")

urlpatterns = [
    path("profile/", include(_own)),
    path("", include("allauth.urls")),
]
