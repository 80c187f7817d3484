"""A stand-in for a client project's app: concrete models built on the theme's bases."""

from django.apps import AppConfig


class StarterTestAppConfig(AppConfig):
    name = "starter_testapp"
    default_auto_field = "django.db.models.BigAutoField"
