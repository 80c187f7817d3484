from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from quickscale_modules.billing.decorators import entitlement_required


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


@entitlement_required("reports.export")
def export(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exported")


urlpatterns = [
    path("", home, name="home"),
    path("export/", export, name="export"),
    path("admin/", admin.site.urls),
    path("payments/", include("quickscale_modules.payments.urls")),
    path("billing/", include("quickscale_modules.billing.urls")),
]
