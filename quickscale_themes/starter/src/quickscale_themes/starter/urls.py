"""Starter URLs: ``path("", include("quickscale_themes.starter.urls"))`` in a project."""

from django.urls import path

from . import views

app_name = "quickscale_starter"

urlpatterns = [
    path("", views.home, name="home"),
]
