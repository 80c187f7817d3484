"""Renamed customization models and fields keep their data, or generate refuses first.

Detection and the refusal are pure (tables below); the last test renames models and
fields of a real generated project whose SQLite tables hold rows, migrates, and reads
the rows back under the new names.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from gen_support import ORDER, PRODUCT, config
from quickscale_toolchain.errors import ExitCode, UsageError
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.renames import (
    FieldRename,
    ModelRename,
    RenameUndecided,
    choose_renames,
    declared_models,
    decode_renames,
    encode_renames,
    makemigrations_with_renames,
    parse_rename,
    rename_candidates,
)
from quickscale_toolchain.generator.sync import apply_plan, plan_project

MODELS = "acme/generated_models.py"


def model(name: str, *fields: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "fields": list(fields)}


def renamed(data: dict[str, Any], name: str, **fields: str) -> dict[str, Any]:
    """``data`` (a model) called ``name``, its fields renamed old=new."""
    out = copy.deepcopy(data)
    out["name"] = name
    for item in out["fields"]:
        item["name"] = fields.get(item["name"], item["name"])
    return out


def pointing(data: dict[str, Any], target: str) -> dict[str, Any]:
    """``data`` with its foreign keys pointing at ``target``."""
    out = copy.deepcopy(data)
    for item in out["fields"]:
        if item["type"] == "foreign_key":
            item["to"] = target
    return out


STRING = {"name": "name", "type": "string"}
ITEM = renamed(PRODUCT, "Item")
PURCHASE = renamed(ORDER, "Purchase")


@cache
def _render(models_json: str) -> bytes:
    models = json.loads(models_json)
    spec = spec_from_config(config(models=models)) if models else spec_from_config(config())
    return render_project(spec)[MODELS].content


def render(models: list[dict[str, Any]]) -> bytes:
    """The generated models module of a project declaring ``models``."""
    return _render(json.dumps(models, sort_keys=True))


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param([PRODUCT], [ITEM], [ModelRename("Product", "Item")], id="model"),
        pytest.param(
            [PRODUCT],
            [renamed(PRODUCT, "Item", price="amount")],
            [],
            id="model-and-field-at-once",
        ),
        pytest.param(
            [PRODUCT], [model("Item", STRING, {"name": "price", "type": "integer"})], [], id="type"
        ),
        pytest.param([PRODUCT], [model("Item", STRING)], [], id="model-losing-a-field"),
        pytest.param(
            [PRODUCT, ORDER],
            [PRODUCT, PURCHASE],
            [ModelRename("Order", "Purchase")],
            id="model-with-a-foreign-key",  # its related_name changes with its name
        ),
        pytest.param(
            [PRODUCT, ORDER],
            [ITEM, pointing(PURCHASE, "Item")],
            [ModelRename("Product", "Item"), ModelRename("Order", "Purchase")],
            id="a-model-and-the-model-pointing-at-it",
        ),
        pytest.param(
            [PRODUCT, ORDER],
            [ITEM, pointing(ORDER, "Item")],
            [ModelRename("Product", "Item")],
            id="target-renamed-the-key-only-repointed",
        ),
        pytest.param(
            [model("A", STRING), model("B", STRING)],
            [model("C", STRING)],
            [ModelRename("A", "C"), ModelRename("B", "C")],
            id="two-could-be-the-one",
        ),
        pytest.param(
            [PRODUCT],
            [renamed(PRODUCT, "Product", price="amount")],
            [FieldRename("Product", "price", "amount")],
            id="field",
        ),
        pytest.param(
            [PRODUCT, ORDER],
            [PRODUCT, renamed(ORDER, "Order", product="item")],
            [FieldRename("Order", "product", "item")],
            id="foreign-key-field",  # its related_name changes with its name
        ),
        pytest.param(
            [PRODUCT],
            [model("Product", STRING, {"name": "amount", "type": "decimal", "max_digits": 12})],
            [],
            id="field-with-other-options",
        ),
        pytest.param(
            [PRODUCT],
            [model("Product", STRING, {"name": "amount", "type": "decimal", "required": False})],
            [],
            id="field-now-optional",
        ),
        pytest.param(
            [model("P", STRING)],
            [model("P", {"name": "title", "type": "string"}, {"name": "label", "type": "string"})],
            [FieldRename("P", "name", "title"), FieldRename("P", "name", "label")],
            id="one-field-two-could-be-it",
        ),
        pytest.param([PRODUCT], [renamed(PRODUCT, "PRODUCT")], [], id="case-only-same-table"),
        pytest.param([], [PRODUCT], [], id="first-model"),
        pytest.param([PRODUCT, ORDER], [PRODUCT], [], id="model-removed"),
        pytest.param([PRODUCT], [PRODUCT, ORDER], [], id="model-added"),
        pytest.param([PRODUCT], [model("Product", STRING)], [], id="field-removed"),
        pytest.param([PRODUCT, ORDER], [PRODUCT, ORDER], [], id="unchanged"),
    ],
)
def test_rename_candidates(before, after, expected):
    assert rename_candidates(render(before), render(after)) == expected


def test_no_previous_render_or_unreadable_text_declares_no_model():
    assert rename_candidates(None, render([PRODUCT])) == []
    assert declared_models(b"class Broken(models.Model:\n") == {}
    assert set(declared_models(render([PRODUCT, ORDER]))) == {"Product", "Order"}


# quickscale.yml as a user writes it: the positions in the expected errors point into it.
CONFIG = """\
schema_version: 2
project:
  name: acme
