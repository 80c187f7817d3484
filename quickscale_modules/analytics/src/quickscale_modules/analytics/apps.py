from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Explicit label: the table is quickscale_analytics_event."""

    name = "quickscale_modules.analytics"
    label = "quickscale_analytics"
    verbose_name = _("Analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name: str, app_module: Any) -> None:
        """Sets the module's settings defaults before any model or app is loaded."""
        super().__init__(app_name, app_module)
        from quickscale_core.app_settings import add_entries

        from quickscale_modules.analytics import conf

        add_entries("CELERY_BEAT_SCHEDULE", conf.BEAT_SCHEDULE)
