"""Read access to lists and items, always scoped to the requesting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from .errors import TodoNotFound
from .models import TodoItem, TodoList


def lists_for_user(user: Any) -> QuerySet[TodoList]:
    """The user's lists, most recently changed first, with item counts for the overview."""
    # Explicit order_by: Django drops Meta.ordering from GROUP BY (annotated) queries.
    return (
        TodoList.objects.owned_by(user)
        .annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=Q(items__done=True)),
        )
        .order_by("-updated_at", "-pk")
    )


def get_list_for_user(user: Any, list_id: int, *, for_update: bool = False) -> TodoList:
    """The list ``list_id`` if ``user`` owns it; :class:`TodoNotFound` otherwise."""
    queryset = TodoList.objects.owned_by(user)
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=list_id)
    except (TodoList.DoesNotExist, ValueError, TypeError):
        raise TodoNotFound(_("No such list.")) from None


def get_item_for_user(user: Any, item_id: int, *, for_update: bool = False) -> TodoItem:
    """The item ``item_id`` if ``user`` owns its list; :class:`TodoNotFound` otherwise."""
    queryset = TodoItem.objects.owned_by(user).select_related("todo_list")
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=item_id)
    except (TodoItem.DoesNotExist, ValueError, TypeError):
        raise TodoNotFound(_("No such item.")) from None


def items_for_list(todo_list: TodoList) -> QuerySet[TodoItem]:
    """Items of a list the caller has already fetched through an ownership check."""
    return todo_list.items.all()


def progress(items: QuerySet[TodoItem]) -> tuple[int, int]:
    """``(done, total)`` for a list's items in one query."""
    counts = items.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    return counts["done"], counts["total"]
