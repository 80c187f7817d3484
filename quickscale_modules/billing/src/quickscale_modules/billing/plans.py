"""The plans of the project's config, as data: read from the JSON file ``generate``
writes (``<project>/billing_plans.json``), and kept in the Plan/Entitlement tables.

``quickscale validate`` has already checked the file's source (quickscale.yml): prices
are text or minor units, never floats, and exactly one plan is the free default. The
file is read again here with the same rules, in case it was edited by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from quickscale_modules.billing.models import Entitlement, Plan
from quickscale_modules.billing.settings import PLANS_FILE_SETTING

from quickscale_modules.payments import services as payments

#: Without a plans file: one free plan that unlocks nothing.
FALLBACK = [{"key": "free", "name": "Free", "default": True}]


class PlansError(ValueError):
    """The plans file is not what ``generate`` writes."""


def to_minor(amount: Decimal, currency: str) -> int:
    """9.00 EUR -> 900; PlansError if the amount has more decimals than the currency."""
    try:
        return payments.to_minor(amount, currency)
    except ValueError as error:
        raise PlansError(str(error)) from None


@dataclass(frozen=True)
class PlanSpec:
    key: str
    name: str
    amount: Decimal = Decimal("0")
    currency: str = ""
    interval: str = ""
    trial_days: int = 0
    default: bool = False
    entitlements: dict[str, int | None] = field(default_factory=dict)

    @property
    def amount_minor(self) -> int:
        return to_minor(self.amount, self.currency) if self.currency else 0


def parse(items: list[dict[str, Any]]) -> list[PlanSpec]:
    """Plan specs from the config's list, with the rules the config's schema states."""
    specs: list[PlanSpec] = []
    for item in items:
        currency = str(item.get("currency") or "").lower()
        if "price_minor" in item:
            amount = payments.from_minor(int(item["price_minor"]), currency or "eur")
        else:
            raw = item.get("price", "0")
            if not isinstance(raw, str):
                raise PlansError(f'plan {item.get("key")!r}: price must be text, e.g. "9.00"')
            amount = Decimal(raw)
        if amount < 0:
            raise PlansError(f"plan {item.get('key')!r}: a price cannot be negative")
        entitlements = {
            str(k): (None if not v or v.get("limit") is None else int(v["limit"]))
            for k, v in (item.get("entitlements") or {}).items()
        }
        spec = PlanSpec(
            key=str(item["key"]),
            name=str(item.get("name") or item["key"]),
            amount=amount,
            currency=currency,
            interval=str(item.get("interval") or ""),
            trial_days=int(item.get("trial_days") or 0),
            default=item.get("default") is True,
            entitlements=entitlements,
        )
        if spec.currency:
            spec.amount_minor  # noqa: B018  (raises for too many decimals)
        specs.append(spec)
    keys = [s.key for s in specs]
    if len(set(keys)) != len(keys):
        raise PlansError("two plans have the same key")
    if sum(s.default for s in specs) != 1:
        raise PlansError("exactly one plan must be the default")
    return specs


def configured() -> list[PlanSpec]:
    """The project's plans (``settings.QUICKSCALE_BILLING_PLANS_FILE``), else FALLBACK."""
    path = getattr(settings, PLANS_FILE_SETTING, None)
    if not path:
        return parse(FALLBACK)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return parse(data.get("plans") or FALLBACK)


@transaction.atomic
def load(specs: list[PlanSpec] | None = None) -> list[Plan]:
    """Make the Plan and Entitlement rows match ``specs`` (default: the config's).

    Plans no longer configured become inactive (their subscribers keep them); Stripe
    ids are left alone (``stripe_sync`` owns them).
    """
    specs = configured() if specs is None else specs
    Plan.objects.filter(is_default=True).exclude(
        key__in=[s.key for s in specs if s.default]
    ).update(is_default=False)
    result = []
    for position, spec in enumerate(specs):
        plan, _ = Plan.objects.update_or_create(
            key=spec.key,
            defaults={
                "name": spec.name,
                "amount": spec.amount,
                "currency": spec.currency,
                "interval": spec.interval,
                "trial_days": spec.trial_days,
                "is_default": spec.default,
                "position": position,
                "active": True,
            },
        )
        plan.entitlements.exclude(key__in=list(spec.entitlements)).delete()
        for key, limit in spec.entitlements.items():
            Entitlement.objects.update_or_create(plan=plan, key=key, defaults={"limit": limit})
        result.append(plan)
    Plan.objects.exclude(key__in=[s.key for s in specs]).update(active=False)
    return result


def load_after_migrate(**kwargs: Any) -> None:
    """post_migrate: the configured plans are in the database once the tables exist."""
    load()
