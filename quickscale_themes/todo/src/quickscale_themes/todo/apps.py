"""Django app configuration for the todo theme."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodoConfig(AppConfig):
    """Explicit label: tables are quickscale_todo_todolist / quickscale_todo_todoitem."""

    name = "quickscale_themes.todo"
    label = "quickscale_todo"
    verbose_name = _("QuickScale to-do lists")
    default_auto_field = "django.db.models.BigAutoField"
