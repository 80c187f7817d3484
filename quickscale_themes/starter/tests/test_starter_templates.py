"""Layout, partials and error pages render accessibly and can be overridden by a project."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.views import defaults
from quickscale_testing.starter import audit

pytestmark = pytest.mark.django_db


def test_home_page_has_landmarks_title_and_htmx_wiring(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    page = audit(html)
    assert page.lang == "en"
    assert page.title.strip() == "Home · Acme Starter"
    assert 'href="#main"' in html and 'id="main"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert 'src="/static/vendor/htmx.min.js"' in html
    token = response.context["csrf_token"]
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in html
    assert 'href="/accounts/login/"' in html  # anonymous: login link resolved by url name
    assert 'aria-current="page"' in html


def test_logged_in_layout_offers_post_logout(client: Client, make_user: Any) -> None:
    client.force_login(make_user("ann", display_name="Ann K."))
    html = client.get("/").content.decode()
    assert "Ann K." in html
    assert re.search(r'<form method="post" action="/accounts/logout/"', html)
    assert 'name="csrfmiddlewaretoken"' in html


def test_home_rejects_unsafe_methods(client: Client) -> None:
    assert client.post("/").status_code == 405


def test_messages_partial_renders_each_message_with_its_level() -> None:
    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[attr-defined]
    storage = FallbackStorage(request)
    storage.add(constants.SUCCESS, "Saved.")
    storage.add(constants.ERROR, "Nope <b>.")
    html = render_to_string(
        "quickscale_starter/partials/messages.html",
        {"messages": get_messages(request) or storage, "oob": True},
    )
    assert 'id="messages"' in html and 'hx-swap-oob="true"' in html
    assert 'class="message message--success">Saved.' in html
    assert "Nope &lt;b&gt;." in html


class ContactForm(forms.Form):
    name = forms.CharField(help_text="Your full name.")
    email = forms.EmailField()
    agree = forms.BooleanField(label="I agree")
    topic = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def test_form_partial_labels_every_control_and_shows_errors() -> None:
    form = ContactForm(data={"name": "", "email": "nope", "topic": "a"})
    assert not form.is_valid()
    html = Template('<form>{% include "quickscale_starter/partials/form.html" %}</form>').render(
        Context({"form": form})
    )
    page = audit(html)
    assert len(page.controls) == 4
    assert page.unlabelled() == []
    # Django points aria-describedby at "<id>_helptext" and "<id>_error": both must exist.
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Enter a valid email address." in html
    assert 'type="hidden" name="token"' in html


def test_404_and_403_use_the_layout(client: Client) -> None:
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert audit(missing.content.decode()).title.strip() == "Page not found · Acme Starter"
    forbidden = client.get("/forbidden/")
    assert forbidden.status_code == 403
    assert audit(forbidden.content.decode()).title.strip() == "Access denied · Acme Starter"
    assert 'id="main"' in forbidden.content.decode()


def test_500_renders_without_request_or_context_processors() -> None:
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert audit(html).title == "Server error"
    assert "Something went wrong" in html
    # Rendered with an empty Context: nothing in it may depend on a request.
    assert Template(Path(finders_template("500.html")).read_text()).render(Context())


def finders_template(name: str) -> str:
    from django.template.loader import get_template

    return str(get_template(name).origin.name)


def test_500_page_through_the_handler(make_user: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_static_assets_are_namespaced_and_present() -> None:
    for name in ("quickscale_starter/css/starter.css", "quickscale_starter/js/starter.js"):
        found = finders.find(name)
        assert found and Path(str(found)).stat().st_size > 200


def test_project_template_directory_overrides_theme_templates(
    client: Client, tmp_path: Path
) -> None:
    """A project's custom_frontend/templates wins over the theme (DIRS before APP_DIRS)."""
    (tmp_path / "quickscale_starter").mkdir()
    (tmp_path / "quickscale_starter" / "home.html").write_text(
        '{% extends "base.html" %}{% block title %}Client home{% endblock %}'
        "{% block content %}<h1>Acme custom home</h1>{% endblock %}"
    )
    from django.conf import settings

    templates = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    with override_settings(TEMPLATES=templates):
        html = client.get("/").content.decode()
    assert "Acme custom home" in html
    assert audit(html).title.strip() == "Client home · Acme Starter"
    assert 'id="main"' in html  # still inside the theme layout
