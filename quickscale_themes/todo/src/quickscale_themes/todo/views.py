"""Thin views: parse input, call a service or selector, pick a partial or a page.

Every endpoint works twice: an htmx request (``HX-Request: true``) gets the fragment it
swaps in place; a plain browser without JavaScript posts the same form and is redirected
(POST/redirect/GET) to the full page. Ownership is enforced by the services/selectors,
which raise ``TodoNotFound`` (a 404) for anything the user does not own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from quickscale_themes.starter.htmx import htmx_redirect, is_htmx, vary_on_htmx

from . import forms, selectors, services
from .errors import ListLimitReached
from .models import TodoList

LISTS_PER_PAGE = 10


def _lists_page(user: Any, number: str | int | None) -> Page:  # type: ignore[type-arg]
    """A page of the user's lists; out-of-range or junk page numbers fall back gracefully."""
    per_page = int(getattr(settings, "QUICKSCALE_TODO_LISTS_PER_PAGE", LISTS_PER_PAGE))
    return Paginator(selectors.lists_for_user(user), per_page).get_page(number)


def _apply_errors(form: forms.TitleForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _items_context(
    todo_list: TodoList,
    *,
    add_form: forms.TitleForm | None = None,
    editing: int | None = None,
    edit_form: forms.TitleForm | None = None,
    focus_add: bool = False,
) -> dict[str, Any]:
    items = selectors.items_for_list(todo_list)
    done, total = selectors.progress(items)
    add_form = add_form or forms.new_item_form()
    if focus_add:
        # After adding, keep the cursor in the input so the next item can be typed at once.
        add_form.fields["title"].widget.attrs["autofocus"] = True
    return {
        "todo_list": todo_list,
        "items": items,
        "done_count": done,
        "total_count": total,
        "add_form": add_form,
        "editing": editing,
        "edit_form": edit_form,
    }


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render with ``is_htmx`` in the context: partials then add out-of-band messages."""
    context.setdefault("is_htmx", is_htmx(request))
    return vary_on_htmx(render(request, template, context))


def _items_response(request: HttpRequest, todo_list: TodoList, **extra: Any) -> HttpResponse:
    """The items panel for htmx, the whole list page otherwise (after a failed POST)."""
    context = _items_context(todo_list, **extra)
    if is_htmx(request):
        return _render(request, "quickscale_todo/partials/items_panel.html", context)
    context["rename_form"] = forms.rename_list_form(initial=todo_list.title)
    return _render(request, "quickscale_todo/list_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def list_index(request: HttpRequest) -> HttpResponse:
    """The user's lists (paginated) and the form to create one."""
    form = forms.new_list_form()
    upgrade_url = ""
    page_number: str | int | None = request.GET.get("page")
    if request.method == "POST":
        form = forms.new_list_form(request.POST)
        if form.is_valid():
            try:
                todo_list = services.list_create(
                    owner=request.user, title=form.cleaned_data["title"]
                )
            except ListLimitReached as error:
                _apply_errors(form, error)
                upgrade_url = error.upgrade_url
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Created “%(title)s”.") % {"title": todo_list.title})
                if not is_htmx(request):
                    return redirect(todo_list)
                form = forms.new_list_form()
                page_number = 1  # the new list is the most recent: show it
    context = {
        "form": form,
        "page": _lists_page(request.user, page_number),
        "upgrade_url": upgrade_url,
    }
    template = "quickscale_todo/list_index.html"
    if is_htmx(request):
        template = "quickscale_todo/partials/lists_panel.html"
    return _render(request, template, context)


@login_required
@require_safe
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    """One list with its items; htmx gets just the items panel (used by "Cancel")."""
    todo_list = selectors.get_list_for_user(request.user, list_id)
    return _items_response(request, todo_list)


@login_required
@require_POST
def list_rename(request: HttpRequest, list_id: int) -> HttpResponse:
    todo_list = selectors.get_list_for_user(request.user, list_id)
    form = forms.rename_list_form(request.POST, initial=todo_list.title)
    if form.is_valid():
        try:
            todo_list = services.list_rename(
                user=request.user, list_id=todo_list.pk, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Renamed the list to “%(title)s”.") % {"title": todo_list.title}
            )
            if not is_htmx(request):
                return redirect(todo_list)
            form = forms.rename_list_form(initial=todo_list.title)
    context = {"todo_list": todo_list, "rename_form": form}
    if is_htmx(request):
        return _render(request, "quickscale_todo/partials/list_header.html", context)
    context.update(_items_context(todo_list))
    context["rename_form"] = form
    return _render(request, "quickscale_todo/list_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def list_delete(request: HttpRequest, list_id: int) -> HttpResponse:
    """GET asks for confirmation (works without JavaScript); POST deletes."""
    if request.method != "POST":
        todo_list = selectors.get_list_for_user(request.user, list_id)
        return _render(
            request, "quickscale_todo/list_confirm_delete.html", {"todo_list": todo_list}
        )
    title = services.list_delete(user=request.user, list_id=list_id)
    messages.success(request, _("Deleted “%(title)s”.") % {"title": title})
    index = reverse("quickscale_todo:list_index")
    return vary_on_htmx(htmx_redirect(index) if is_htmx(request) else redirect(index))


@login_required
@require_POST
def item_add(request: HttpRequest, list_id: int) -> HttpResponse:
    todo_list = selectors.get_list_for_user(request.user, list_id)
    form = forms.new_item_form(request.POST)
    if form.is_valid():
        try:
            item = services.item_add(
                user=request.user, list_id=todo_list.pk, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Added “%(title)s”.") % {"title": item.title})
            if not is_htmx(request):
                return redirect(todo_list)
            return _items_response(request, todo_list, focus_add=True)
    return _items_response(request, todo_list, add_form=form, focus_add=True)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    """GET shows the edit form (inline for htmx, a page otherwise); POST saves it."""
    item = selectors.get_item_for_user(request.user, item_id)
    if request.method != "POST":
        form = forms.edit_item_form(item_id=item.pk, initial=item.title)
        context = {"item": item, "todo_list": item.todo_list, "edit_form": form}
        if is_htmx(request):
            return _render(request, "quickscale_todo/partials/item_edit_form.html", context)
        return _render(request, "quickscale_todo/item_edit.html", context)
    form = forms.edit_item_form(request.POST, item_id=item.pk, initial=item.title)
    if form.is_valid():
        try:
            item = services.item_edit(
                user=request.user, item_id=item.pk, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": item.title})
            if not is_htmx(request):
                return redirect(item.todo_list)
            return _items_response(request, item.todo_list)
    if is_htmx(request):
        return _items_response(request, item.todo_list, editing=item.pk, edit_form=form)
    context = {"item": item, "todo_list": item.todo_list, "edit_form": form}
    return _render(request, "quickscale_todo/item_edit.html", context)


@login_required
@require_POST
def item_done(request: HttpRequest, item_id: int) -> HttpResponse:
    """Set the done state from the form's ``done`` value ("1"/"0"); toggles without it."""
    value = request.POST.get("done")
    if value in {"1", "0"}:
        item = services.item_set_done(user=request.user, item_id=item_id, done=value == "1")
    else:
        item = services.item_toggle(user=request.user, item_id=item_id)
    if not is_htmx(request):
        if item.done:
            message = _("Marked “%(title)s” as done.")
        else:
            message = _("Marked “%(title)s” as not done.")
        messages.success(request, message % {"title": item.title})
        return redirect(item.todo_list)
    return _items_response(request, item.todo_list)


@login_required
@require_POST
def item_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, item_id)
    title = item.title
    todo_list = services.item_delete(user=request.user, item_id=item.pk)
    messages.success(request, _("Deleted “%(title)s”.") % {"title": title})
    if not is_htmx(request):
        return redirect(todo_list)
    return _items_response(request, todo_list)