customizations:
  models:
    - name: Item
      fields:
        - name: name
          type: string
        - name: amount
          type: decimal
    - name: Order
      fields:
        - {name: item, type: foreign_key, to: Item}
        - name: qty
          type: integer
"""
ITEM_RENAME = ModelRename("Product", "Item")
AMOUNT_RENAME = FieldRename("Item", "price", "amount")
QTY_RENAME = FieldRename("Order", "quantity", "qty")
FK_RENAME = FieldRename("Order", "product", "item")
KEEP_OR_DROP = "generate cannot tell a rename from a drop and an add"


@pytest.mark.parametrize(
    ("candidates", "renames", "drops", "expected"),
    [
        (
            [ITEM_RENAME],
            [],
            [],
            "quickscale.yml:6:13: model Product was renamed to Item? "
            f"{KEEP_OR_DROP} — to keep the rows run 'quickscale generate --rename "
            "Product=Item'; to drop Product and its rows run 'quickscale generate --drop "
            "Product'",
        ),
        (
            [QTY_RENAME],
            [],
            [],
            "quickscale.yml:15:17: field Order.quantity was renamed to Order.qty? "
            f"{KEEP_OR_DROP} — to keep the values run 'quickscale generate --rename "
            "Order.quantity=Order.qty'; to drop Order.quantity and its values run "
            "'quickscale generate --drop Order.quantity'",
        ),
        (  # in the order of the config, each command deciding all of them
            [QTY_RENAME, FK_RENAME],
            [],
            [],
            "quickscale.yml:14:18: field Order.product was renamed to Order.item? (and "
            f"field Order.quantity was renamed to Order.qty?) {KEEP_OR_DROP} — to keep the "
            "values run 'quickscale generate --rename Order.product=Order.item --rename "
            "Order.quantity=Order.qty'; to drop Order.product, Order.quantity and their "
            "values run 'quickscale generate --drop Order.product --drop Order.quantity'",
        ),
        (  # the choice already made is in both commands
            [ITEM_RENAME, AMOUNT_RENAME],
            ["Product=Item"],
            [],
            "quickscale.yml:10:17: field Item.price was renamed to Item.amount? "
            f"{KEEP_OR_DROP} — to keep the values run 'quickscale generate --rename "
            "Product=Item --rename Item.price=Item.amount'; to drop Item.price and its "
            "values run 'quickscale generate --rename Product=Item --drop Item.price'",
        ),
        (  # two old models could be Item: the command keeps one, the other is dropped
            [ITEM_RENAME, ModelRename("Widget", "Item"), AMOUNT_RENAME],
            [],
            ["Item.price"],
            f"quickscale.yml:6:13: model Product was renamed to Item? (and model Widget was "
            f"renamed to Item?) {KEEP_OR_DROP} — to keep the rows run 'quickscale generate "
            "--rename Product=Item --drop Item.price'; to drop Product, Widget and their "
            "rows run 'quickscale generate --drop Item.price --drop Product --drop Widget'",
        ),
    ],
)
def test_an_undecided_rename_is_refused_where_the_new_name_is_written(
    tmp_path, candidates, renames, drops, expected
):
    path = tmp_path / "quickscale.yml"
    path.write_text(CONFIG, "utf-8")
    with pytest.raises(RenameUndecided) as caught:
        choose_renames(candidates, renames, drops, path)
    assert caught.value.one_line() == expected
    assert caught.value.exit_code is ExitCode.FAILED
    line, column = (int(n) for n in expected.split(":")[1:3])
    assert (caught.value.line, caught.value.column) == (line, column)


def test_the_refusal_names_the_command_it_was_given_and_survives_an_unreadable_config(
    tmp_path,
):
    with pytest.raises(RenameUndecided) as caught:
        choose_renames([ITEM_RENAME], [], [], tmp_path / "missing.yml", command="qs gen -C x")
    assert caught.value.one_line().startswith("quickscale.yml:1:1: model Product was renamed")
    assert "run 'qs gen -C x --rename Product=Item'" in caught.value.hint


@pytest.mark.parametrize(
    ("candidates", "renames", "drops", "expected"),
    [
        ([ITEM_RENAME], ["Product=Item"], [], (ITEM_RENAME,)),
        ([ITEM_RENAME], [], ["Product"], ()),
        (
            [ITEM_RENAME, ModelRename("Widget", "Item")],
            ["Widget=Item"],
            [],
            (ModelRename("Widget", "Item"),),
        ),
        ([QTY_RENAME, FK_RENAME], ["Order.product=Order.item"], ["Order.quantity"], (FK_RENAME,)),
        ([], [], [], ()),
    ],
)
def test_decided_renames_are_returned(tmp_path, candidates, renames, drops, expected):
    assert choose_renames(candidates, renames, drops, tmp_path / "quickscale.yml") == expected


@pytest.mark.parametrize(
    ("candidates", "renames", "drops", "expected"),
    [
        (
            [ITEM_RENAME],
            ["Prodct=Item"],
            [],
            "--rename Prodct=Item names nothing generate sees renamed — did you mean "
            "Product=Item? the candidates are Product=Item",
        ),
        (
            [],
            ["Product=Item"],
            [],
            "--rename Product=Item: nothing in quickscale.yml looks renamed since the last "
            "generate — run 'quickscale generate' without it",
        ),
        (
            [ITEM_RENAME],
            [],
            ["Item"],
            "--drop Item names nothing generate sees renamed — the candidates are Product",
        ),
        (
            [ITEM_RENAME],
            ["Product=Item"],
            ["Product"],
            "Product is given more than one fate (--rename and --drop) — name Product in "
            "one --rename or one --drop",
        ),
        (
            [ITEM_RENAME, ModelRename("Widget", "Item")],
            ["Product=Item", "Widget=Item"],
            [],
            "two --rename options end in Item — keep one of them and --drop the other's old name",
        ),
        (
            [ITEM_RENAME],
            ["Product"],
            [],
            "--rename Product: no '=' between the old and the new name — write --rename "
            "Product=Item for a model, --rename Product.price=Product.amount for a field",
        ),
        (
            [ITEM_RENAME],
            ["Product=It-em"],
            [],
            "--rename Product=It-em: 'It-em' is not a model name or Model.field — write "
            "--rename Product=Item for a model, --rename Product.price=Product.amount for "
            "a field",
        ),
        (
            [AMOUNT_RENAME],
            ["Item.price=Thing.amount"],
            [],
            "--rename Item.price=Thing.amount: a field is renamed within its model — write "
            "--rename Item.price=Item.amount; rename a model and its fields in two generates",
        ),
        (
            [AMOUNT_RENAME],
            ["Item.price=amount"],
            [],
            "--rename Item.price=amount: a field is renamed within its model — write "
            "--rename Item.price=Item.new_field; rename a model and its fields in two "
            "generates",
        ),
        (
            [AMOUNT_RENAME],
            [],
            ["Item.price.x"],
            "--drop Item.price.x: 'Item.price.x' is not a model name or Model.field — write "
            "--drop Product for a model, --drop Product.price for a field",
        ),
    ],
)
def test_a_choice_that_names_no_candidate_is_a_one_line_usage_error(
    tmp_path, candidates, renames, drops, expected
):
    with pytest.raises(UsageError) as caught:
        choose_renames(candidates, renames, drops, tmp_path / "quickscale.yml")
    assert caught.value.exit_code is ExitCode.USAGE
    assert caught.value.one_line() == expected


def test_a_pending_rename_is_kept_and_may_be_named_again(tmp_path):
    """A generate that wrote its files but not yet its migration left ITEM_RENAME to do:
    the rerun is no longer shown it as a candidate, so it comes as ``pending``."""
    path = tmp_path / "quickscale.yml"
    path.write_text(CONFIG, "utf-8")
    for renames in ([], ["Product=Item"]):
        assert choose_renames([], renames, [], path, pending=[ITEM_RENAME]) == (ITEM_RENAME,)
    both = choose_renames(
        [AMOUNT_RENAME], ["Item.price=Item.amount"], [], path, pending=[ITEM_RENAME]
    )
    assert both == (ITEM_RENAME, AMOUNT_RENAME)
    with pytest.raises(RenameUndecided) as caught:
        choose_renames([AMOUNT_RENAME], [], [], path, pending=[ITEM_RENAME])
    assert "run 'quickscale generate --rename Item.price=Item.amount'" in caught.value.hint
    with pytest.raises(UsageError, match="Product is given more than one fate"):
        choose_renames([], [], ["Product"], path, pending=[ITEM_RENAME])


def test_renames_travel_as_json_and_back():
    renames = (ITEM_RENAME, AMOUNT_RENAME)
    assert decode_renames(encode_renames(renames)) == renames
    assert parse_rename("Item.price=Item.amount") == AMOUNT_RENAME
    assert parse_rename(" Product = Item ") == ITEM_RENAME


# --- a real project -----------------------------------------------------------------------


def manage(root: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


ROWS = """\
import json
from django.apps import apps
out = {}
for name in ("Product", "Order", "Item", "Purchase"):
    try:
        model = apps.get_model("acme", name)
    except LookupError:
        continue
    out[name] = list(model.objects.order_by("id").values())
