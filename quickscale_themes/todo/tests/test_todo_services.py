"""Services and selectors, on SQLite and PostgreSQL: behaviour and ownership rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router
from django.http import Http404
from quickscale_themes.todo.errors import TodoNotFound
from quickscale_themes.todo.models import TodoItem, TodoList

from quickscale_themes.todo import selectors, services

pytestmark = [pytest.mark.django_db(databases="__all__")]


def test_queries_go_to_the_selected_backend(backend: str, alice: Any) -> None:
    """Guards the test setup itself: the PostgreSQL variant must really hit PostgreSQL."""
    alias = router.db_for_write(TodoList)
    assert alias == backend
    expected = "postgresql" if backend == "postgres" else "sqlite"
    assert connections[alias].vendor == expected
    services.list_create(owner=alice, title="Where am I")
    assert TodoList.objects.using(alias).filter(title="Where am I").exists()


def test_create_list_cleans_the_title(alice: Any) -> None:
    todo_list = services.list_create(owner=alice, title="  Weekly   shop ")
    assert todo_list.title == "Weekly shop"
    assert todo_list.owner == alice
    assert todo_list.created_at is not None


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_bad_titles_are_rejected_and_nothing_is_written(alice: Any, title: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.list_create(owner=alice, title=title)
    assert "title" in excinfo.value.message_dict
    assert TodoList.objects.count() == 0


def test_anonymous_cannot_create(backend: str) -> None:
    with pytest.raises(PermissionDenied):
        services.list_create(owner=AnonymousUser(), title="Nope")
    assert TodoList.objects.count() == 0


def test_items_get_increasing_positions_and_keep_them_compact(alice: Any) -> None:
    todo_list = services.list_create(owner=alice, title="Trip")
    a, b, c = (services.item_add(user=alice, list_id=todo_list.pk, title=t) for t in "abc")
    assert [a.position, b.position, c.position] == [0, 1, 2]
    services.item_delete(user=alice, item_id=b.pk)
    items = list(selectors.items_for_list(todo_list))
    assert [(i.title, i.position) for i in items] == [("a", 0), ("c", 1)]
    d = services.item_add(user=alice, list_id=todo_list.pk, title="d")
    assert d.position == 2


def test_edit_toggle_and_set_done(alice: Any) -> None:
    todo_list = services.list_create(owner=alice, title="Home")
    item = services.item_add(user=alice, list_id=todo_list.pk, title="Paint")
    edited = services.item_edit(user=alice, item_id=item.pk, title=" Paint the fence ")
    assert edited.title == "Paint the fence"
    done = services.item_set_done(user=alice, item_id=item.pk, done=True)
    assert done.done and done.done_at is not None
    again = services.item_set_done(user=alice, item_id=item.pk, done=True)  # idempotent
    assert again.done_at == done.done_at
    toggled = services.item_toggle(user=alice, item_id=item.pk)
    assert not toggled.done and toggled.done_at is None
    assert selectors.progress(selectors.items_for_list(todo_list)) == (0, 1)


def test_rename_and_delete_list_cascades_items(alice: Any) -> None:
    todo_list = services.list_create(owner=alice, title="Old")
    services.item_add(user=alice, list_id=todo_list.pk, title="one")
    assert services.list_rename(user=alice, list_id=todo_list.pk, title="New").title == "New"
    assert services.list_delete(user=alice, list_id=todo_list.pk) == "New"
    assert not TodoList.objects.exists()
    assert not TodoItem.objects.exists()


def test_lists_for_user_counts_and_orders_by_recent_activity(alice: Any, mallory: Any) -> None:
    first = services.list_create(owner=alice, title="First")
    second = services.list_create(owner=alice, title="Second")
    services.list_create(owner=mallory, title="Not Alice's")
    item = services.item_add(user=alice, list_id=first.pk, title="x")
    services.item_add(user=alice, list_id=first.pk, title="y")
    services.item_set_done(user=alice, item_id=item.pk, done=True)
    rows = list(selectors.lists_for_user(alice))
    assert [row.title for row in rows] == ["First", "Second"]  # first was touched last
    assert (rows[0].item_count, rows[0].done_count) == (2, 1)
    assert (rows[1].item_count, rows[1].done_count) == (0, 0)
    assert second in rows
    assert list(selectors.lists_for_user(AnonymousUser())) == []


def test_other_users_objects_are_not_found_and_unchanged(alice: Any, mallory: Any) -> None:
    todo_list = services.list_create(owner=alice, title="Private")
    item = services.item_add(user=alice, list_id=todo_list.pk, title="secret")
    attempts = [
        lambda: selectors.get_list_for_user(mallory, todo_list.pk),
        lambda: selectors.get_item_for_user(mallory, item.pk),
        lambda: services.list_rename(user=mallory, list_id=todo_list.pk, title="pwned"),
        lambda: services.list_delete(user=mallory, list_id=todo_list.pk),
        lambda: services.item_add(user=mallory, list_id=todo_list.pk, title="spam"),
        lambda: services.item_edit(user=mallory, item_id=item.pk, title="pwned"),
        lambda: services.item_set_done(user=mallory, item_id=item.pk, done=True),
        lambda: services.item_toggle(user=mallory, item_id=item.pk),
        lambda: services.item_delete(user=mallory, item_id=item.pk),
        lambda: selectors.get_list_for_user(AnonymousUser(), todo_list.pk),
        lambda: services.item_delete(user=AnonymousUser(), item_id=item.pk),
    ]
    for attempt in attempts:
        with pytest.raises(TodoNotFound):
            attempt()
    todo_list.refresh_from_db()
    item.refresh_from_db()
    assert todo_list.title == "Private"
    assert (item.title, item.done) == ("secret", False)
    assert TodoItem.objects.count() == 1


def test_not_found_is_a_404_for_views_and_hides_existence(alice: Any) -> None:
    assert issubclass(TodoNotFound, Http404)
    with pytest.raises(TodoNotFound) as missing:
        selectors.get_list_for_user(alice, 999_999)
    todo_list = services.list_create(owner=alice, title="Mine")
    other = services.list_create(owner=alice, title="x")
    with pytest.raises(TodoNotFound) as foreign:
        selectors.get_list_for_user(AnonymousUser(), todo_list.pk)
    assert str(missing.value) == str(foreign.value)
    assert other.pk != todo_list.pk
