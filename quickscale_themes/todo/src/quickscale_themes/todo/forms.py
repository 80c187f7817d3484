"""Input forms. They only parse input; the rules live in :func:`services.clean_title`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TITLE_MAX_LENGTH


class TitleForm(forms.Form):
    """One title field. ``auto_id`` keeps ids unique when several forms share a page."""

    title = forms.CharField(max_length=TITLE_MAX_LENGTH, strip=True)

    def __init__(self, *args: Any, label: str = "", placeholder: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["title"]
        field.label = label or _("Title")
        field.widget.attrs.update({"autocomplete": "off"})
        if placeholder:
            field.widget.attrs["placeholder"] = placeholder


def new_list_form(data: Any = None) -> TitleForm:
    return TitleForm(
        data, label=_("New list"), placeholder=_("e.g. Groceries"), auto_id="new-list-%s"
    )


def rename_list_form(data: Any = None, *, initial: str = "") -> TitleForm:
    return TitleForm(data, label=_("List title"), initial={"title": initial}, auto_id="list-%s")


def new_item_form(data: Any = None) -> TitleForm:
    return TitleForm(
        data, label=_("New item"), placeholder=_("What needs doing?"), auto_id="new-item-%s"
    )


def edit_item_form(data: Any = None, *, item_id: int, initial: str = "") -> TitleForm:
    form = TitleForm(
        data, label=_("Item title"), initial={"title": initial}, auto_id=f"item-{item_id}-%s"
    )
    form.fields["title"].widget.attrs["autofocus"] = True
    return form
