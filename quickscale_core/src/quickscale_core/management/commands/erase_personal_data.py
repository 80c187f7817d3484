"""``manage.py erase_personal_data USER [--no-input]``: erase a user as declared."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quickscale_core.personal_data import services
from quickscale_core.personal_data.commands import user_from_argument


class Command(BaseCommand):  # type: ignore[misc]  # Django ships no types
    help = (
        "Erase a user's personal data across every installed component as declared "
        "(delete, anonymize or keep), the account last, in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="the user's email, username or id")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="erase without asking for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_from_argument(options["user"])
        if options["interactive"]:
            answer = input(
                f"Erase the account {user} (id {user.pk}) and its data? This cannot be "
                "undone. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                self.stdout.write("Nothing was erased.")
                return
        pk = user.pk
        try:
            report = services.erase_user(user)
        except Exception as exc:  # a hook or a row refused: nothing was changed
            raise CommandError(
                f"erasing user {pk} failed, nothing was changed ({type(exc).__name__}: "
                f"{exc}) — fix the cause, then run the command again"
            ) from exc
        for verb, counts in (
            ("deleted", report.deleted),
            ("anonymized", report.anonymized),
            ("kept", report.kept),
        ):
            for label, count in counts.items():
                self.stdout.write(f"{label}: {count} {verb}")
        self.stdout.write(f"Erased user {pk}.")
