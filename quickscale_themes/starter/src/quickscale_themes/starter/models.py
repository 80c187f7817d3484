"""Abstract model bases that a project's own models inherit from.

The theme ships no concrete model: the project owns its swappable user model from its
first migration (Django's advice) and its domain tables, so a theme update never needs a
data migration in a client project. Subclasses that declare their own ``Meta`` should
inherit it (``class Meta(AbstractStarterUser.Meta):``) to keep the constraints below.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and last-change times, which almost every business table wants."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class OwnedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Query helpers that make "only my rows" the easy path."""

    def owned_by(self, user: Any) -> OwnedQuerySet:
        """Rows of ``user``; none at all for anonymous or missing users."""
        if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class OwnedModel(models.Model):
    """A row that belongs to one user; selectors filter on ``owner`` to enforce access."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_owned_by(self, user: Any) -> bool:
        """True when ``user`` is the owner; safe to call with anonymous users."""
        return bool(getattr(user, "is_authenticated", False)) and self.owner_id == user.pk


class AbstractStarterUser(AbstractUser):
    """Base for the project's custom user: unique e-mail and a friendly display name.

    E-mail uniqueness is case-insensitive (a functional unique constraint that works on
    SQLite and PostgreSQL alike), because sign-in and password reset look users up by
    e-mail and two accounts for ``Ann@x.io`` and ``ann@x.io`` would be a support ticket.
    """

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("How the user is greeted in the interface; falls back to the username."),
    )

    REQUIRED_FIELDS = ["email"]

    class Meta(AbstractUser.Meta):
        abstract = True
        constraints = [
            models.UniqueConstraint(Lower("email"), name="%(app_label)s_%(class)s_email_ci_unique"),
        ]

    def clean(self) -> None:
        """Normalise the e-mail the same way Django's user manager does."""
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_display_name(self) -> str:
        """The name shown in navigation and greetings."""
        return self.display_name.strip() or self.get_full_name() or self.get_username()

    def get_short_name(self) -> str:
        return self.display_name.strip() or super().get_short_name() or self.get_username()

    def __str__(self) -> str:
        return self.get_display_name()
