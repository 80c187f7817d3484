"""Concrete subclasses, exactly as a project's backend_extensions or app would write them."""

from django.db import models
from quickscale_themes.starter.models import AbstractStarterUser, OwnedModel, TimeStampedModel


class User(AbstractStarterUser):
    department = models.CharField(max_length=100, blank=True)

    class Meta(AbstractStarterUser.Meta):
        swappable = "AUTH_USER_MODEL"


class Note(TimeStampedModel, OwnedModel):
    text = models.CharField(max_length=200)
