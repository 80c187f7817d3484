"""The todo theme's personal data hooks (its manifest declares the models).

``sample`` fills the generated project's personal-data test: rows for one user that
export must return and erasure must remove, without touching anybody else's.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import TodoItem, TodoList


def sample(user: Any) -> None:
    """Two lists of ``user``'s, one item done, titles naming the user (rows differ per user)."""
    name = user.get_username()
    groceries = TodoList.objects.create(owner=user, title=f"Groceries for {name}")
    TodoItem.objects.create(todo_list=groceries, title="Oat milk", position=1)
    TodoItem.objects.create(
        todo_list=groceries, title="Rye bread", position=2, done=True, done_at=timezone.now()
    )
    trip = TodoList.objects.create(owner=user, title=f"{name}'s trip to Lisbon")
    TodoItem.objects.create(todo_list=trip, title="Book the train", position=1)
