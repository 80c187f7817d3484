"""The todo pages in the visitor's language: the switcher, Spanish text and messages, and
dates in the language's own format and the site's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from quickscale_testing.starter import audit
from quickscale_themes.todo.models import TodoList

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spanish")]

INDEX = reverse("quickscale_todo:list_index")
ENGLISH_SPANISH = [("en", "English"), ("es", "Español")]
#: 23:30 UTC on 1 March is already 2 March in Auckland (UTC+13 then).
LATE_EVENING_UTC = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


@pytest.fixture
def ann(make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user("ann"))
    return client


def speak(client: Client, language: str) -> None:
    """Choose ``language`` with the layout's switcher form, as a visitor would."""
    response = client.post("/i18n/setlang/", {"language": language, "next": INDEX})
    assert response.status_code == 302 and response["Location"] == INDEX


@override_settings(LANGUAGES=ENGLISH_SPANISH)
def test_switching_to_spanish_translates_the_page_and_its_messages(ann: Client) -> None:
    html = ann.get(INDEX).content.decode()
    assert '<form class="language-switcher"' in html and "My lists" in html
    speak(ann, "es")
    html = ann.get(INDEX).content.decode()
    page = audit(html)
    assert (page.lang, page.title.strip()) == ("es", "Mis listas · Acme Todo")
    assert page.unlabelled() == []
    for text in ("Nueva lista", 'placeholder="p. ej., Compras"', "Crear lista", "Todavía no"):
        assert text in html
    response = ann.post(INDEX, {"title": "Compras"}, follow=True)
    assert "Se creó «Compras»." in response.content.decode()
    item = services.item_add(
        user=response.context["user"], list_id=response.context["todo_list"].pk, title="pan"
    )
    done_url = reverse("quickscale_todo:item_done", args=[item.pk])
    html = ann.post(done_url, {"done": "1"}, follow=True).content.decode()
    assert "«pan» marcada como hecha." in html and "Hechas: 1 de 1" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "updated March 2, 2026"), ("es", "actualizada el 2 de marzo de 2026")],
)
@override_settings(LANGUAGES=ENGLISH_SPANISH, TIME_ZONE="Pacific/Auckland")
def test_dates_use_the_language_s_format_in_the_site_s_time_zone(
    ann: Client, language: str, expected: str
) -> None:
    owner = ann.get(INDEX).context["user"]
    todo_list = services.list_create(owner=owner, title="Trip")
    TodoList.objects.filter(pk=todo_list.pk).update(updated_at=LATE_EVENING_UTC)
    speak(ann, language)
    html = ann.get(INDEX).content.decode()
    assert f'<time datetime="2026-03-02T12:30:00+13:00">{expected}</time>' in html