print(json.dumps(out, default=str))
"""

FILL = """\
import datetime
from decimal import Decimal
from acme.generated_models import Order, Product
when = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
for name, price in (("lamp", "9.50"), ("desk", "120.00")):
    product = Product.objects.create(name=name, price=Decimal(price))
    Order.objects.create(product=product, quantity=3, placed=when)
"""


def rows(root: Path, env: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Every row of the customization models, read through the ORM."""
    data: dict[str, list[dict[str, Any]]] = json.loads(
        manage(root, env, "shell", "-c", ROWS).splitlines()[-1]
    )
    return data


def step(qs, root: Path, env: dict[str, str], models: list[dict[str, Any]], choices: list[str]):
    """One generate with renames: refused without the choices (nothing written), then
    written with them and migrated; returns the migration output."""
    qs.write_config(root, qs.config(models=models))
    before = qs.tree_digest(root)
    plan = plan_project(root)
    candidates = rename_candidates(plan.previous.bases.get(MODELS), plan.records.get(MODELS))
    with pytest.raises(RenameUndecided) as refused:
        choose_renames(candidates, [], [], root / "quickscale.yml")
    assert f"--rename {' --rename '.join(choices)}'" in refused.value.hint
    assert qs.tree_digest(root) == before
    chosen = choose_renames(candidates, choices, [], root / "quickscale.yml")
    apply_plan(plan)
    outcome = makemigrations_with_renames(root, "acme", chosen, env=env)
    assert outcome.ran and outcome.ok, outcome.output
    manage(root, env, "migrate", "--noinput")
    return outcome.output


