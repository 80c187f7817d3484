"""Admin for support staff: find a user's lists and fix an item without a shell."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import TodoItem, TodoList


class TodoItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TodoItem
    extra = 0
    fields = ("title", "done", "position")


@admin.register(TodoList)
class TodoListAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "owner", "item_count", "updated_at")
    list_select_related = ("owner",)
    list_filter = ("created_at",)
    search_fields = ("title",)
    raw_id_fields = ("owner",)
    date_hierarchy = "created_at"
    inlines = [TodoItemInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TodoList]:
        return super().get_queryset(request).annotate(_item_count=Count("items"))

    @admin.display(description=_("items"), ordering="_item_count")
    def item_count(self, obj: TodoList) -> int:
        return int(getattr(obj, "_item_count", 0))


@admin.register(TodoItem)
class TodoItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "todo_list", "done", "position", "updated_at")
    list_select_related = ("todo_list", "todo_list__owner")
    list_filter = ("done",)
    search_fields = ("title", "todo_list__title")
    raw_id_fields = ("todo_list",)
