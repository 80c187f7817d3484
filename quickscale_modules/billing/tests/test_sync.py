"""billing_sync: the config's plans as Stripe Products and Prices, idempotently."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from quickscale_modules.billing.models import Plan

pytestmark = pytest.mark.django_db


def _sync() -> str:
    out = io.StringIO()
    call_command("billing_sync", stdout=out)
    return out.getvalue()


def test_first_run_creates_products_and_prices_second_run_changes_nothing(stripe_api: Any) -> None:
    first = _sync()
    assert "created product qs_plan_pro" in first and "created product qs_plan_team" in first
    assert "qs_plan_free" not in stripe_api.products  # the free default needs no Stripe object
    pro = Plan.objects.get(key="pro")
    price = stripe_api.prices[pro.stripe_price_id]
    assert (price["unit_amount"], price["currency"], price["recurring"]["interval"]) == (
        900,
        "eur",
        "month",
    )
    team = stripe_api.prices[Plan.objects.get(key="team").stripe_price_id]
    assert (team["unit_amount"], team["recurring"]["interval"]) == (9900, "year")
    writes = len(stripe_api.writes)
    assert "Stripe is up to date." in _sync()
    assert len(stripe_api.writes) == writes  # nothing written the second time


def test_a_changed_price_creates_a_new_price_and_archives_the_old(
    stripe_api: Any, settings: Any, tmp_path: Path
) -> None:
    _sync()
    old = Plan.objects.get(key="pro").stripe_price_id
    data = json.loads(Path(settings.QUICKSCALE_BILLING_PLANS_FILE).read_text())
    data["plans"][1]["price"] = "12.00"
    changed = tmp_path / "plans.json"
    changed.write_text(json.dumps(data))
    settings.QUICKSCALE_BILLING_PLANS_FILE = str(changed)
    report = _sync()
    new = Plan.objects.get(key="pro").stripe_price_id
    assert new != old and f"archived price {old}" in report
    assert stripe_api.prices[old]["active"] is False
    assert stripe_api.prices[new]["unit_amount"] == 1200
    assert stripe_api.prices[new]["lookup_key"] == "quickscale_billing_pro"
    assert stripe_api.prices[old]["lookup_key"] is None  # transferred
    assert "Stripe is up to date." in _sync()


def test_a_plan_file_with_a_float_price_is_refused(settings: Any, tmp_path: Path) -> None:
    bad = tmp_path / "plans.json"
    bad.write_text(
        json.dumps(
            {
                "plans": [
                    {"key": "free", "name": "F", "default": True},
                    {
                        "key": "pro",
                        "name": "P",
                        "price": 9.0,
                        "currency": "eur",
                        "interval": "month",
                    },
                ]
            }
        )
    )
    settings.QUICKSCALE_BILLING_PLANS_FILE = str(bad)
    with pytest.raises(CommandError, match="price must be text"):
        call_command("billing_sync", "--no-stripe", stdout=io.StringIO())


def test_without_a_secret_key_sync_says_so(settings: Any) -> None:
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(CommandError, match="STRIPE_SECRET_KEY is not set"):
        call_command("billing_sync", stdout=io.StringIO())
