"""Personal data in a manifest and in the project's settings.

The keys a model table grows (user, description, erase, anonymize, reason, export) and
[tool.quickscale.personal-data], with the rules that tie them together, each broken rule
one ManifestError naming the key and the fix; then core's and the components'
declarations collected into QUICKSCALE_PERSONAL_DATA."""

from __future__ import annotations

import ast
import re
from typing import Any

import pytest
from quickscale_toolchain.catalog import Entry
from quickscale_toolchain.components import Component
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.wiring import Wiring, entry_layout
from quickscale_toolchain.manifest import (
    Manifest,
    ManifestError,
    ModelMarkings,
    PersonalData,
    parse_manifest,
)

HEAD = '[project]\nname = "x"\nversion = "0.1.0"\n[tool.quickscale]\nkind = "module"\nname = "x"\n'
LIST = '[tool.quickscale.models."todo.List"]\n'
PAYMENT = '[tool.quickscale.models."pay.Payment"]\n'


def _parse(table: str) -> Manifest:
    return parse_manifest(HEAD + table, "x/pyproject.toml", Component("modules", "x"))


@pytest.mark.parametrize(
    ("table", "models", "personal", "declared"),
    [
        ("", (), PersonalData(), False),
        (
            LIST + 'user = "owner"\ndescription = "Your lists"\nerase = "delete"\n',
            (ModelMarkings("todo.List", user="owner", description="Your lists", erase="delete"),),
            PersonalData(),
            True,
        ),
        (
            PAYMENT + 'user = "order__user"\ndescription = "Your payments"\n'
            'erase = "anonymize"\nanonymize = ["user", "note"]\nreason = "Tax law."\n'
            'export = ["amount", "created"]\nfields = { token = ["secret"] }\n',
            (
                ModelMarkings(
                    "pay.Payment",
                    (("token", ("secret",)),),
                    user="order__user",
                    description="Your payments",
                    erase="anonymize",
                    export=("amount", "created"),
                    anonymize=("user", "note"),
                    reason="Tax law.",
                ),
            ),
            PersonalData(),
            True,
        ),
        (
            '[tool.quickscale.models."auth.User"]\nuser = "pk"\ndescription = "You"\n'
            'erase = "keep"\nreason = "Audit."\n',
            (
                ModelMarkings(
                    "auth.User", user="pk", description="You", erase="keep", reason="Audit."
                ),
            ),
            PersonalData(),
            True,
        ),
        ("[tool.quickscale.personal-data]\nholds = false\n", (), PersonalData(holds=False), True),
        (
            "[tool.quickscale.personal-data]\n"
            'before-erase = "x_app.personal_data.before_erase"\nsample = "x_app.data.sample"\n'
            + LIST
            + 'user = "owner"\ndescription = "Your lists"\nerase = "delete"\n',
            (ModelMarkings("todo.List", user="owner", description="Your lists", erase="delete"),),
            PersonalData(None, "x_app.personal_data.before_erase", "x_app.data.sample"),
            True,
        ),
        # markings alone declare nothing about personal data
        (
            LIST + 'fields = { key = ["secret"] }\n',
            (ModelMarkings("todo.List", (("key", ("secret",)),)),),
            PersonalData(),
            False,
        ),
    ],
)
def test_a_manifest_declares_its_personal_data(
    table: str, models: tuple[ModelMarkings, ...], personal: PersonalData, declared: bool
) -> None:
    manifest = _parse(table)
    assert manifest.models == models
    assert manifest.personal_data == personal
    assert manifest.declares_personal_data is declared
    assert manifest.personal_models == tuple(m for m in models if m.user)


USER = 'user = "owner"\ndescription = "Your lists"\n'


