"""Views: the htmx path returns partials, the no-JavaScript path posts and redirects."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from quickscale_testing.starter import audit
from quickscale_themes.todo.models import TodoItem, TodoList

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db(databases="__all__")]

HTMX = {"HTTP_HX_REQUEST": "true"}
INDEX = reverse("quickscale_todo:list_index")


def url(name: str, *args: int) -> str:
    return reverse(f"quickscale_todo:{name}", args=args)


def assert_accessible_page(html: str, title: str) -> None:
    page = audit(html)
    assert page.lang == "en"
    assert page.title.strip() == f"{title} · Acme Todo"
    assert page.unlabelled() == []


def assert_fragment(response: Any, element_id: str) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and f'id="{element_id}"' in html
    assert "HX-Request" in response["Vary"]
    return html


@pytest.fixture
def groceries(alice: Any) -> TodoList:
    todo_list = services.list_create(owner=alice, title="Groceries")
    for title in ("milk", "eggs"):
        services.item_add(user=alice, list_id=todo_list.pk, title=title)
    return todo_list


def test_login_required_everywhere(backend: str, groceries: TodoList) -> None:
    item = groceries.items.first()
    assert item is not None
    client = Client()
    for method, path in [
        ("get", INDEX),
        ("post", INDEX),
        ("get", url("list_detail", groceries.pk)),
        ("post", url("list_rename", groceries.pk)),
        ("get", url("list_delete", groceries.pk)),
        ("post", url("list_delete", groceries.pk)),
        ("post", url("item_add", groceries.pk)),
        ("get", url("item_edit", item.pk)),
        ("post", url("item_edit", item.pk)),
        ("post", url("item_done", item.pk)),
        ("post", url("item_delete", item.pk)),
    ]:
        response = getattr(client, method)(path, {"title": "x", "done": "1"})
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith("/accounts/login/?next=")
    assert TodoList.objects.get().title == "Groceries"
    assert TodoItem.objects.count() == 2


def test_index_page_is_accessible_and_lists_counts(
    alice_client: Client, groceries: TodoList
) -> None:
    services.item_set_done(user=groceries.owner, item_id=groceries.items.first().pk, done=True)
    response = alice_client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert_accessible_page(html, "My lists")
    assert "Groceries" in html and "1 of 2 done" in html
    assert f'hx-post="{INDEX}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'for="new-list-title"' in html
    assert 'id="messages"' in html and "hx-swap-oob" not in html
    for asset in ("starter.css", "todo.css", "starter.js", "vendor/htmx.min.js"):
        assert html.count(asset) == 1, asset  # never loaded twice (double htmx = double requests)


def test_create_list_without_javascript_redirects_to_the_list(alice_client: Client) -> None:
    response = alice_client.post(INDEX, {"title": " Holiday "}, follow=True)
    todo_list = TodoList.objects.get()
    assert todo_list.title == "Holiday"
    assert response.redirect_chain == [(todo_list.get_absolute_url(), 302)]
    html = response.content.decode()
    assert_accessible_page(html, "Holiday")
    assert "Created “Holiday”." in html


def test_create_list_with_htmx_returns_the_panel_and_oob_message(alice_client: Client) -> None:
    response = alice_client.post(INDEX, {"title": "Holiday"}, **HTMX)
    html = assert_fragment(response, "todo-lists")
    assert "Holiday" in html
    assert (
        'id="messages" class="messages" role="status" aria-live="polite" hx-swap-oob="true"' in html
    )
    assert "Created “Holiday”." in html
    assert TodoList.objects.get().title == "Holiday"


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_invalid_list_title_shows_the_error_and_writes_nothing(
    alice_client: Client, headers: dict[str, str]
) -> None:
    response = alice_client.post(INDEX, {"title": "   "}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert 'aria-invalid="true"' in html
    assert not TodoList.objects.exists()


def test_detail_page_full_and_htmx_panel(alice_client: Client, groceries: TodoList) -> None:
    full = alice_client.get(url("list_detail", groceries.pk))
    html = full.content.decode()
    assert_accessible_page(html, "Groceries")
    assert html.index("milk") < html.index("eggs")
    assert "0 of 2 done" in html
    panel = assert_fragment(
        alice_client.get(url("list_detail", groceries.pk), **HTMX), "todo-items"
    )
    assert "milk" in panel and 'id="list-header"' not in panel
    assert audit(panel).unlabelled() == []


def test_history_restore_request_gets_the_full_page(
    alice_client: Client, groceries: TodoList
) -> None:
    response = alice_client.get(
        url("list_detail", groceries.pk), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in response.content.decode()


def test_add_item_both_paths(alice_client: Client, groceries: TodoList) -> None:
    plain = alice_client.post(url("item_add", groceries.pk), {"title": "bread"})
    assert plain.status_code == 302 and plain["Location"] == groceries.get_absolute_url()
    htmx = alice_client.post(url("item_add", groceries.pk), {"title": "jam"}, **HTMX)
    html = assert_fragment(htmx, "todo-items")
    assert "jam" in html and "bread" in html and "0 of 4 done" in html
    assert "autofocus" in html  # the cursor stays in the add field
    assert list(groceries.items.values_list("title", flat=True)) == ["milk", "eggs", "bread", "jam"]


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_add_invalid_item_keeps_the_list_unchanged(
    alice_client: Client, groceries: TodoList, headers: dict[str, str]
) -> None:
    response = alice_client.post(url("item_add", groceries.pk), {"title": "x" * 201}, **headers)
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert groceries.items.count() == 2


def test_toggle_done_both_paths(alice_client: Client, groceries: TodoList) -> None:
    milk = groceries.items.get(title="milk")
    plain = alice_client.post(url("item_done", milk.pk), {"done": "1"})
    assert plain.status_code == 302
    milk.refresh_from_db()
    assert milk.done
    # The same form submitted twice must not flip it back (idempotent "done" value).
    alice_client.post(url("item_done", milk.pk), {"done": "1"})
    milk.refresh_from_db()
    assert milk.done
    html = assert_fragment(
        alice_client.post(url("item_done", milk.pk), {"done": "0"}, **HTMX), "todo-items"
    )
    milk.refresh_from_db()
    assert not milk.done
    assert 'aria-pressed="false"' in html and "0 of 2 done" in html
    toggled = alice_client.post(url("item_done", milk.pk), **HTMX)  # no value: toggle
    milk.refresh_from_db()
    assert milk.done and 'aria-pressed="true"' in toggled.content.decode()


def test_edit_item_page_inline_form_and_save(alice_client: Client, groceries: TodoList) -> None:
    milk = groceries.items.get(title="milk")
    page = alice_client.get(url("item_edit", milk.pk))
    assert_accessible_page(page.content.decode(), "Edit item")
    inline = assert_fragment(alice_client.get(url("item_edit", milk.pk), **HTMX), f"item-{milk.pk}")
    assert f'for="item-{milk.pk}-title"' in inline and 'value="milk"' in inline
    saved = alice_client.post(url("item_edit", milk.pk), {"title": "oat milk"}, **HTMX)
    assert "oat milk" in assert_fragment(saved, "todo-items")
    plain = alice_client.post(url("item_edit", milk.pk), {"title": "soy milk"})
    assert plain.status_code == 302
    milk.refresh_from_db()
    assert milk.title == "soy milk"


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_edit_item_invalid_shows_errors(
    alice_client: Client, groceries: TodoList, headers: dict[str, str]
) -> None:
    milk = groceries.items.get(title="milk")
    response = alice_client.post(url("item_edit", milk.pk), {"title": ""}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html and f'id="item-{milk.pk}-title"' in html
    milk.refresh_from_db()
    assert milk.title == "milk"


def test_delete_item_both_paths(alice_client: Client, groceries: TodoList) -> None:
    milk, eggs = groceries.items.all()
    html = assert_fragment(alice_client.post(url("item_delete", milk.pk), **HTMX), "todo-items")
    assert "milk" not in html.split('id="messages"')[0] and "Deleted “milk”." in html
    plain = alice_client.post(url("item_delete", eggs.pk), follow=True)
    assert "Deleted “eggs”." in plain.content.decode()
    assert "Nothing to do yet." in plain.content.decode()
    assert not TodoItem.objects.exists()


def test_rename_list_both_paths(alice_client: Client, groceries: TodoList) -> None:
    html = assert_fragment(
        alice_client.post(url("list_rename", groceries.pk), {"title": "Food"}, **HTMX),
        "list-header",
    )
    assert "<h1>Food</h1>" in html and 'data-page-title="Food"' in html
    plain = alice_client.post(url("list_rename", groceries.pk), {"title": "Shop"})
    assert plain.status_code == 302
    invalid = alice_client.post(url("list_rename", groceries.pk), {"title": ""})
    assert invalid.status_code == 200 and "This field is required." in invalid.content.decode()
    groceries.refresh_from_db()
    assert groceries.title == "Shop"


def test_delete_list_confirm_page_then_delete(alice_client: Client, groceries: TodoList) -> None:
    confirm = alice_client.get(url("list_delete", groceries.pk))
    assert_accessible_page(confirm.content.decode(), "Delete list")
    assert TodoList.objects.exists()
    response = alice_client.post(url("list_delete", groceries.pk), follow=True)
    assert response.redirect_chain == [(INDEX, 302)]
    assert "Deleted “Groceries”." in response.content.decode()
    assert not TodoList.objects.exists() and not TodoItem.objects.exists()


def test_delete_list_with_htmx_redirects_the_browser(alice_client: Client, alice: Any) -> None:
    todo_list = services.list_create(owner=alice, title="Gone")
    response = alice_client.post(url("list_delete", todo_list.pk), **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == INDEX
    assert not TodoList.objects.exists()


def test_pagination_of_lists(alice_client: Client, alice: Any) -> None:
    for number in range(12):  # 5 per page in the test settings
        services.list_create(owner=alice, title=f"List {number:02d}")
    first = alice_client.get(INDEX).content.decode()
    assert "List 11" in first and "List 07" in first and "List 06" not in first
    assert "Page 1 of 3" in first and f'href="{INDEX}?page=2"' in first
    third = alice_client.get(INDEX, {"page": 3})
    assert_accessible_page(third.content.decode(), "My lists (page 3)")
    assert "List 00" in third.content.decode() and "List 02" not in third.content.decode()
    panel = assert_fragment(alice_client.get(INDEX, {"page": 2}, **HTMX), "todo-lists")
    assert "List 06" in panel and "List 02" in panel and 'rel="prev"' in panel
    junk = alice_client.get(INDEX, {"page": "abc"}).content.decode()
    assert "Page 1 of 3" in junk
    beyond = alice_client.get(INDEX, {"page": 99}).content.decode()
    assert "Page 3 of 3" in beyond


def test_creating_a_list_via_htmx_shows_page_one(alice_client: Client, alice: Any) -> None:
    for number in range(6):
        services.list_create(owner=alice, title=f"Old {number}")
    html = alice_client.post(f"{INDEX}?page=2", {"title": "Brand new"}, **HTMX).content.decode()
    assert "Brand new" in html and "Page 1 of 2" in html


def test_csrf_is_enforced_and_htmx_header_token_works(alice: Any, groceries: TodoList) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(url("item_add", groceries.pk), {"title": "no token"}).status_code == 403
    page = client.get(url("list_detail", groceries.pk))
    token = page.context["csrf_token"]
    assert f'"X-CSRFToken": "{token}"' in page.content.decode()
    response = client.post(
        url("item_add", groceries.pk), {"title": "with token"}, HTTP_X_CSRFTOKEN=str(token), **HTMX
    )
    assert response.status_code == 200
    assert groceries.items.filter(title="with token").exists()


def test_unsafe_methods_rejected(alice_client: Client, groceries: TodoList) -> None:
    item = groceries.items.first()
    assert item is not None
    assert alice_client.post(url("list_detail", groceries.pk)).status_code == 405
    assert alice_client.get(url("item_done", item.pk)).status_code == 405
    assert alice_client.get(url("item_delete", item.pk)).status_code == 405
    assert alice_client.put(INDEX).status_code == 405
    assert TodoItem.objects.count() == 2
