"""No N+1: every page costs the same number of database queries with 1 item and with 50.

Under load the query count per page is what the database feels; a page whose count
grows with its rows (a related object fetched per row) is the usual way a site that
was fast in development falls over in production.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db(databases="__all__")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def fill(user: Any, count: int) -> dict[str, int]:
    """``count`` lists, the first with ``count`` items (every other one done)."""
    lists = [services.list_create(owner=user, title=f"List {n}") for n in range(count)]
    items = [
        services.item_add(user=user, list_id=lists[0].pk, title=f"Item {n}") for n in range(count)
    ]
    for item in items[::2]:
        services.item_set_done(user=user, item_id=item.pk, done=True)
    return {"list": lists[0].pk, "item": items[-1].pk}


PAGES: list[tuple[str, Callable[[dict[str, int]], tuple[str, dict[str, str]]]]] = [
    ("lists", lambda ids: (reverse("quickscale_todo:list_index"), {})),
    ("lists (htmx)", lambda ids: (reverse("quickscale_todo:list_index"), HTMX)),
    ("list", lambda ids: (reverse("quickscale_todo:list_detail", args=[ids["list"]]), {})),
    ("list (htmx)", lambda ids: (reverse("quickscale_todo:list_detail", args=[ids["list"]]), HTMX)),
    ("item edit", lambda ids: (reverse("quickscale_todo:item_edit", args=[ids["item"]]), {})),
    ("list delete", lambda ids: (reverse("quickscale_todo:list_delete", args=[ids["list"]]), {})),
]


def queries(client: Client, alias: str, url: str, headers: dict[str, str]) -> int:
    client.get(url, **headers)  # warm: the session and the user are loaded the same way
    with CaptureQueriesContext(connections[alias]) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def test_every_page_costs_the_same_queries_with_1_and_50_items(
    backend: str, make_user: Callable[..., Any]
) -> None:
    counts: dict[str, list[int]] = {name: [] for name, _ in PAGES}
    for size in (1, 50):
        user = make_user(f"owner{size}")
        ids = fill(user, size)
        client = Client()
        client.force_login(user)
        for name, page in PAGES:
            url, headers = page(ids)
            counts[name].append(queries(client, backend, url, headers))
    grows = {name: pair for name, pair in counts.items() if pair[0] != pair[1]}
    assert grows == {}, f"queries with 1 item vs 50: {grows}"
