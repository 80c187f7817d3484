"""The admin pages for lists and items load and find things."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db(databases="__all__")]


@pytest.fixture
def admin_client_for(backend: str) -> Client:
    admin = get_user_model().objects.create_superuser(
        username="root", email="root@example.com", password="pw-123456"
    )
    client = Client()
    client.force_login(admin)
    return client


def test_changelists_and_change_form_load(admin_client_for: Client, alice: Any) -> None:
    todo_list = services.list_create(owner=alice, title="Findable list")
    item = services.item_add(user=alice, list_id=todo_list.pk, title="Findable item")
    lists = admin_client_for.get(reverse("admin:quickscale_todo_todolist_changelist"))
    assert lists.status_code == 200
    assert "Findable list" in lists.content.decode()
    found = admin_client_for.get(
        reverse("admin:quickscale_todo_todolist_changelist"), {"q": "findable"}
    )
    assert found.context["cl"].result_count == 1
    items = admin_client_for.get(reverse("admin:quickscale_todo_todoitem_changelist"))
    assert items.status_code == 200 and "Findable item" in items.content.decode()
    change = admin_client_for.get(
        reverse("admin:quickscale_todo_todolist_change", args=[todo_list.pk])
    )
    assert change.status_code == 200
    assert f'value="{item.title}"' in change.content.decode()  # the inline


def test_admin_requires_staff(alice_client: Client) -> None:
    response = alice_client.get(reverse("admin:quickscale_todo_todolist_changelist"))
    assert response.status_code == 302
