from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Label quickscale_billing: tables quickscale_billing_<model>, never a clash."""

    name = "quickscale_modules.billing"
    label = "quickscale_billing"
    verbose_name = _("QuickScale billing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from quickscale_modules.billing import lifecycle, plans

        lifecycle.connect()
        # After each migrate, the plans of the project's config are in the database
        # (Stripe is not called: `manage.py billing_sync` does that).
        post_migrate.connect(plans.load_after_migrate, sender=self)
