"""Django app configuration for the starter theme."""

from django.apps import AppConfig


class StarterConfig(AppConfig):
    """Explicit label so tables and template namespaces never clash with project apps."""

    name = "quickscale_themes.starter"
    label = "quickscale_starter"
    verbose_name = "QuickScale starter theme"
    default_auto_field = "django.db.models.BigAutoField"
