"""Django app configuration for the starter theme."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StarterConfig(AppConfig):
    """Explicit label so tables and template namespaces never clash with project apps."""

    name = "quickscale_themes.starter"
    label = "quickscale_starter"
    verbose_name = _("QuickScale starter theme")
    default_auto_field = "django.db.models.BigAutoField"
