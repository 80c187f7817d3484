"""URLs every QuickScale project includes (``path("", include("quickscale_core.urls"))``)."""

from django.urls import path

from quickscale_core import views

app_name = "quickscale_core"

urlpatterns = [
    path("health/", views.health, name="health"),
]
