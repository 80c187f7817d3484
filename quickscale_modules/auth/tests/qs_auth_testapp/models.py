from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Custom, swappable user model from the first migration (Django's advice)."""

    display_name = models.CharField(max_length=100, blank=True)
