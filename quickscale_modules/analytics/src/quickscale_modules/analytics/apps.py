from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Explicit label: the table is quickscale_analytics_event."""

    name = "quickscale_modules.analytics"
    label = "quickscale_analytics"
    verbose_name = "Analytics"
    default_auto_field = "django.db.models.BigAutoField"
