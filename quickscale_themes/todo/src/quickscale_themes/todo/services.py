"""Every change to lists and items goes through here, and every function checks ownership.

Functions take the acting ``user`` and ids (never model instances from a form), look the
object up through :mod:`.selectors` with that user, and raise
:class:`~quickscale_themes.todo.errors.TodoNotFound` for anything the user does not own:
a view cannot forget the check because it never gets an unchecked object to act on.
Invalid input raises Django's ``ValidationError`` keyed by field.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .errors import ListLimitReached
from .models import TITLE_MAX_LENGTH, TodoItem, TodoList
from .policy import get_policy


@contextmanager
def _atomic() -> Iterator[None]:
    """A transaction on the database the todo tables are routed to (multi-db safe)."""
    with transaction.atomic(using=router.db_for_write(TodoList)):
        yield


#: What :func:`clean_title` says for each kind of title (its ``what``): whole sentences,
#: so that each translates as one (an article or word order differs between languages).
TITLE_MESSAGES = {
    "title": (
        gettext_lazy("Enter a title."),
        gettext_lazy("Keep the title under %(limit)s characters."),
    ),
    "list title": (
        gettext_lazy("Enter a list title."),
        gettext_lazy("Keep the list title under %(limit)s characters."),
    ),
    "item": (
        gettext_lazy("Enter an item."),
        gettext_lazy("Keep the item under %(limit)s characters."),
    ),
}


def clean_title(title: str, *, what: str = "title") -> str:
    """Strip and check a title; the same rule for lists and items."""
    missing, too_long = TITLE_MESSAGES.get(what, TITLE_MESSAGES["title"])
    cleaned = " ".join(str(title or "").split())
    if not cleaned:
        raise ValidationError({"title": missing}, code="required")
    if len(cleaned) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": too_long % {"limit": TITLE_MAX_LENGTH + 1}}, code="max_length"
        )
    return cleaned


def _require_user(user: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to manage to-do lists."))


def _touch(todo_list: TodoList) -> None:
    """Bump the list's ``updated_at`` so the overview shows recently used lists first."""
    TodoList.objects.filter(pk=todo_list.pk).update(updated_at=timezone.now())


def _hold_owner(owner: Any, using: str) -> None:
    """Make this transaction the only one creating for ``owner`` until it ends, so the
    count a policy answers from still holds at the insert.

    With row locks (PostgreSQL) the owner's user row is locked: a concurrent creation
    waits here, then counts what the first committed. SQLite has no row locks but one
    writer at a time: writing first (a no-op update of that row) takes its write lock
    before the count, so a concurrent creation waits here too, rather than failing at
    its insert with "database is locked".
    """
    user_model = get_user_model()
    users = user_model._default_manager.using(using).filter(pk=owner.pk)
    features = connections[using].features
    if features.has_select_for_update:
        no_key = features.has_select_for_no_key_update  # inserts referencing the user go on
        list(users.select_for_update(no_key=no_key).values_list("pk", flat=True))
    else:
        pk = user_model._meta.pk.attname
        users.update(**{pk: F(pk)})


def list_create(*, owner: Any, title: str) -> TodoList:
    """Create a list owned by ``owner``, if the project's policy allows another
    (:mod:`.policy`; ListLimitReached otherwise).

    The count, the policy's answer and the insert are one transaction holding the
    owner (:func:`_hold_owner`): parallel requests cannot both take the last list a
    plan allows.
    """
    _require_user(owner)
    cleaned = clean_title(title, what="list title")
    policy = get_policy()
    using = router.db_for_write(TodoList)
    with transaction.atomic(using=using):
        _hold_owner(owner, using)
        existing = TodoList.objects.using(using).filter(owner=owner).count()
        if not policy.may_create_list(owner, existing):
            raise ListLimitReached(policy.upgrade_url(owner))
        return TodoList.objects.using(using).create(owner=owner, title=cleaned)


def list_rename(*, user: Any, list_id: int, title: str) -> TodoList:
    """Rename one of the user's lists."""
    cleaned = clean_title(title, what="list title")
    with _atomic():
        todo_list = selectors.get_list_for_user(user, list_id, for_update=True)
        todo_list.title = cleaned
        todo_list.save(update_fields=["title", "updated_at"])
    return todo_list


def list_delete(*, user: Any, list_id: int) -> str:
    """Delete one of the user's lists with its items; returns the title for the message."""
    with _atomic():
        todo_list = selectors.get_list_for_user(user, list_id, for_update=True)
        title = todo_list.title
        todo_list.delete()
    return title


def item_add(*, user: Any, list_id: int, title: str) -> TodoItem:
    """Append an item to one of the user's lists."""
    cleaned = clean_title(title, what="item")
    with _atomic():
        # Locking the list serialises concurrent appends, so positions stay unique.
        todo_list = selectors.get_list_for_user(user, list_id, for_update=True)
        last = todo_list.items.aggregate(last=Max("position"))["last"]
        item = TodoItem.objects.create(
            todo_list=todo_list, title=cleaned, position=0 if last is None else last + 1
        )
        _touch(todo_list)
    return item


def item_edit(*, user: Any, item_id: int, title: str) -> TodoItem:
    """Change the title of an item on one of the user's lists."""
    cleaned = clean_title(title, what="item")
    with _atomic():
        item = selectors.get_item_for_user(user, item_id, for_update=True)
        item.title = cleaned
        item.save(update_fields=["title", "updated_at"])
        _touch(item.todo_list)
    return item


def item_set_done(*, user: Any, item_id: int, done: bool) -> TodoItem:
    """Mark an item done or not done. Idempotent, so a double-submitted form is harmless."""
    with _atomic():
        item = selectors.get_item_for_user(user, item_id, for_update=True)
        if item.done != done:
            item.done = done
            item.done_at = timezone.now() if done else None
            item.save(update_fields=["done", "done_at", "updated_at"])
            _touch(item.todo_list)
    return item


def item_toggle(*, user: Any, item_id: int) -> TodoItem:
    """Flip an item's done state (for callers that do not know the current state)."""
    item = selectors.get_item_for_user(user, item_id)
    return item_set_done(user=user, item_id=item.pk, done=not item.done)


def item_delete(*, user: Any, item_id: int) -> TodoList:
    """Delete an item; returns its list so the caller can show what is left."""
    with _atomic():
        item = selectors.get_item_for_user(user, item_id, for_update=True)
        todo_list = item.todo_list
        todo_list.items.filter(position__gt=item.position).update(position=F("position") - 1)
        item.delete()
        _touch(todo_list)
    return todo_list
