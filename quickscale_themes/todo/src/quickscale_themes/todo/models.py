"""To-do lists and their items. Models only model: rules live in services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from quickscale_themes.starter.models import OwnedModel, TimeStampedModel

TITLE_MAX_LENGTH = 200


class TodoList(TimeStampedModel, OwnedModel):
    """A named list that belongs to one user."""

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("to-do list")
        verbose_name_plural = _("to-do lists")
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="quickscale_todo_list_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quickscale_todo:list_detail", args=[self.pk])


class TodoItemQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Items are owned through their list."""

    def owned_by(self, user: Any) -> TodoItemQuerySet:
        if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
            return self.none()
        return self.filter(todo_list__owner=user)


class TodoItem(TimeStampedModel):
    """One thing to do; ``position`` keeps the order in which items were added."""

    todo_list = models.ForeignKey(
        TodoList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = TodoItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("to-do item")
        verbose_name_plural = _("to-do items")
        indexes = [
            models.Index(fields=["todo_list", "position"], name="quickscale_todo_item_pos_idx"),
        ]

    def __str__(self) -> str:
        return self.title
