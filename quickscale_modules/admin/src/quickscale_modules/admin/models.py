"""The admin module's one model: no table, only the export's permission."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CsvExport(models.Model):
    """Holds ``quickscale_admin.export_csv``, the right to export admin lists as CSV
    (Django attaches permissions to a model). Superusers hold it implicitly; grant it to
    a staff user or a group in the admin's user and group pages."""

    class Meta:
        managed = False  # no table
        default_permissions = ()
        permissions = [("export_csv", "Can export admin lists as CSV")]
        verbose_name = _("CSV export")
