"""The table of Django's database cache, so that plain ``migrate`` creates it.

Production's default cache (``CACHES`` in quickscale_core.settings) is Django's
DatabaseCache in ``quickscale_cache``. Django reads and writes that table with its own
SQL; declaring it here gives it the columns ``manage.py createcachetable`` would, through
an ordinary migration, on every database the project migrates (tests' included).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheEntry(models.Model):
    """One entry of the database cache (managed by Django's cache framework, not by ORM
    code: keys and values are its own encoding)."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "quickscale_cache"
        default_permissions = ()
        verbose_name = _("cache entry")
        verbose_name_plural = _("cache entries")
