"""The test project's URLs plus core's, as every generated project includes them at the
root (the signed download link of a mailed archive)."""

from django.urls import include, path
from urls import urlpatterns as base

urlpatterns = [*base, path("", include("quickscale_core.urls"))]
