"""Stands in for the client project app that owns the custom user model."""

from django.apps import AppConfig


class TodoTestAppConfig(AppConfig):
    name = "todo_testapp"
    default_auto_field = "django.db.models.BigAutoField"
