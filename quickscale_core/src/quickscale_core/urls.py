"""URLs every QuickScale project includes (``path("", include("quickscale_core.urls"))``)."""

from django.urls import path

from quickscale_core import i18n, views
from quickscale_core.personal_data import views as personal_data_views

app_name = "quickscale_core"

urlpatterns = [
    # Liveness: the container health check. Readiness: the load balancer's probe.
    path("health/live", views.live, name="health-live"),
    path("health/ready", views.ready, name="health-ready"),
    # The readiness check under its older address, which existing probes use.
    path("health/", views.ready, name="health"),
    # The language switcher's form posts here (Django's set_language, and the user's choice
    # stored on their account). Unprefixed, like everything here: see i18n.language_patterns.
    path("i18n/setlang/", i18n.set_language, name="set_language"),
    # A mailed export's download (the signed token names the user and the stored file).
    path(
        "personal-data/<str:token>/",
        personal_data_views.download,
        name="personal_data_download",
    ),
]
