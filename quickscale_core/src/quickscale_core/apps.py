"""Django app of quickscale_core: the health endpoint, shared static files (htmx), the
database cache's table, and the deploy checks (a shared cache, no wildcard host, the
site's address)."""

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class QuickScaleCoreConfig(AppConfig):
    name = "quickscale_core"
    label = "quickscale_core"
    verbose_name = _("QuickScale core")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name: str, app_module: Any) -> None:
        super().__init__(app_name, app_module)
        from django.conf import settings

        from quickscale_core.app_settings import set_defaults

        # django-axes guards the admin login unless a login module replaced it (and set
        # its own backends): its backend goes first, refusing locked-out attempts.
        if "axes" in settings.INSTALLED_APPS:
            set_defaults(
                {
                    "AUTHENTICATION_BACKENDS": [
                        "axes.backends.AxesStandaloneBackend",
                        "django.contrib.auth.backends.ModelBackend",
                    ]
                }
            )

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from quickscale_core import request_id
        from quickscale_core.i18n import check_compiled_catalogues
        from quickscale_core.security import (
            check_allowed_hosts,
            check_shared_cache,
            check_site_url,
        )

        request_started.connect(request_id.start, dispatch_uid="quickscale_request_id")
        request_finished.connect(request_id.finish, dispatch_uid="quickscale_request_id")
        try:  # Celery (quickscale_core.settings' CELERY_*): the id follows queued tasks
            from celery import signals as task_signals
        except ImportError:  # pragma: no cover - celery is pinned with core
            pass
        else:
            task_signals.before_task_publish.connect(
                request_id.task_published, dispatch_uid="quickscale_request_id"
            )
            task_signals.task_prerun.connect(
                request_id.task_started, dispatch_uid="quickscale_request_id"
            )
            task_signals.task_postrun.connect(
                request_id.finish, dispatch_uid="quickscale_request_id"
            )

        checks.register(check_shared_cache, checks.Tags.caches, checks.Tags.security, deploy=True)
        checks.register(check_allowed_hosts, checks.Tags.security, deploy=True)
        checks.register(check_site_url, checks.Tags.security, deploy=True)
        checks.register(check_compiled_catalogues, checks.Tags.translation)
