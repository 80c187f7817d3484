"""URLconf of the todo tests, wired the way a generated project wires the theme."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # As in a project: core's URLs, among them the language switcher's /i18n/setlang/.
    path("", include("quickscale_core.urls")),
    path("", include("quickscale_themes.starter.urls")),
    path("todo/", include("quickscale_themes.todo.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
