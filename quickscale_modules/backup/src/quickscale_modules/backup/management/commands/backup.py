"""Back up the database and the media files now (what the scheduler runs nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quickscale_modules.backup import services


class Command(BaseCommand):
    help = "Back up the database and media files, then prune old backups by retention."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-media", action="store_true", help="the database only")

    def handle(self, *args: Any, no_media: bool, **options: Any) -> None:
        try:
            result = services.run_backup(media=not no_media)
        except services.BackupFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Database: {result.database}")
        if result.media:
            self.stdout.write(f"Media: {result.media}")
