"""Delete analytics events older than the retention (QUICKSCALE_ANALYTICS_RETENTION_DAYS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quickscale_modules.analytics import services


class Command(BaseCommand):
    help = "Delete analytics events older than the configured number of days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep this many days (default: QUICKSCALE_ANALYTICS_RETENTION_DAYS)",
        )

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        try:
            deleted = services.prune(days)
        except ValueError as error:
            raise CommandError(str(error)) from None
        kept = services.retention_days() if days is None else days
        self.stdout.write(f"Deleted {deleted} events older than {kept} days.")
