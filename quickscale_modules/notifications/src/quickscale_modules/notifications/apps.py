from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Explicit label so tables and template namespaces never clash with other apps."""

    name = "quickscale_modules.notifications"
    label = "quickscale_notifications"
    verbose_name = "QuickScale notifications"
    default_auto_field = "django.db.models.BigAutoField"
