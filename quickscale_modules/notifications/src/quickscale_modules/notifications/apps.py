from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Explicit label so tables and template namespaces never clash with other apps."""

    name = "quickscale_modules.notifications"
    label = "quickscale_notifications"
    verbose_name = _("QuickScale notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name: str, app_module: Any) -> None:
        """Sets the module's settings defaults before any model or app is loaded."""
        super().__init__(app_name, app_module)
        from django.conf import settings
        from quickscale_core.app_settings import set_defaults

        from quickscale_modules.notifications import conf

        values, forced = conf.defaults(settings)
        set_defaults(values)
        for name, value in forced.items():
            setattr(settings, name, value)
