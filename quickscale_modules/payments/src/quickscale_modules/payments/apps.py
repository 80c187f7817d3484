from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Label quickscale_payments: tables quickscale_payments_<model>, never a clash."""

    name = "quickscale_modules.payments"
    label = "quickscale_payments"
    verbose_name = "QuickScale payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from quickscale_modules.payments import checks  # noqa: F401  (registers them)
