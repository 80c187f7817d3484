"""Django app of quickscale_core: the health endpoint, shared static files (htmx)."""

from django.apps import AppConfig


class QuickScaleCoreConfig(AppConfig):
    name = "quickscale_core"
    label = "quickscale_core"
    verbose_name = "QuickScale core"
    default_auto_field = "django.db.models.BigAutoField"
