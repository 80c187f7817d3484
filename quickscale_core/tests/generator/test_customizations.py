"""v2 customizations: field mapping, generated code style, and config errors."""

from __future__ import annotations

import ast
import html
import subprocess
import sys
from pathlib import Path

import pytest
from gen_support import DEFAULTS
from quickscale_toolchain.errors import ConfigError
from quickscale_toolchain.generator import customizations
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.customizations import FIELD_TYPES
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.scaffold import write_files


def models_spec(models: list) -> object:
    data = {"schema_version": 2, "project": {"name": "acme"}, "customizations": {"models": models}}
    return spec_from_config(data)


def declaration(field: dict) -> str:
    """The field's declaration on one line (the generated file may wrap it)."""
    (model,) = models_spec([{"name": "Thing", "fields": [field]}]).models
    spec = model.fields[0]
    head = customizations.declaration(model, spec).split("(", 1)[0]
    return f"{head}({', '.join(customizations.arguments(model, spec))})"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ({"type": "string"}, "models.CharField(max_length=255)"),
        ({"type": "string", "max_length": 40}, "models.CharField(max_length=40)"),
        ({"type": "string", "required": False}, "models.CharField(max_length=255, blank=True)"),
        ({"type": "text"}, "models.TextField()"),
        ({"type": "integer", "required": False}, "models.IntegerField(blank=True, null=True)"),
        ({"type": "integer", "default": 3}, "models.IntegerField(default=3)"),
        ({"type": "decimal"}, "models.DecimalField(max_digits=10, decimal_places=2)"),
        (
            {"type": "decimal", "default": "9.99"},
            'models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("9.99"))',
        ),
        ({"type": "boolean"}, "models.BooleanField(default=False)"),
        ({"type": "boolean", "default": True}, "models.BooleanField(default=True)"),
        ({"type": "date", "required": False}, "models.DateField(blank=True, null=True)"),
        ({"type": "datetime"}, "models.DateTimeField()"),
        # dates, times and UUIDs are text in the config and values in the model: a text
        # default reached the admin's datetime widget, which called .utcoffset() on it
        (
            {"type": "date", "default": "2024-01-31"},
            "models.DateField(default=datetime.date(2024, 1, 31))",
        ),
        (
            {"type": "datetime", "default": "2024-01-02T03:04:05Z"},
            "models.DateTimeField("
            "default=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))",
        ),
        (  # no offset: UTC, as the migration needs one fixed instant
            {"type": "datetime", "default": "2024-01-02 03:04"},
            "models.DateTimeField("
            "default=datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC))",
        ),
        (  # an offset: the same instant, in UTC
            {"type": "datetime", "default": "2024-01-02T03:04:05.5+02:00", "required": False},
            "models.DateTimeField(default=datetime.datetime(2024, 1, 2, 1, 4, 5, 500000, "
            "tzinfo=datetime.UTC), blank=True, null=True)",
        ),
        ({"type": "time", "default": "12:30"}, "models.TimeField(default=datetime.time(12, 30))"),
        (
            {"type": "uuid", "default": "12345678123456781234567812345678"},
            'models.UUIDField(default=uuid.UUID("12345678-1234-5678-1234-567812345678"))',
        ),
        # a JSON default is a callable: Django's check fields.E010 warns of a shared value
        ({"type": "json", "default": {}}, "models.JSONField(default=dict)"),
        ({"type": "json", "default": []}, "models.JSONField(default=list)"),
        (
            {"type": "json", "default": {"tags": ["a"]}},
            'models.JSONField(default=functools.partial(copy.deepcopy, {"tags": ["a"]}))',
        ),
        (
            {"type": "json", "default": 3},
            "models.JSONField(default=functools.partial(copy.deepcopy, 3))",
        ),
        ({"type": "email"}, "models.EmailField(max_length=254)"),
        ({"type": "url"}, "models.URLField(max_length=200)"),
        ({"type": "string", "unique": True}, "models.CharField(max_length=255, unique=True)"),
        (
            {"type": "string", "choices": ["a", "b"]},
            'models.CharField(max_length=255, choices=[("a", "a"), ("b", "b")])',
        ),
        (
            {"type": "foreign_key", "to": "User", "required": False, "on_delete": "set_null"},
            "models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, "
            'related_name="thing_f_set", blank=True, null=True)',
        ),
    ],
)
def test_field_types_map_to_django_fields(field, expected):
    assert declaration({"name": "f", **field}) == f"f = {expected}"


