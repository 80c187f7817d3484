"""URLconf of the starter tests: the theme's own urls plus views that fail on purpose."""

from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    # As in a project: core's URLs, among them the language switcher's /i18n/setlang/.
    path("", include("quickscale_core.urls")),
    path("", include("quickscale_themes.starter.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("forbidden/", forbidden),
    path("broken/", broken),
]
