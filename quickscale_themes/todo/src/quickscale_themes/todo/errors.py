"""Typed errors of the todo service layer."""

from __future__ import annotations

from django.http import Http404


class TodoNotFound(Http404):
    """The list or item does not exist *or belongs to someone else*.

    Both cases are the same error on purpose: answering 403 for another user's object
    would confirm that it exists. Subclassing Http404 lets views stay free of try/except.
    """
