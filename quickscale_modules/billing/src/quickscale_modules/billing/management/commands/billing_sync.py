"""``manage.py billing_sync``: the config's plans into the database, then into Stripe."""

from __future__ import annotations

from typing import Any

import stripe
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quickscale_modules.billing import plans, services, stripe_sync


class Command(BaseCommand):
    help = (
        "Load the plans of billing_plans.json into the database and create or update "
        "their Stripe Products and Prices (idempotent; a changed price gets a new Price "
        "and the old one is archived)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-stripe", action="store_true", help="only the database, no Stripe call"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = plans.load()
        except (plans.PlansError, OSError, ValueError) as error:
            raise CommandError(f"cannot read the plans: {error}") from error
        self.stdout.write(f"{len(loaded)} plan(s): {', '.join(p.key for p in loaded)}")
        if options["no_stripe"]:
            return
        try:
            done = stripe_sync.sync(services.stripe_client())
        except services.BillingError as error:
            raise CommandError(str(error)) from error
        except stripe.StripeError as error:
            raise CommandError(f"Stripe refused: {error.user_message or error}") from error
        for line in done:
            self.stdout.write(line)
        self.stdout.write("Stripe is up to date." if not done else f"{len(done)} change(s).")
