from django.contrib import admin
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import path

PAGE = "<!doctype html><title>page</title><p>page</p>"


def page(request: HttpRequest, name: str = "") -> HttpResponse:
    return HttpResponse(PAGE)


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


def api(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def missing(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE, status=404)


def static_file(request: HttpRequest) -> FileResponse:
    return FileResponse(iter([b"body{}"]), content_type="text/html")


urlpatterns = [
    path("", page, name="home"),
    path("pages/<str:name>/", page),
    path("health/", health),
    path("api/", api),
    path("missing/", missing),
    path("static/app.html", static_file),
    path("admin/", admin.site.urls),
]
