"""Typed errors of the todo service layer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


class TodoNotFound(Http404):
    """The list or item does not exist *or belongs to someone else*.

    Both cases are the same error on purpose: answering 403 for another user's object
    would confirm that it exists. Subclassing Http404 lets views stay free of try/except.
    """


class ListLimitReached(ValidationError):
    """The project's policy refuses another list; ``upgrade_url`` says where to lift it."""

    def __init__(self, upgrade_url: str = "") -> None:
        super().__init__(
            {"title": _("You have reached the number of lists your plan allows.")},
            code="limit",
        )
        self.upgrade_url = upgrade_url
