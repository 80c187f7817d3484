from django.apps import AppConfig


class PdTestappConfig(AppConfig):
    name = "pd_testapp"
    default_auto_field = "django.db.models.BigAutoField"