def test_renamed_models_and_fields_keep_their_rows(qs, tmp_path, project_env):
    env = project_env()
    root = qs.make_project(tmp_path / "acme", qs.config(models=[PRODUCT, ORDER]))
    (root / ".env").write_text(
        "DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=generator-tests-only-0123456789abcdefghijklmnop\n",
        "utf-8",
    )
    first = makemigrations_with_renames(root, "acme", [], env=env)  # no renames: the plain run
    assert first.ok and "Create model Product" in first.output, first.output
    manage(root, env, "migrate", "--noinput")
    manage(root, env, "shell", "-c", FILL)
    original = rows(root, env)
    assert len(original["Product"]) == 2 and len(original["Order"]) == 2

    # Product -> Item, and Order (whose key points at it) -> Purchase, at once
    output = step(
        qs, root, env, [ITEM, pointing(PURCHASE, "Item")], ["Product=Item", "Order=Purchase"]
    )
    assert "Rename model Product to Item" in output and "Rename model Order to Purchase" in output
    assert rows(root, env) == {"Item": original["Product"], "Purchase": original["Order"]}

    # Item.price -> amount, and the foreign key Purchase.product -> item
    item = renamed(ITEM, "Item", price="amount")
    purchase = pointing(renamed(PURCHASE, "Purchase", product="item"), "Item")
    output = step(
        qs,
        root,
        env,
        [item, purchase],
        ["Item.price=Item.amount", "Purchase.product=Purchase.item"],
    )
    assert "Rename field price on item to amount" in output, output
    assert "Rename field product on purchase to item" in output, output
    moved = rows(root, env)
    assert [r["amount"] for r in moved["Item"]] == [r["price"] for r in original["Product"]]
    assert [r["item_id"] for r in moved["Purchase"]] == [r["product_id"] for r in original["Order"]]
    manage(root, env, "makemigrations", "--check", "--dry-run")

    # A chosen rename Django cannot see (the field changed too) writes no migration.
    migrations = sorted((root / "acme/migrations").glob("*.py"))
    title = {"name": "title", "type": "string", "max_length": 80, "required": False}
    qs.write_config(root, qs.config(models=[model("Item", title, item["fields"][1]), purchase]))
    apply_plan(plan_project(root))
    refused = makemigrations_with_renames(
        root, "acme", [FieldRename("Item", "name", "title")], env=env
    )
    assert not refused.ok
    assert "Django does not see Item.name -> Item.title as a rename" in refused.output
    assert sorted((root / "acme/migrations").glob("*.py")) == migrations
