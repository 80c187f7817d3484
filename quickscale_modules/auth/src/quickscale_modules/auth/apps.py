from django.apps import AppConfig


class AuthConfig(AppConfig):
    """Label quickscale_auth: never clashes with django.contrib.auth's label "auth"."""

    name = "quickscale_modules.auth"
    label = "quickscale_auth"
    verbose_name = "QuickScale auth"
    default_auto_field = "django.db.models.BigAutoField"
