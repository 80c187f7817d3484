"""URL tampering: another user gets 404 (or 405) from every endpoint and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from quickscale_themes.todo.models import TodoItem, TodoList

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db(databases="__all__")]

METHODS = ("get", "head", "post", "put", "patch", "delete")
# (url name, which object id it takes, methods the view accepts)
ENDPOINTS = [
    ("list_detail", "list", {"get", "head"}),
    ("list_rename", "list", {"post"}),
    ("list_delete", "list", {"get", "head", "post"}),
    ("item_add", "list", {"post"}),
    ("item_edit", "item", {"get", "head", "post"}),
    ("item_done", "item", {"post"}),
    ("item_delete", "item", {"post"}),
]


def snapshot() -> list[tuple[Any, ...]]:
    lists = list(
        TodoList.objects.order_by("pk").values_list("pk", "owner_id", "title", "updated_at")
    )
    items = list(
        TodoItem.objects.order_by("pk").values_list(
            "pk", "todo_list_id", "title", "done", "position", "updated_at"
        )
    )
    return lists + items


@pytest.fixture
def alices_data(alice: Any) -> tuple[TodoList, TodoItem]:
    todo_list = services.list_create(owner=alice, title="Alice's secrets")
    item = services.item_add(user=alice, list_id=todo_list.pk, title="diary")
    services.item_add(user=alice, list_id=todo_list.pk, title="letters")
    return todo_list, item


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("name", "kind", "allowed"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_another_user_can_not_reach_the_object(
    mallory_client: Client,
    alices_data: tuple[TodoList, TodoItem],
    name: str,
    kind: str,
    allowed: set[str],
    htmx: bool,
) -> None:
    todo_list, item = alices_data
    target = reverse(f"quickscale_todo:{name}", args=[todo_list.pk if kind == "list" else item.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    before = snapshot()
    for method in METHODS:
        call = getattr(mallory_client, method)
        data = {"title": "pwned", "done": "1"}
        response = call(target, data, **headers) if method == "post" else call(target, **headers)
        expected = 404 if method in allowed else 405
        assert response.status_code == expected, (method, target, response.status_code)
        body = response.content.decode()
        assert "secrets" not in body and "diary" not in body
    assert snapshot() == before


def test_ids_that_do_not_exist_are_404_too(alice_client: Client, backend: str) -> None:
    assert (
        alice_client.get(reverse("quickscale_todo:list_detail", args=[987654])).status_code == 404
    )
    assert alice_client.post(reverse("quickscale_todo:item_done", args=[987654])).status_code == 404


def test_index_never_shows_other_users_lists(
    mallory_client: Client, alices_data: tuple[TodoList, TodoItem], mallory: Any
) -> None:
    services.list_create(owner=mallory, title="Mallory's plans")
    html = mallory_client.get(reverse("quickscale_todo:list_index")).content.decode()
    assert "Mallory&#x27;s plans" in html
    assert "secrets" not in html


def test_owner_still_has_access_after_the_attack(
    alice_client: Client, mallory_client: Client, alices_data: tuple[TodoList, TodoItem]
) -> None:
    todo_list, item = alices_data
    mallory_client.post(reverse("quickscale_todo:item_delete", args=[item.pk]))
    response = alice_client.get(todo_list.get_absolute_url())
    assert response.status_code == 200 and "diary" in response.content.decode()
