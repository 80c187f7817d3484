import warnings
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# dj-stripe 2.11's admin forms build a URLField without assume_scheme, which Django 5.2
# reports (RemovedInDjango60Warning) when the admin imports them: a warning about
# dj-stripe's code, which would stop a project whose tests run with -W error. Only that
# message from that module is silenced; this module is imported before the admin's.
warnings.filterwarnings(
    "ignore",
    message="The default scheme will be changed from 'http' to 'https'",
    module="djstripe.admin.forms",
)


class PaymentsConfig(AppConfig):
    """Label quickscale_payments: tables quickscale_payments_<model>, never a clash."""

    name = "quickscale_modules.payments"
    label = "quickscale_payments"
    verbose_name = _("QuickScale payments")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name: str, app_module: Any) -> None:
        """Sets the module's settings defaults before any model or app is loaded."""
        super().__init__(app_name, app_module)
        from django.conf import settings
        from quickscale_core.app_settings import set_defaults

        from quickscale_modules.payments import conf

        set_defaults(conf.defaults(settings))

    def ready(self) -> None:
        from quickscale_modules.payments import checks  # noqa: F401  (registers them)
