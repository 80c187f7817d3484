"""URLs every QuickScale project includes (``path("", include("quickscale_core.urls"))``)."""

from django.urls import path

from quickscale_core import views
from quickscale_core.personal_data import views as personal_data_views

app_name = "quickscale_core"

urlpatterns = [
    # Liveness: the container health check. Readiness: the load balancer's probe.
    path("health/live", views.live, name="health-live"),
    path("health/ready", views.ready, name="health-ready"),
    # The readiness check under its older address, which existing probes use.
    path("health/", views.ready, name="health"),
    # A mailed export's download (the signed token names the user and the stored file).
    path(
        "personal-data/<str:token>/",
        personal_data_views.download,
        name="personal_data_download",
    ),
]
