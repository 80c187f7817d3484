from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Explicit label so template namespaces never clash with other apps."""

    name = "quickscale_modules.backup"
    label = "quickscale_backup"
    verbose_name = _("QuickScale backup")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name: str, app_module: Any) -> None:
        """Sets the module's settings defaults before any model or app is loaded."""
        super().__init__(app_name, app_module)
        from django.conf import settings
        from quickscale_core.app_settings import add_entries, set_defaults

        from quickscale_modules.backup import conf

        set_defaults(conf.defaults(settings))
        add_entries("STORAGES", conf.storages(settings))
        add_entries("CELERY_BEAT_SCHEDULE", conf.beat_schedule(settings))

    def ready(self) -> None:
        from quickscale_modules.backup import checks  # noqa: F401  (registers it)
