"""The plans in quickscale.yml, checked by `quickscale validate` through this module's
manifest: good plans pass, and each bad one is an error at its line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from quickscale_toolchain import catalog
from quickscale_toolchain.config import validate_text

ROOT = Path(__file__).resolve().parents[3]

GOOD = """\
schema_version: 2
project:
  name: acme
theme: todo
modules:
  payments:
    provider: stripe
  billing:
    provider: stripe
    plans:
      - key: free
        name: Free
        default: true
        entitlements:
          todo.lists: {limit: 3}
      - key: pro
        name: Pro
        price: "9.00"
        currency: EUR
        interval: month
        trial_days: 14
        entitlements:
          todo.lists:
      - key: team
        name: Team
        price_minor: 9900
        currency: eur
        interval: year
"""


@pytest.fixture(scope="module")
def first_party() -> catalog.Catalog:
    return catalog.from_directory(ROOT, "checkout")


def _errors(text: str, components: catalog.Catalog) -> list[tuple[int, str, str]]:
    result = validate_text(text, components=components)
    return [(d.line, d.dotted_path, d.message) for d in result.diagnostics if d.is_error]


def test_the_issue_s_example_plans_are_valid(first_party: catalog.Catalog) -> None:
    assert _errors(GOOD, first_party) == []
    assert validate_text(GOOD).ok  # the shipped schema (v2.json) agrees


@pytest.mark.parametrize(
    ("old", "new", "line", "path", "words"),
    [
        ("key: team", "key: pro", 24, "modules.billing.plans[2].key", "used twice"),
        (
            "currency: EUR",
            "currency: EURO",
            19,
            "modules.billing.plans[1].currency",
            "not a currency",
        ),
        ('price: "9.00"', 'price: "-9.00"', 18, "modules.billing.plans[1].price", "not a price"),
        ('price: "9.00"', "price: 9.00", 18, "modules.billing.plans[1].price", "expected text"),
        (
            "price_minor: 9900",
            "price_minor: -1",
            26,
            "modules.billing.plans[2].price_minor",
            "out of range",
        ),
        (
            "interval: month",
            "interval: week",
            20,
            "modules.billing.plans[1].interval",
            "not a valid",
        ),
        ("        default: true\n", "", 11, "modules.billing.plans", "no item"),
        (
            "        price_minor: 9900\n",
            "        price_minor: 0\n        default: true\n",
            27,
            "modules.billing.plans[2].default",
            "second item",
        ),
        (
            '        price: "9.00"\n',
            '        price: "9.00"\n        price_minor: 900\n',
            19,
            "modules.billing.plans[1].price_minor",
            "both set",
        ),
        (
            "        currency: eur\n        interval: year\n",
            "",
            26,
            "modules.billing.plans[2].price_minor",
            "needs 'currency', 'interval'",
        ),
        (
            "        default: true\n",
            '        default: true\n        price: "5.00"\n'
            "        currency: eur\n        interval: month\n",
            14,
            "modules.billing.plans[0].price",
            "default plan is the free one",
        ),
    ],
)
def test_a_bad_plan_is_one_located_error(
    first_party: catalog.Catalog, old: str, new: str, line: int, path: str, words: str
) -> None:
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    [(found_line, found_path, message)] = _errors(text, first_party)
    assert (found_line, found_path) == (line, path), message
    assert words in message


def test_billing_without_payments_is_wired_with_it(first_party: catalog.Catalog) -> None:
    order = [e.component.id for e in first_party.resolve("starter", ["billing"])]
    assert order.index("modules/payments") < order.index("modules/billing")
