from django.apps import AppConfig


class BackupConfig(AppConfig):
    """Explicit label so template namespaces never clash with other apps."""

    name = "quickscale_modules.backup"
    label = "quickscale_backup"
    verbose_name = "QuickScale backup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from quickscale_modules.backup import checks  # noqa: F401  (registers it)
