"""What both management commands share: the user named on the command line."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.db.models import Model

from quickscale_core.personal_data.selectors import users_matching


def user_from_argument(identifier: str) -> Model:
    """The one user ``identifier`` (an email, username or id) names; a one-line
    CommandError naming the fix otherwise."""
    try:
        matches = users_matching(identifier.strip())
    except DatabaseError as exc:
        raise CommandError(
            f"the users cannot be read ({str(exc).strip().splitlines()[0]}) — "
            "run '.venv/bin/python manage.py migrate' if the database has no tables yet"
        ) from exc
    if not matches:
        raise CommandError(
            f"no user is {identifier!r} — give an existing user's email, username or id "
            "(the admin's user list shows them)"
        )
    if len(matches) > 1:
        raise CommandError(
            f"{identifier!r} names more than one user — give the user's id instead "
            "(the admin's user list shows it)"
        )
    return matches[0]
