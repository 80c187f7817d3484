"""What the todo app asks the project before acting: today, "may this user create
another list". The theme's answer is always yes (no limit).

A project overrides a question by subclassing :class:`TodoPolicy` in its
``backend_extensions.py`` and pointing ``settings.QUICKSCALE_TODO_POLICY`` at it, e.g.
to ask a billing plan::

    class ProjectTodoPolicy(TodoPolicy):
        def may_create_list(self, user, existing_lists):
            allowed = super().may_create_list(user, existing_lists)
            return allowed and existing_lists < 3

The theme imports nothing of the project or of any module: the project connects them.

``may_create_list`` is asked inside the transaction that creates the list, with the
owner's row locked and ``existing_lists`` counted under that lock: an answer from the
count holds at the insert, however many requests arrive at once.
"""

from __future__ import annotations

from typing import Any


class TodoPolicy:
    """The limits of the todo app; every answer of this base is "no limit"."""

    def may_create_list(self, user: Any, existing_lists: int) -> bool:
        """Whether ``user``, who owns ``existing_lists`` lists, may create another."""
        return True

    def upgrade_url(self, user: Any) -> str:
        """Where a refused user can lift the limit (a pricing page); "" for none."""
        return ""


def get_policy() -> TodoPolicy:
    """``settings.QUICKSCALE_TODO_POLICY`` (a dotted path to a subclass) or the default."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import import_string

    path = getattr(settings, "QUICKSCALE_TODO_POLICY", "")
    if not path:
        return TodoPolicy()
    try:
        policy_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"QUICKSCALE_TODO_POLICY={path!r} cannot be imported ({error})."
        ) from error
    if not (isinstance(policy_class, type) and issubclass(policy_class, TodoPolicy)):
        raise ImproperlyConfigured(
            f"QUICKSCALE_TODO_POLICY={path!r} is not a subclass of "
            "quickscale_themes.todo.policy.TodoPolicy."
        )
    return policy_class()
