"""The "may this user create another list" hook: unlimited by default, a project's
policy (settings.QUICKSCALE_TODO_POLICY) can refuse, with an upgrade link."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from quickscale_themes.todo.errors import ListLimitReached
from quickscale_themes.todo.models import TodoList
from quickscale_themes.todo.policy import TodoPolicy, get_policy

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db(databases="__all__")]

INDEX = reverse("quickscale_todo:list_index")


class ThreeLists(TodoPolicy):
    def may_create_list(self, user: Any, existing_lists: int) -> bool:
        return super().may_create_list(user, existing_lists) and existing_lists < 3

    def upgrade_url(self, user: Any) -> str:
        return "/pricing/"


def test_the_default_policy_sets_no_limit(alice: Any) -> None:
    assert type(get_policy()) is TodoPolicy
    for n in range(12):
        services.list_create(owner=alice, title=f"List {n}")
    assert TodoList.objects.filter(owner=alice).count() == 12


def test_a_project_policy_refuses_the_fourth_list_with_an_upgrade_link(
    alice: Any, alice_client: Any, settings: Any
) -> None:
    settings.QUICKSCALE_TODO_POLICY = f"{__name__}.ThreeLists"
    for n in range(3):
        services.list_create(owner=alice, title=f"List {n}")
    with pytest.raises(ListLimitReached) as refused:
        services.list_create(owner=alice, title="Fourth")
    assert refused.value.upgrade_url == "/pricing/"
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        page = alice_client.post(INDEX, {"title": "Fourth"}, **headers).content.decode()
        assert "reached the number of lists your plan allows" in page
        assert '<a href="/pricing/">Upgrade your plan</a>' in page
    assert TodoList.objects.filter(owner=alice).count() == 3
    assert (
        alice_client.get(
            reverse(
                "quickscale_todo:list_detail",
                args=[TodoList.objects.filter(owner=alice).first().pk],
            )
        ).status_code
        == 200
    )


def test_a_policy_path_that_is_not_a_policy_is_a_clear_error(settings: Any) -> None:
    settings.QUICKSCALE_TODO_POLICY = "quickscale_themes.todo.models.TodoList"
    with pytest.raises(ImproperlyConfigured, match="not a subclass"):
        get_policy()


def test_the_theme_imports_no_module() -> None:
    """The hook is the theme's; a module answers it from the project, never from here."""
    from pathlib import Path

    import quickscale_themes.todo as todo

    source = Path(todo.__file__).parent
    assert not [p for p in source.rglob("*.py") if "quickscale_modules" in p.read_text()]
