from django.apps import AppConfig


class PdTestappConfig(AppConfig):
    name = "pd_testapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from pd_testapp import hooks
        from pd_testapp.models import User

        post_delete.connect(hooks.audit_deletion, sender=User)
