"""Restore the database (and media files) from a backup, safely.

A database that holds data is overwritten only after a typed confirmation, or with
--force (scripts, where no one can answer).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quickscale_modules.backup import services


class Command(BaseCommand):
    help = "Restore the database (default: the newest backup) and optionally media files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database-file", help="a backup's file name (default: newest)")
        parser.add_argument("--media-file", help="also restore this media backup")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that holds data"
        )

    def handle(
        self,
        *args: Any,
        database_file: str | None,
        media_file: str | None,
        force: bool,
        **options: Any,
    ) -> None:
        if services.holds_data() and not force:
            if not sys.stdin.isatty():
                raise CommandError(
                    "the database holds data and would be overwritten: "
                    "run interactively to confirm, or pass --force"
                )
            answer = input(
                "The database holds data; restoring replaces all of it. Type 'restore' "
                "to continue: "
            )
            if answer.strip() != "restore":
                raise CommandError("restore cancelled; nothing was changed")
        services.restore(database_file, media_file=media_file)
        self.stdout.write("Restored.")
