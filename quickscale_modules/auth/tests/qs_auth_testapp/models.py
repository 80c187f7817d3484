from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Custom, swappable user model from the first migration (Django's advice)."""

    display_name = models.CharField(max_length=100, blank=True)
    # As a generated project's user model has it (quickscale_core.i18n.LANGUAGE_FIELD).
    language = models.CharField(_("language"), max_length=35, blank=True, default="")
