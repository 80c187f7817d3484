"""Each length bound of the config schema is the bound of the column or name it feeds.

A plan name of 500 characters used to pass ``validate`` and fail ``migrate`` on
PostgreSQL (``varchar(120)``). Here every config string that is stored in a row or becomes
a database identifier is compared with the model field or the rule it lands in, read
from the real models in a Django process (billing's own test settings), so changing
either side alone fails this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from typing import Any

from django.utils.text import camel_case_to_spaces
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog
from quickscale_toolchain.config.schema import assembled_schema, ecma_regex
from quickscale_toolchain.names import MAX_PROJECT_NAME_LENGTH

ROOT = monorepo_root()
BILLING_TESTS = ROOT / "quickscale_modules" / "billing" / "tests"

#: Run in a Django process: the facts of the real models, and what Django's own system
#: checks say about customization models named with the longest allowed names.
FACTS = r"""
import json, sys
import django
django.setup()
from django.contrib.auth.checks import check_models_permissions
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQL
from django.db.models.options import Options
from quickscale_modules.billing.models import Entitlement, Plan

def field(model, name):
    return model._meta.get_field(name)

def make(name):
    meta = type("Meta", (), {"app_label": "quickscale_billing"})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta})

for name in json.loads(sys.argv[1]):
    make(name)
refused = sorted({e.obj.__name__ for e in check_models_permissions() if e.obj is not None})
limit = field(Entitlement, "limit").get_internal_type()
trial = field(Plan, "trial_days").get_internal_type()
print(json.dumps({
    "plan_key": field(Plan, "key").max_length,
    "plan_name": field(Plan, "name").max_length,
    "plan_currency": field(Plan, "currency").max_length,
    "amount": [field(Plan, "amount").max_digits, field(Plan, "amount").decimal_places],
    "entitlement_key": field(Entitlement, "key").max_length,
    "limit_range": PostgreSQL.integer_field_ranges[limit],
    "trial_range": PostgreSQL.integer_field_ranges[trial],
    "codename": field(Permission, "codename").max_length,
    "permission_name": field(Permission, "name").max_length,
    "content_type_model": field(ContentType, "model").max_length,
    "app_label": field(ContentType, "app_label").max_length,
    "actions": Options(None).default_permissions,
    "identifier": PostgreSQL.max_name_length(None),
    "refused": refused,
}))
"""


def schema() -> dict[str, Any]:
    first_party = catalog.from_directory(ROOT, "checkout")
    return assembled_schema(2, first_party)


def model_name_bound() -> int:
    bound: int = schema()["$defs"]["model"]["properties"]["name"]["maxLength"]
    return bound


def longest_names(length: int) -> list[str]:
    """CapWords names of ``length`` whose verbose names are as long as they get."""
    return [("Ab" * length)[:length], ("A1" * length)[:length], "A" * length]


@cache
def facts() -> dict[str, Any]:
    bound = model_name_bound()
    names = [*longest_names(bound), "B" * (bound + 1)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings"}
    done = subprocess.run(
        [sys.executable, "-c", FACTS, json.dumps(names)],
        cwd=BILLING_TESTS,
        env={**env, "PYTHONPATH": os.pathsep.join([str(BILLING_TESTS), env.get("PYTHONPATH", "")])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def plan_schema() -> dict[str, Any]:
    options = schema()["properties"]["modules"]["properties"]["billing"]["properties"]
    items: dict[str, Any] = options["plans"]["items"]
    return items


def test_a_plans_text_fits_the_billing_columns() -> None:
    found = facts()
    plan = plan_schema()["properties"]
    assert plan["name"]["maxLength"] == found["plan_name"]
    key = ecma_regex(plan["key"]["pattern"])
    assert key.search("a" * found["plan_key"]) and not key.search("a" * (found["plan_key"] + 1))
    currency = ecma_regex(plan["currency"]["pattern"])
    width = found["plan_currency"]
    assert currency.search("e" * width) and not currency.search("e" * (width + 1))
    entitlements = plan["entitlements"]
    assert entitlements["propertyNames"]["maxLength"] == found["entitlement_key"]


def test_a_plans_numbers_fit_the_billing_columns() -> None:
    found = facts()
    plan = plan_schema()["properties"]
    low, high = found["limit_range"]
    limit = plan["entitlements"]["additionalProperties"]["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"]) == (low, high)
    low, high = found["trial_range"]
    assert low <= plan["trial_days"]["minimum"] and plan["trial_days"]["maximum"] <= high
    digits, places = found["amount"]
    whole = digits - places  # digits Plan.amount holds before the point
    # price_minor is the amount in minor units; without minor units (JPY) they are equal.
    assert plan["price_minor"]["maximum"] == 10**whole - 1
    price = ecma_regex(plan["price"]["pattern"])
    assert not price.search("1" + "0" * whole) and not price.search("1." + "1" * (places + 1))
    assert price.search("9" * min(whole, 8) + "." + "9" * places)


def test_customization_names_fit_djangos_permission_and_column_names() -> None:
    found = facts()
    bound = model_name_bound()
    longest_action = max(len(action) for action in found["actions"])
    # Permission codenames are "<action>_<model name>", in a varchar(100).
    assert bound == found["codename"] - len("_") - longest_action
    assert bound <= found["content_type_model"]
    for name in longest_names(bound):
        verbose = camel_case_to_spaces(name)
        assert len(f"Can change {verbose}") <= found["permission_name"], name
    # Django's own checks (run by makemigrations in generate) agree: the longest names
    # pass, one character more is refused.
    assert found["refused"] == ["B" * (bound + 1)]
    defs = schema()["$defs"]
    assert defs["field"]["properties"]["to"]["maxLength"] == bound
    # A column is named after the field, a foreign key's with "_id": PostgreSQL keeps 63.
    assert defs["field"]["properties"]["name"]["maxLength"] == found["identifier"] - len("_id")


def test_the_project_name_fits_the_app_label_column() -> None:
    """The project is the Django app of the generated models: its name is their app
    label, stored in django_content_type.app_label."""
    assert facts()["app_label"] >= MAX_PROJECT_NAME_LENGTH