@pytest.mark.parametrize(
    ("table", "message", "fix"),
    [
        # the schema: each key alone
        (LIST + USER + 'erase = "shred"\n', "models.todo.List.erase", "fix the manifest"),
        (
            LIST + 'user = "Owner"\ndescription = "d"\nerase = "delete"\n',
            "models.todo.List.user",
            "",
        ),
        (LIST + 'user = "owner.id"\ndescription = "d"\nerase = "delete"\n', "user", ""),
        (LIST + 'user = "owner"\ndescription = ""\nerase = "delete"\n', "description", ""),
        (LIST + USER + 'erase = "delete"\nexport = []\n', "models.todo.List.export", ""),
        (LIST + USER + 'erase = "delete"\nexport = ["Title"]\n', "models.todo.List.export.0", ""),
        (LIST + USER + 'erase = "delete"\nexport = "title"\n', "models.todo.List.export", ""),
        (
            LIST + USER + 'erase = "anonymize"\nanonymize = ["a", "a"]\nreason = "r"\n',
            "models.todo.List.anonymize",
            "",
        ),
        ("[tool.quickscale.personal-data]\nholds = 0\n", "personal-data.holds", ""),
        ("[tool.quickscale.personal-data]\nhold = false\n", "personal-data", ""),
        ('[tool.quickscale.personal-data]\nsample = "sample"\n', "personal-data.sample", ""),
        ('[tool.quickscale.personal-data]\nbefore-erase = "a.b()"\n', "personal-data.before", ""),
        # the rules between keys
        (LIST, "models.todo.List: declares neither fields nor user", "add 'user'"),
        (LIST + 'user = "owner"\nerase = "delete"\n', "'user' needs 'description'", "delete"),
        (LIST + USER, "'user' needs 'erase'", "erase = delete | anonymize | keep"),
        (LIST + 'user = "owner"\n', "needs 'description' and 'erase'", "description"),
        (
            LIST + 'description = "d"\nerase = "delete"\nfields = { k = ["secret"] }\n',
            "'description' says what erasure or export does, but the model has no 'user'",
            "add 'user'",
        ),
        (LIST + 'fields = { k = ["secret"] }\nexport = ["k"]\n', "no 'user'", "add 'user'"),
        (LIST + USER + 'erase = "anonymize"\nreason = "r"\n', "needs 'anonymize'", "anonymize ="),
        (LIST + USER + 'erase = "anonymize"\nanonymize = ["t"]\n', "needs 'reason'", "why"),
        (LIST + USER + 'erase = "keep"\n', "erase = \"keep\" needs 'reason'", "why the rows"),
        (
            LIST + USER + 'erase = "delete"\nanonymize = ["t"]\n',
            "'anonymize' needs erase = \"anonymize\"",
            "remove 'anonymize'",
        ),
        (LIST + USER + 'erase = "delete"\nreason = "r"\n', 'but erase = "delete"', "remove"),
        (
            LIST + USER + 'erase = "delete"\nexport = ["key"]\nfields = { key = ["secret"] }\n',
            "export names 'key', a field marked secret",
            "never exported",
        ),
        (
            "[tool.quickscale.personal-data]\nholds = false\n" + LIST + USER + 'erase = "delete"\n',
            "has 'user', but [tool.quickscale.personal-data] says holds = false",
            "remove 'holds = false'",
        ),
    ],
)
def test_a_declaration_that_does_not_hold_together_is_one_error_with_the_fix(
    table: str, message: str, fix: str
) -> None:
    with pytest.raises(ManifestError) as raised:
        _parse(table)
    assert raised.value.message.startswith("x/pyproject.toml: ")
    assert message in raised.value.message and "\n" not in raised.value.message
    assert fix in raised.value.hint


def test_the_error_names_the_key_that_is_wrong() -> None:
    with pytest.raises(ManifestError, match=re.escape("x/pyproject.toml: models.todo.List.erase")):
        _parse(LIST + USER + 'erase = "shred"\n')


def _entry(name: str, *models: ModelMarkings, personal: PersonalData | None = None) -> Entry:
    return Entry(
        Manifest(
            Component("modules", name),
            "0.1.0",
            "",
            models=models,
            personal_data=personal or PersonalData(),
        )
    )


