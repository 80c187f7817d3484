"""``manage.py export_personal_data USER [--output FILE]``: a user's data archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quickscale_core.personal_data import services
from quickscale_core.personal_data.commands import user_from_argument


class Command(BaseCommand):  # type: ignore[misc]  # Django ships no types
    help = (
        "Write a user's personal data (every installed component's, as declared) to a "
        "zip: README.md and one JSON file per component."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="the user's email, username or id")
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="where to write the zip (default: personal-data-<id>.zip here)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_from_argument(options["user"])
        output = Path(options["output"] or f"personal-data-{user.pk}.zip")
        if output.exists():
            raise CommandError(
                f"{output} exists already — pass --output with a new file name, or remove it"
            )
        if not output.parent.is_dir():
            raise CommandError(
                f"the folder {output.parent} does not exist — create it first, "
                "or pass --output in an existing folder"
            )
        output.write_bytes(services.export_archive(user))
        self.stdout.write(f"Wrote the personal data of user {user.pk} to {output}")
