from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AuthConfig(AppConfig):
    """Label quickscale_auth: never clashes with django.contrib.auth's label "auth"."""

    name = "quickscale_modules.auth"
    label = "quickscale_auth"
    verbose_name = _("QuickScale auth")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name: str, app_module: Any) -> None:
        """Sets the module's settings defaults before any model or app is loaded."""
        super().__init__(app_name, app_module)
        from django.conf import settings
        from quickscale_core.app_settings import set_defaults

        from quickscale_modules.auth import conf

        set_defaults(conf.defaults(settings))

    def ready(self) -> None:
        from django.core import checks

        from quickscale_modules.auth import admin_login, sessions

        checks.register(sessions.check_session_engine)

        if apps.is_installed("django.contrib.admin"):
            admin_login.route_through_allauth()
        post_save.connect(
            admin_login.verify_new_superuser_email,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="quickscale_auth.verify_new_superuser_email",
        )