def test_the_wiring_lists_core_then_every_component_with_all_six_keys() -> None:
    core = [ModelMarkings("p.User", user="pk", description="You", erase="delete")]
    wiring = Wiring(
        entries=(
            _entry("quiet", personal=PersonalData(holds=False)),
            _entry(
                "shop",
                ModelMarkings("lib.Key", (("secret", ("secret",)),)),  # markings alone
                ModelMarkings(
                    "shop.Order",
                    user="buyer",
                    description="Your orders",
                    erase="anonymize",
                    export=("total",),
                    anonymize=("buyer",),
                    reason="Tax law.",
                ),
                personal=PersonalData(None, "shop.hooks.before_erase", "shop.hooks.sample"),
            ),
        ),
        providers={},
    )
    six: dict[str, Any] = {"export": None, "anonymize": [], "reason": ""}
    assert wiring.personal_data(core) == [
        (
            "core",
            {"p.User": {"user": "pk", "description": "You", "erase": "delete", **six}},
            "",
            "",
        ),
        ("modules/quiet", {}, "", ""),
        (
            "modules/shop",
            {
                "shop.Order": {
                    "user": "buyer",
                    "description": "Your orders",
                    "erase": "anonymize",
                    "export": ["total"],
                    "anonymize": ["buyer"],
                    "reason": "Tax law.",
                }
            },
            "shop.hooks.before_erase",
            "shop.hooks.sample",
        ),
    ]
    # a model declared for its personal data alone has no field markings to list
    assert [model for model, _ in wiring.field_markings(core)] == ["lib.Key"]


def _assigned(text: str, name: str) -> Any:
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {name} in the file")


def test_a_project_s_settings_hold_core_s_declarations_then_its_components_in_order() -> None:
    data = {
        "schema_version": 2,
        "project": {"name": "acme", "version": "0.1.0"},
        "theme": "todo",
        "modules": {"auth": {}, "analytics": {}},
    }
    spec = spec_from_config(data)
    files = render_project(spec)
    text = files["acme/component_settings.py"].content.decode()
    declared = _assigned(text, "QUICKSCALE_PERSONAL_DATA")
    assert list(declared) == ["core", *(c.id for c in spec.components)]
    assert declared["core"] == {
        "models": {
            "acme.User": {
                "user": "pk",
                "description": "Your account",
                "erase": "delete",
                "export": None,
                "anonymize": [],
                "reason": "",
            },
            "admin.LogEntry": {
                "user": "user",
                "description": "Changes you made in the admin",
                "erase": "delete",
                "export": None,
                "anonymize": [],
                "reason": "",
            },
        },
        "before_erase": "",
        "sample": "",
    }
    for component in declared.values():  # whatever the components declare, one shape
        assert list(component) == ["models", "before_erase", "sample"]
        for model in component["models"].values():
            assert list(model) == ["user", "description", "erase", "export", "anonymize", "reason"]
    settings = files["acme/settings.py"].content.decode()
    assert (
        "QUICKSCALE_PERSONAL_DATA = component_settings.QUICKSCALE_PERSONAL_DATA" in settings
    )  # Django reads settings.py's names only


LONG = "Payment records are kept for bookkeeping (tax law requires it for years), without who paid."


@pytest.mark.parametrize(
    ("key", "value", "indent", "parts"),
    [
        ("erase", "delete", 16, None),
        ("export", None, 16, None),
        ("anonymize", [], 16, None),
        (
            "reason",
            LONG,
            16,
            [
                (
                    "Payment records are kept for bookkeeping (tax law requires it for years), ",
                    False,
                ),
                ("without who paid.", False),
            ],
        ),
        ("reason", "x" * 90, 16, [("x" * 90, True)]),  # one word: no layout fits it
        (
            "export",
            ["a" * 30, "b" * 30, "c" * 30],
            16,
            [("a" * 30, False), ("b" * 30, False), ("c" * 30, False)],
        ),
        ("sample", "quickscale_modules.shop.personal_data.sample", 8, None),
    ],
)
def test_a_value_too_long_for_its_line_is_laid_out_as_ruff_does(
    key: str, value: Any, indent: int, parts: list[tuple[str, bool]] | None
) -> None:
    assert entry_layout(key, value, indent) == parts
    if parts and isinstance(value, str):
        assert "".join(part for part, _ in parts) == value
