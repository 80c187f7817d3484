"""Table of invalid configs: each asserts the exact line, column, key path and exit code.

One case per rule (parser safety, schema, semantic), plus combinations. Cases run
in-process through click's CliRunner with ``--format json`` (cheap); the exit codes of the
real console script are covered in test_validate_cli.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from quickscale_cli.main import cli

E, W = "error", "warning"

HEAD = "schema_version: 2\nproject:\n  name: acme\n"  # lines 1-3 of most cases
MODELS = HEAD + "customizations:\n  models:\n"  # lines 4-5
FIELDS = MODELS + "    - name: Product\n      fields:\n"  # lines 6-7: fields from line 8


@dataclass(frozen=True)
class Case:
    id: str
    text: str | bytes
    expected: list[tuple[int, int, str, str]]  # (line, column, severity, key path)
    says: str = ""  # a phrase the first diagnostic must contain (message or hint)
    exit_code: int = 1
    setup: list[str] = field(default_factory=list)  # extra project layout, see make_project


CASES = [
    # --- schema_version ---------------------------------------------------------------
    Case(
        "version-missing",
        "project:\n  name: acme\n",
        [(1, 1, E, "schema_version")],
        "required key 'schema_version' is missing",
    ),
    Case(
        "version-unknown",
        "schema_version: 3\nproject:\n  name: acme\n",
        [(1, 17, E, "schema_version")],
        "supported versions: 1, 2",
    ),
    Case(
        "version-quoted",
        'schema_version: "2"\nproject:\n  name: acme\n',
        [(1, 17, E, "schema_version")],
        "without quotes: 'schema_version: 2'",
    ),
    Case(
        "version-float",
        "schema_version: 2.0\nproject:\n  name: acme\n",
        [(1, 17, E, "schema_version")],
        "unknown schema_version 2.0",
    ),
    Case(
        "version-bool",
        "schema_version: true\nproject:\n  name: acme\n",
        [(1, 17, E, "schema_version")],
        "unknown schema_version true",
    ),
    # --- project ----------------------------------------------------------------------
    Case(
        "project-missing",
        "schema_version: 2\ntheme: starter\n",
        [(1, 1, E, "project")],
        "add 'project:' with 'name: acme'",
    ),
    Case(
        "project-name-missing",
        "schema_version: 2\nproject:\n  version: 1.0.0\n",
        [(2, 1, E, "project.name")],
        "required key 'name' is missing",
    ),
    Case(
        "project-name-pattern",
        "schema_version: 2\nproject:\n  name: Acme-Shop\n",
        [(3, 9, E, "project.name")],
        "try 'acme_shop'",
    ),
    Case(
        "project-name-keyword",
        "schema_version: 2\nproject:\n  name: class\n",
        [(3, 9, E, "project.name")],
        "is a Python keyword",
    ),
    Case(
        "project-name-shadows",
        "schema_version: 2\nproject:\n  name: django\n",
        [(3, 9, E, "project.name")],
        "would shadow the 'django' module",
    ),
    Case(
        "project-not-mapping",
        "schema_version: 2\nproject: acme\n",
        [(2, 10, E, "project")],
        "expected a mapping, got the text 'acme'",
    ),
    Case(
        "project-empty",
        "schema_version: 2\nproject:\n",
        [(2, 9, E, "project")],
        "indent its keys under it",
    ),
    Case(
        "version-is-a-number",
        HEAD + "  version: 1.0\n",
        [(4, 12, E, "project.version")],
        'put it in quotes: "1.0"',
    ),
    Case(
        "version-pattern",
        HEAD + '  version: "1.0"\n',
        [(4, 12, E, "project.version")],
        "MAJOR.MINOR.PATCH",
    ),
    Case(
        "project-key-misspelt",
        HEAD + "  verison: 1.0.0\n",
        [(4, 3, E, "project.verison")],
        "did you mean 'version'?",
    ),
    # --- top level --------------------------------------------------------------------
    Case(
        "top-key-misspelt",
        HEAD + "themes: starter\n",
        [(4, 1, E, "themes")],
        "did you mean 'theme'?",
    ),
    Case(
        "top-key-unknown",
        HEAD + "colour: red\n",
        [(4, 1, E, "colour")],
        "allowed here: 'backend_extensions'",
    ),
    Case(
        "theme-misspelt", HEAD + "theme: startr\n", [(4, 8, E, "theme")], "did you mean 'starter'?"
    ),
    Case(
        "deprecated-features",
        HEAD + "features: [auth]\n",
        [(4, 1, E, "features")],
        "deprecated and not allowed in any schema version",
    ),
    Case(
        "deprecated-components",
        HEAD + "components:\n  - navbar\n",
        [(4, 1, E, "components")],
        "deprecated",
    ),
    Case(
        "deprecated-technologies",
        HEAD + "technologies: {db: postgres}\n",
        [(4, 1, E, "technologies")],
        "deprecated",
    ),
    Case(
        "deprecated-primary",
        HEAD + "primary: starter\n",
        [(4, 1, E, "primary")],
        "the theme is set with 'theme:'",
    ),
    Case(
        "deprecated-in-v1",
        "schema_version: 1\nproject:\n  name: acme\nfeatures: []\n",
        [(4, 1, E, "features")],
        "deprecated",
    ),
    # --- frontend ---------------------------------------------------------------------
    Case(
        "frontend-extra-key",
        HEAD + "frontend:\n  source: ./custom_frontend/\n  css: x\n",
        [(6, 3, E, "frontend.css")],
        "frontend accepts only 'source' and 'variant'",
    ),
    Case(
        "frontend-key-misspelt",
        HEAD + "frontend:\n  sourse: ./custom_frontend/\n",
        [(5, 3, E, "frontend.sourse")],
        "did you mean 'source'?",
    ),
    Case(
        "frontend-not-mapping",
        HEAD + "frontend: ./custom_frontend/\n",
        [(4, 11, E, "frontend")],
        "expected a mapping",
    ),
    Case(
        "frontend-absolute",
        HEAD + "frontend:\n  source: /srv/frontend\n",
        [(5, 11, E, "frontend.source")],
        "is an absolute path",
    ),
    Case(
        "frontend-dotdot",
        HEAD + "frontend:\n  source: ./custom_frontend/../../x\n",
        [(5, 11, E, "frontend.source")],
        "uses '..' to leave the project",
    ),
    Case(
        "frontend-symlink-out",
        HEAD + "frontend:\n  source: linked_frontend\n",
        [(5, 11, E, "frontend.source")],
        "is a symlink to",
        setup=["symlink"],
    ),
    Case(
        "frontend-missing-dir",
        HEAD + "frontend:\n  source: ./front/\n",
        [(5, 11, E, "frontend.source")],
        "'./front/' does not exist",
    ),
    Case(
        "frontend-is-a-file",
        HEAD + "frontend:\n  source: acme/backend_extensions.py\n",
        [(5, 11, E, "frontend.source")],
        "is a file, not a directory",
    ),
    Case(
        "frontend-empty-source",
        HEAD + "frontend:\n  source: ''\n",
        [(5, 11, E, "frontend.source")],
        "must not be empty",
    ),
    Case(
        "variant-missing-dir",
        HEAD + "frontend:\n  source: ./custom_frontend/\n  variant: client_b\n",
        [(6, 12, E, "frontend.variant")],
        "choose one of: client_a, default",
    ),
    Case(
        "variant-pattern",
        HEAD + "frontend:\n  source: ./custom_frontend/\n  variant: ../a\n",
        [(6, 12, E, "frontend.variant")],
        "must be a directory name",
    ),
    # --- backend_extensions -----------------------------------------------------------
    Case(
        "backend-missing-module",
        HEAD + "backend_extensions: acme.extensions\n",
        [(4, 21, E, "backend_extensions")],
        "neither acme/extensions.py nor acme/extensions/__init__.py exists",
    ),
    Case(
        "backend-not-dotted",
        HEAD + "backend_extensions: acme/backend_extensions.py\n",
        [(4, 21, E, "backend_extensions")],
        "dotted Python module path",
    ),
    Case(
        "backend-keyword",
        HEAD + "backend_extensions: acme.import\n",
        [(4, 21, E, "backend_extensions")],
        "'import' is a Python keyword",
    ),
    Case(
        "backend-not-string",
        HEAD + "backend_extensions: [acme]\n",
        [(4, 21, E, "backend_extensions")],
        "expected text, got a list",
    ),
    # --- v1 warnings (still valid: exit 0) --------------------------------------------
    Case(
        "v1-modules-warning",
        "schema_version: 1\nproject:\n  name: acme\nmodules:\n  auth:\n",
        [(4, 1, W, "modules")],
        "run 'quickscale config upgrade'",
        exit_code=0,
    ),
    Case(
        "v1-customizations-warning",
        "schema_version: 1\nproject:\n  name: acme\ncustomizations: {models: []}\n",
        [(4, 1, W, "customizations")],
        "ignored",
        exit_code=0,
    ),
    # --- modules ----------------------------------------------------------------------
    Case(
        "module-misspelt",
        HEAD + "modules:\n  notifcations: {provider: sendgrid}\n",
        [(5, 3, E, "modules.notifcations")],
        "did you mean 'notifications'?",
    ),
    Case(
        "provider-misspelt",
        HEAD + "modules:\n  notifications:\n    provider: smpt\n",
        [(6, 15, E, "modules.notifications.provider")],
        "did you mean 'smtp'?",
    ),
    Case(
        "provider-wrong-module",
        HEAD + "modules:\n  auth: {provider: sendgrid}\n",
        [(5, 20, E, "modules.auth.provider")],
        "allowed: 'allauth'",
    ),
    Case(
        "notifications-esp",
        HEAD + "modules:\n  notifications: {provider: sendgird}\n",
        [(5, 29, E, "modules.notifications.provider")],
        "did you mean 'sendgrid'?",
    ),
    Case(
        "module-unknown-option",
        HEAD + "modules:\n  auth: {provider: allauth, currency: eur}\n",
        [(5, 29, E, "modules.auth.currency")],
        "allowed here: 'mfa', 'mfa_required', 'provider', 'session_activity', 'sessions',",
    ),
    Case(
        "module-no-manifest-declares-it",
        HEAD + "modules:\n  not_a_module: {}\n",
        [(5, 3, E, "modules.not_a_module")],
        "'billing', 'notifications', 'payments'",
    ),
    Case(
        "modules-a-list",
        HEAD + "modules: [auth]\n",
        [(4, 10, E, "modules")],
        "expected a mapping, got a list",
    ),
    # --- customizations ---------------------------------------------------------------
    Case(
        "model-name-pattern",
        MODELS + "    - name: order_item\n      fields: [{name: a, type: text}]\n",
        [(6, 13, E, "customizations.models[0].name")],
        "try 'OrderItem'",
    ),
    Case(
        "model-name-reserved",
        MODELS + "    - name: User\n      fields: [{name: a, type: text}]\n",
        [(6, 13, E, "customizations.models[0].name")],
        "is reserved",
    ),
    Case(
        "model-duplicate",
        MODELS + "    - {name: Product, fields: [{name: a, type: text}]}\n"
        "    - {name: product, fields: [{name: a, type: text}]}\n"
        "    - {name: PRODUCT, fields: [{name: a, type: text}]}\n",
        [(7, 14, E, "customizations.models[1].name"), (8, 14, E, "customizations.models[2].name")],
        "Python class name in CapWords",
    ),
    Case(
        "model-duplicate-case-insensitive",
        MODELS + "    - {name: Product, fields: [{name: a, type: text}]}\n"
        "    - {name: ProDuct, fields: [{name: a, type: text}]}\n",
        [(7, 14, E, "customizations.models[1].name")],
        "defined twice (first at line 6)",
    ),
    Case(
        "model-fields-missing",
        MODELS + "    - name: Product\n",
        [(6, 7, E, "customizations.models[0].fields")],
        "add 'fields:'",
    ),
    Case(
        "model-fields-empty",
        MODELS + "    - name: Product\n      fields: []\n",
        [(7, 15, E, "customizations.models[0].fields")],
        "needs at least 1 item",
    ),
    Case(
        "model-unknown-key",
        MODELS + "    - name: Product\n      feilds: []\n",
        [(7, 7, E, "customizations.models[0].feilds")],
        "did you mean 'fields'?",  # and no second error about the missing 'fields'
    ),
    Case(
        "model-unknown-and-missing-key",
        MODELS + "    - name: Product\n      columns: []\n",
        [
            (6, 7, E, "customizations.models[0].fields"),
            (7, 7, E, "customizations.models[0].columns"),
        ],
        "required key 'fields' is missing",
    ),
    Case(
        "field-name-pattern",
        FIELDS + "        - {name: UnitPrice, type: decimal}\n",
        [(8, 18, E, "customizations.models[0].fields[0].name")],
        "try 'unit_price'",
    ),
    Case(
        "field-name-keyword",
        FIELDS + "        - {name: class, type: text}\n",
        [(8, 18, E, "customizations.models[0].fields[0].name")],
        "is a Python keyword",
    ),
    Case(
        "field-name-reserved",
        FIELDS + "        - {name: id, type: integer}\n",
        [(8, 18, E, "customizations.models[0].fields[0].name")],
        "every Django model already has it",
    ),
    Case(
        "field-name-double-underscore",
        FIELDS + "        - {name: unit__price, type: text}\n",
        [(8, 18, E, "customizations.models[0].fields[0].name")],
        "try 'unit_price'",
    ),
    Case(
        "field-duplicate",
        FIELDS + "        - {name: title, type: string}\n        - {name: title, type: text}\n",
        [(9, 18, E, "customizations.models[0].fields[1].name")],
        "(first at line 8)",
    ),
    Case(
        "field-type-misspelt",
        FIELDS + "        - {name: title, type: strng}\n",
        [(8, 31, E, "customizations.models[0].fields[0].type")],
        "did you mean 'string'?",
    ),
    Case(
        "field-type-missing",
        FIELDS + "        - name: title\n",
        [(8, 11, E, "customizations.models[0].fields[0].type")],
        "add 'type: string'",
    ),
    Case(
        "field-max-length-on-text",
        FIELDS + "        - {name: body, type: text, max_length: 10}\n",
        [(8, 36, E, "customizations.models[0].fields[0].max_length")],
        "does not apply to a text field",
    ),
    Case(
        "field-max-length-zero",
        FIELDS + "        - {name: sku, type: string, max_length: 0}\n",
        [(8, 49, E, "customizations.models[0].fields[0].max_length")],
        "must be at least 1",
    ),
    Case(
        "field-required-not-bool",
        FIELDS + '        - {name: sku, type: string, required: "yes"}\n',
        [(8, 47, E, "customizations.models[0].fields[0].required")],
        "write true or false",
    ),
    Case(
        "decimal-places-too-many",
        FIELDS + "        - {name: price, type: decimal, max_digits: 4, decimal_places: 6}\n",
        [(8, 71, E, "customizations.models[0].fields[0].decimal_places")],
        "larger than max_digits",
    ),
    Case(
        "foreign-key-without-to",
        FIELDS + "        - {name: owner, type: foreign_key}\n",
        [(8, 11, E, "customizations.models[0].fields[0].to")],
        "needs 'to'",
    ),
    Case(
        "foreign-key-unknown-model",
        FIELDS + "        - {name: parent, type: foreign_key, to: Prodct}\n",
        [(8, 49, E, "customizations.models[0].fields[0].to")],
        "did you mean 'Product'?",
    ),
    Case(
        "to-on-a-string",
        FIELDS + "        - {name: title, type: string, to: Product}\n",
        [(8, 39, E, "customizations.models[0].fields[0].to")],
        "only foreign_key",
    ),
    Case(
        "set-null-needs-optional",
        FIELDS + "        - {name: owner, type: foreign_key, to: User, on_delete: set_null}\n",
        [(8, 65, E, "customizations.models[0].fields[0].on_delete")],
        "add 'required: false'",
    ),
    Case(
        "default-wrong-type",
        FIELDS + "        - {name: stock, type: integer, default: many}\n",
        [(8, 49, E, "customizations.models[0].fields[0].default")],
        "give a whole number",
    ),
    Case(
        "default-bad-date",
        FIELDS + "        - {name: day, type: date, default: 2024-13-01}\n",
        [(8, 44, E, "customizations.models[0].fields[0].default")],
        "YYYY-MM-DD",
    ),
    Case(  # Django stores a time without a zone: an offset would be dropped unsaid
        "default-time-with-offset",
        FIELDS + '        - {name: opens, type: time, default: "12:30+02:00"}\n',
        [(8, 46, E, "customizations.models[0].fields[0].default")],
        "HH:MM:SS, without an offset",
    ),
    Case(
        "default-not-a-choice",
        FIELDS + "        - {name: state, type: string, choices: [draft, live], default: gone}\n",
        [(8, 72, E, "customizations.models[0].fields[0].default")],
        "not one of the choices",
    ),
    # --- values a database cannot store (defaults and choices are stored) ---------------
    Case(
        "default-with-nul",
        FIELDS + '        - {name: code, type: string, default: "a\\0b"}\n',
        [(8, 47, E, "customizations.models[0].fields[0].default")],
        "NUL character (U+0000",
    ),
    Case(
        "choice-with-nul",
        FIELDS + '        - {name: state, type: string, choices: [draft, "li\\x00ve"]}\n',
        [(8, 56, E, "customizations.models[0].fields[0].choices[1]")],
        "remove the NUL character",
    ),
    Case(
        "json-default-with-nul-inside",
        FIELDS + '        - {name: data, type: json, default: {note: [ok, "a\\0"]}}\n',
        [(8, 57, E, "customizations.models[0].fields[0].default.note[1]")],
        "PostgreSQL refuses it",
    ),
    Case(
        "default-not-finite",
        FIELDS + "        - {name: ratio, type: float, default: .nan}\n",
        [(8, 47, E, "customizations.models[0].fields[0].default")],
        "default .nan is not a finite number",
    ),
    Case(
        "json-default-infinite-inside",
        FIELDS + "        - {name: data, type: json, default: [1, -.inf]}\n",
        [(8, 49, E, "customizations.models[0].fields[0].default[1]")],
        "give a finite number",
    ),
    Case(
        "decimal-default-nan-text",
        FIELDS + '        - {name: price, type: decimal, default: "NaN"}\n',
        [(8, 49, E, "customizations.models[0].fields[0].default")],
        "not a finite number",
    ),
    Case(
        "integer-default-out-of-range",
        FIELDS + "        - {name: stock, type: integer, default: 3000000000}\n",
        [(8, 49, E, "customizations.models[0].fields[0].default")],
        "or use type: big_integer",
    ),
    Case(
        "choice-longer-than-max-length",
        FIELDS + "        - {name: state, type: string, max_length: 4, choices: [draft, live]}\n",
        [(8, 64, E, "customizations.models[0].fields[0].choices[0]")],
        "more than max_length 4",
    ),
    Case(
        "free-text-is-only-data",  # not stored in a database: any text is fine
        MODELS
        + "    - name: Product\n"
        + '      description: "x\\"\\"\\"; import os; \\"\\"\\" \\0 \\\\"\n'
        + '      fields: [{name: a, type: string, help_text: "Price in \\"USD\\" \\\\"}]\n'
        + '  business_rules: ["\\"\\"\\"\\nimport os\\n\\"\\"\\"", "{{ x }} {% y %} # z"]\n',
        [],
        exit_code=0,
    ),
    Case(
        "project-name-too-long",
        "schema_version: 2\nproject:\n  name: " + "a" * 101 + "\n",
        [(3, 9, E, "project.name")],
        "may have at most 100 (it is the Django app label",
    ),
    Case(
        "project-name-with-trailing-newline",
        'schema_version: 2\nproject:\n  name: "acme\\n"\n',
        [(3, 9, E, "project.name")],
        "'acme\\n' ends with a line break",
    ),
    Case(
        "business-rules-not-list",
        HEAD + "customizations:\n  business_rules: Be nice\n",
        [(5, 19, E, "customizations.business_rules")],
        "expected a list",
    ),
    Case(
        "business-rule-empty",
        HEAD + "customizations:\n  business_rules:\n    - ''\n",
        [(6, 7, E, "customizations.business_rules[0]")],
        "must not be empty",
    ),
    # --- parser safety ----------------------------------------------------------------
    Case(
        "duplicate-key",
        HEAD + "theme: starter\ntheme: todo\n",
        [(5, 1, E, "theme")],
        "duplicate key 'theme' (first defined at line 4, column 1)",
    ),
    Case(
        "duplicate-nested-key",
        HEAD + "  name: other\n",
        [(4, 3, E, "project.name")],
        "duplicate key 'name'",
    ),
    Case(
        "python-tag",
        HEAD + "theme: !!python/object/apply:os.system ['true']\n",
        [(4, 8, E, "theme")],
        "would build a Python object",
    ),
    Case("custom-tag", HEAD + "theme: !ENV THEME\n", [(4, 8, E, "theme")], "'!ENV' is not allowed"),
    Case(
        "syntax-error",
        HEAD + "theme: starter\n  bad: indent\n",
        [(5, 6, E, "<document>")],
        "invalid YAML",
    ),
    Case(
        "tab-indent",
        "schema_version: 2\nproject:\n\tname: acme\n",
        [(3, 1, E, "<document>")],
        "indent with spaces, not tabs",
    ),
    Case("empty-file", "", [(1, 1, E, "<document>")], "the file is empty"),
    Case("top-level-list", "- schema_version: 2\n", [(1, 1, E, "<document>")], "it is a list"),
    Case(
        "two-documents",
        HEAD + "---\n" + HEAD,
        [(4, 1, E, "<document>")],
        "more than one YAML document",
    ),
    Case(
        "latin-1",
        b"schema_version: 2\nproject:\n  name: caf\xe9\n",
        [(3, 12, E, "<document>")],
        "not valid UTF-8",
    ),
    Case("binary", b"\x7fELF\x02\x01\x01\x00\x00", [(1, 8, E, "<document>")], "binary"),
    Case(
        "alias-bomb",
        "schema_version: 2\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]\n"
            for p, c in zip("abcdefg", "bcdefgh", strict=True)
        ),
        [(6, 1, E, "e")],
        "billion laughs",
    ),
    # --- combinations: every problem of a file in one run -----------------------------
    Case(
        "combination-schema-and-semantic",
        "schema_version: 2\nproject:\n  name: Acme\n  version: 1\ntheme: startr\n"
        "features: [x]\nfrontend:\n  source: ../elsewhere\n  colour: red\n",
        [
            (3, 9, E, "project.name"),
            (4, 12, E, "project.version"),
            (5, 8, E, "theme"),
            (6, 1, E, "features"),
            (8, 11, E, "frontend.source"),
            (9, 3, E, "frontend.colour"),
        ],
    ),
    Case(
        "combination-tag-does-not-double-report",
        HEAD + "theme: !!python/name:os.system\nbackend_extensions: nope.mod\n",
        [(4, 8, E, "theme"), (5, 21, E, "backend_extensions")],
    ),
    Case(
        "combination-version-and-rest",
        "schema_version: 9\nproject:\n  name: acme\nmodules: {auth: {provider: paypal}}\n",
        [(1, 17, E, "schema_version"), (4, 28, E, "modules.auth.provider")],
    ),
    Case(
        "combination-v1-warning-and-error",
        "schema_version: 1\nproject:\n  name: acme\nmodules: {}\nprimary: x\n",
        [(4, 1, W, "modules"), (5, 1, E, "primary")],
    ),
]


def make_project(root: Path, setup: list[str]) -> Path:
    (root / "acme").mkdir(parents=True)
    (root / "acme" / "backend_extensions.py").write_text("")
    for variant in ("default", "client_a"):
        (root / "custom_frontend" / "variants" / variant).mkdir(parents=True)
    if "symlink" in setup:
        outside = root.parent / "outside_frontend"
        outside.mkdir()
        (root / "linked_frontend").symlink_to(outside)
    return root


def run_validate(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[dict]]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def test_the_table_has_at_least_40_invalid_configs():
    assert len({c.id for c in CASES}) == len(CASES)
    assert sum(c.exit_code == 1 for c in CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_invalid_config(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = make_project(tmp_path / "project", case.setup)
    content = case.text if isinstance(case.text, bytes) else case.text.encode()
    (project / "quickscale.yml").write_bytes(content)
    exit_code, diagnostics = run_validate(project, monkeypatch)
    found = [(d["line"], d["column"], d["severity"], d["path"]) for d in diagnostics]
    assert found == case.expected, json.dumps(diagnostics, indent=1, ensure_ascii=False)
    assert exit_code == case.exit_code
    assert all(d["file"] == "quickscale.yml" and d["message"] for d in diagnostics)
    if case.says:
        first = diagnostics[0]
        assert case.says in f"{first['message']} — {first['hint']}", first
