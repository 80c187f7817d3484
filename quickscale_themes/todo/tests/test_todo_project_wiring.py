"""What a project relies on: migrations in sync, the starter user base on both databases,
and template overrides from the project's own template directory."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse
from quickscale_themes.starter.models import AbstractStarterUser
from quickscale_themes.todo.models import TodoList

from quickscale_themes.todo import services

pytestmark = [pytest.mark.django_db(databases="__all__")]


def test_migrations_match_the_models(backend: str) -> None:
    out = StringIO()
    call_command("makemigrations", "quickscale_todo", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_todo_tables_use_the_app_label(backend: str) -> None:
    assert TodoList._meta.db_table == "quickscale_todo_todolist"
    assert TodoList._meta.get_field("owner").remote_field.model is get_user_model()


def test_starter_user_email_is_unique_ignoring_case_on_each_database(
    backend: str, make_user: Any
) -> None:
    assert issubclass(get_user_model(), AbstractStarterUser)
    make_user("ann", email="Ann@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic(using=backend):
        make_user("ann2", email="ann@example.COM")


def test_project_template_override_applies_to_htmx_partials(
    alice: Any, alice_client: Client, tmp_path: Path
) -> None:
    """custom_frontend/templates/quickscale_todo/partials/item_row.html wins over the theme."""
    todo_list = services.list_create(owner=alice, title="Overridden")
    services.item_add(user=alice, list_id=todo_list.pk, title="thing")
    override = tmp_path / "quickscale_todo" / "partials" / "item_row.html"
    override.parent.mkdir(parents=True)
    override.write_text('<li id="item-{{ item.pk }}" class="acme-row">ACME {{ item.title }}</li>')
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        page = alice_client.get(todo_list.get_absolute_url()).content.decode()
        partial = alice_client.get(
            reverse("quickscale_todo:list_detail", args=[todo_list.pk]), HTTP_HX_REQUEST="true"
        ).content.decode()
    assert "ACME thing" in page and "ACME thing" in partial
    assert "todo-check" not in partial


def test_todo_pages_inside_a_project_layout_load_each_asset_once(
    alice_client: Client, settings: Any
) -> None:
    """A project base.html that does not extend the theme still gets the theme's CSS/JS."""
    project_layout = Path(__file__).parent / "project_layout"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [project_layout, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = alice_client.get(reverse("quickscale_todo:list_index")).content.decode()
    assert 'class="acme-project"' in html
    for asset in ("starter.css", "todo.css", "starter.js", "vendor/htmx.min.js"):
        assert html.count(asset) == 1, asset
