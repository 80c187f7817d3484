from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminConfig(AppConfig):
    """Explicit label so tables and template namespaces never clash with django.contrib.admin."""

    name = "quickscale_modules.admin"
    label = "quickscale_admin"
    verbose_name = _("QuickScale admin")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name: str, app_module: Any) -> None:
        """Sets the module's settings defaults before any model or app is loaded."""
        super().__init__(app_name, app_module)
        from django.conf import settings
        from quickscale_core.app_settings import set_defaults

        from quickscale_modules.admin import conf

        set_defaults(conf.defaults(settings))

    def ready(self) -> None:
        from types import MethodType

        from django.contrib import admin
        from django.contrib.admin.helpers import ActionForm
        from quickscale_modules.admin.actions import export_csv, has_export_csv_permission
        from unfold.forms import ActionForm as UnfoldActionForm

        # Every admin list offers the export, whoever registered the model, to the users
        # who hold its permission (a model admin may answer has_export_csv_permission
        # itself, e.g. to offer no export of its model at all).
        admin.site.add_action(export_csv, "export_csv")
        for model_admin in admin.site._registry.values():
            if not hasattr(model_admin, "has_export_csv_permission"):
                model_admin.has_export_csv_permission = MethodType(  # type: ignore[attr-defined]
                    has_export_csv_permission, model_admin
                )
        admin.site.index_template = "quickscale_admin/index.html"
        # unfold's list shows its "Run" button only for its own action form (bound to
        # its Alpine state); lists registered with Django's plain ModelAdmin get it too.
        for model_admin in admin.site._registry.values():
            if model_admin.action_form is ActionForm:
                model_admin.action_form = UnfoldActionForm
        keep_secrets_out_of_the_audit_trail()


def keep_secrets_out_of_the_audit_trail() -> None:
    """Exclude every secret field (quickscale_modules.admin.fields) from the audit trail.

    django-auditlog registered the models when its app was ready (it comes first in
    INSTALLED_APPS); its settings exclude fields by name for every model alike, so the
    fields of each model that are secret are added to that model's own exclusions here.
    """
    from auditlog.registry import auditlog
    from quickscale_modules.admin.fields import secret_field_names

    for model, options in auditlog._registry.items():
        excluded = list(options["exclude_fields"])
        options["exclude_fields"] = excluded + [
            name for name in secret_field_names(model) if name not in excluded
        ]
