from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    # As the manifest mounts them (a generated project's urls.py).
    path("accounts/", include("quickscale_modules.auth.provider_urls")),
    path("accounts/", include("quickscale_modules.auth.urls")),
]