@pytest.mark.parametrize(
    ("written", "argument"),
    [
        # Alpine.js runs in the admin: a tag of config text must never reach the page.
        (
            """<div x-data x-init="document.title='pwned'">""",
            'help_text="&lt;div x-data x-init=\\"document.title=\'pwned\'\\"&gt;"',
        ),
        ("<script>alert(1)</script>", 'help_text="&lt;script&gt;alert(1)&lt;/script&gt;"'),
        ("Terms & conditions", 'help_text="Terms &amp; conditions"'),
        ("&lt; is already an entity", 'help_text="&amp;lt; is already an entity"'),
        ('Price in "USD", it\'s €5', """help_text='Price in "USD", it\\'s €5'"""),
        ("Plain words", 'help_text="Plain words"'),
    ],
)
def test_help_text_is_written_as_the_escaped_html_django_renders_it_as(written, argument):
    """Django renders help_text unescaped; the page then shows exactly what was written."""
    line = declaration({"name": "f", "type": "string", "help_text": written})
    assert line == f"f = models.CharField(max_length=255, {argument})"
    value = ast.literal_eval(argument.split("=", 1)[1])
    assert html.unescape(value) == written and "<" not in value


@pytest.mark.parametrize(
    ("models", "message"),
    [
        ([{"name": "product", "fields": [{"name": "a", "type": "string"}]}], "CapWords"),
        ([{"name": "User", "fields": [{"name": "a", "type": "string"}]}], "is reserved"),
        ([{"name": "A", "fields": []}], "at least 1"),
        ([{"name": "A", "fields": [{"name": "a", "type": "money"}]}], "not a valid field type"),
        (
            [{"name": "A", "fields": [{"name": "id", "type": "integer"}]}],
            "every Django model already has it",
        ),
        (
            [{"name": "A", "fields": [{"name": "b", "type": "foreign_key", "to": "B"}]}],
            "not defined",
        ),
        (
            [{"name": "A", "fields": [{"name": "a", "type": "string"}]}] * 2,
            "defined twice",
        ),
        (
            [
                {
                    "name": "A",
                    "fields": [{"name": "a", "type": "string"}, {"name": "a", "type": "text"}],
                }
            ],
            "field 'a' is defined twice",
        ),
        (
            [
                {
                    "name": "A",
                    "fields": [
                        {"name": "d", "type": "decimal", "max_digits": 2, "decimal_places": 3}
                    ],
                }
            ],
            "larger than max_digits",
        ),
    ],
)
def test_bad_models_are_config_errors_naming_the_fix(models, message):
    with pytest.raises(ConfigError) as raised:
        models_spec(models)
    assert message in raised.value.one_line()
    assert raised.value.hint


def test_schema_v1_ignores_customizations_so_nothing_is_generated_for_them():
    models = [{"name": "Product", "fields": [{"name": "name", "type": "string"}]}]
    data = {"schema_version": 1, "project": {"name": "acme"}, "customizations": {"models": models}}
    assert spec_from_config(data).models == ()
    assert len(spec_from_config({**data, "schema_version": 2}).models) == 1


def all_types_config() -> dict:
    every = [{"name": f"{t}_f", "type": t} for t in FIELD_TYPES if t != "foreign_key"]
    optional = [{"name": f"{t}_o", "type": t, "required": False} for t in FIELD_TYPES[:-1]]
    # a default of each type: the model imports what its value needs (datetime, uuid…)
    defaults = [{"name": f"{t}_d", "type": t, "default": v} for t, v in DEFAULTS.items()]
    long_help = "A help text long enough that the generated line must be wrapped somewhere " * 2
    return {
        "schema_version": 2,
        "project": {"name": "shop"},
        "customizations": {
            "models": [
                {"name": "Everything", "fields": every + optional + defaults},
                {
                    "name": "Order",
                    "description": "An order. " * 20,
                    "fields": [
                        {"name": "item", "type": "foreign_key", "to": "Everything"},
                        {
                            "name": "buyer",
                            "type": "foreign_key",
                            "to": "User",
                            "help_text": long_help,
                        },
                        {"name": "state", "type": "string", "choices": ["new", "paid", 'say "hi"']},
                    ],
                },
                *[
                    {
                        "name": f"AVeryLongModelNameForWrapping{i}",
                        "fields": [{"name": "x", "type": "string"}],
                    }
                    for i in range(10)
                ],
            ],
            "business_rules": ["Orders over $1000 need manager approval " * 4, "No refunds"],
        },
    }


def test_generated_code_passes_the_project_s_own_ruff_check_and_format(tmp_path: Path):
    write_files(tmp_path, render_project(spec_from_config(all_types_config())))
    ruff = [sys.executable, "-m", "ruff"]
    check = subprocess.run([*ruff, "check", "."], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [*ruff, "format", "--check", "--diff", "."], cwd=tmp_path, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_business_rules_become_documented_stubs_in_services(tmp_path: Path):
    data = all_types_config()
    services = render_project(spec_from_config(data))["shop/services.py"].content.decode()
    assert "def check_orders_over_1000_need_manager_approval(obj: Any) -> None:" in services
    assert "def check_no_refunds(obj: Any) -> None:" in services
    assert services.count("raise NotImplementedError") == 2
    compile(services, "services.py", "exec")


def test_rendering_is_deterministic_for_the_same_config():
    one = render_project(spec_from_config(all_types_config()))
    two = render_project(spec_from_config(all_types_config()))
    assert {p: f.content for p, f in one.items()} == {p: f.content for p, f in two.items()}
