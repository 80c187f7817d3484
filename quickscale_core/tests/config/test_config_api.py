"""The library API issue 4 (generate) builds on: load_config, validate_file, validate_text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from config_samples import VALID_V1, VALID_V2, make_project
from jsonschema import Draft202012Validator
from quickscale_toolchain.config import (
    SCHEMA_VERSIONS,
    InvalidConfigError,
    ProjectConfig,
    Severity,
    load_config,
    schema_path,
    validate_file,
    validate_text,
)
from quickscale_toolchain.errors import ConfigError, ExitCode, UsageError


def write(project: Path, text: str) -> Path:
    path = project / "quickscale.yml"
    path.write_text(text)
    return path


def test_valid_v1_loads_with_every_value_typed(project: Path):
    config = load_config(write(project, VALID_V1))
    assert isinstance(config, ProjectConfig)
    assert config.schema_version == 1
    assert (config.project.name, config.project.version) == ("acme", "0.1.0")
    assert config.theme == "starter"
    assert config.backend_extensions == "acme.backend_extensions"
    assert (config.frontend.source, config.frontend.variant) == ("./custom_frontend/", "default")
    assert dict(config.modules) == {} and config.customizations.models == ()
    assert config.warnings == ()


def test_valid_v2_loads_modules_models_fields_and_rules(project: Path):
    config = load_config(write(project, VALID_V2))
    assert config.schema_version == 2
    # A module without a provider gets its manifest's default when wired, not here.
    assert {n: m.provider for n, m in config.modules.items()} == {
        "auth": None,
        "notifications": "sendgrid",
    }
    assert dict(config.modules["notifications"].options) == {}
    product, review = config.customizations.models
    assert (product.name, product.description) == ("Product", "Something we sell.")
    name, price, status, released = product.fields
    assert (name.type, name.max_length, name.required) == ("string", 120, True)
    assert (price.max_digits, price.decimal_places, price.default) == (8, 2, 9.99)
    assert status.choices == ("draft", "live") and status.default == "draft"
    assert (released.default, released.required) == ("2024-01-31", False)
    fk, author = review.fields[:2]
    assert (fk.to, fk.on_delete, fk.max_length) == ("Product", "cascade", None)
    assert (author.to, author.on_delete) == ("User", "set_null")
    assert config.customizations.business_rules[1] == "Orders over $1000 need manager approval"


def test_minimal_config_gets_documented_defaults(tmp_path: Path):
    path = write(tmp_path, "schema_version: 2\nproject:\n  name: shop\n")
    config = load_config(path)
    # No theme: the source's default theme applies when the project is generated.
    assert config.project.version == "0.1.0" and config.theme is None
    assert config.backend_extensions == "shop.backend_extensions"
    assert config.frontend.source == "./custom_frontend/"


def test_v1_modules_are_warnings_and_ignored(project: Path):
    text = VALID_V1 + "modules:\n  notifications: {provider: smtp}\n"
    config = load_config(write(project, text))
    assert dict(config.modules) == {}
    [warning] = config.warnings
    assert warning.severity is Severity.WARNING and warning.dotted_path == "modules"


def test_invalid_config_raises_config_error_listing_every_diagnostic(project: Path):
    path = write(project, "schema_version: 2\nproject:\n  name: Acme\ntheme: startr\n")
    with pytest.raises(InvalidConfigError) as raised:
        load_config(path)
    error = raised.value
    assert isinstance(error, ConfigError) and error.exit_code == ExitCode.FAILED
    assert [d.dotted_path for d in error.diagnostics] == ["project.name", "theme"]
    lines = error.message.splitlines()
    assert lines[0] == f"{path} is invalid (2 errors):"
    assert lines[1].startswith(f"{path}:3:9: error: project.name: 'Acme' must be lowercase")
    assert lines[2].startswith(f"{path}:4:8: error: theme: 'startr' is not a valid theme")


def test_check_filesystem_false_skips_directory_and_module_checks(tmp_path: Path):
    path = write(tmp_path, VALID_V1)
    assert {d.dotted_path for d in validate_file(path)} == {
        "backend_extensions",
        "frontend.source",
    }
    assert load_config(path, check_filesystem=False).project.name == "acme"


def test_validate_text_needs_no_file():
    assert validate_text(VALID_V2).ok
    result = validate_text("schema_version: 2\nproject: {name: shop, version: 1}\n")
    assert [d.format() for d in result.diagnostics] == [
        "quickscale.yml:2:32: error: project.version: expected text, got the number 1 — "
        'put it in quotes: "1" (YAML reads 1 as a number)'
    ]


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_unreadable_path_is_a_usage_error(tmp_path: Path, make: str):
    path = tmp_path / "quickscale.yml"
    if make == "directory":
        path.mkdir()
    with pytest.raises(UsageError) as raised:
        validate_file(path)
    assert raised.value.exit_code == ExitCode.USAGE


def test_generated_project_config_is_valid(tmp_path: Path):
    """The quickscale.yml that `quickscale init` writes passes, inside its project."""
    from quickscale_toolchain.generator.context import ProjectSpec
    from quickscale_toolchain.generator.project_files import render_project
    from quickscale_toolchain.generator.scaffold import write_files

    root = tmp_path / "acme"
    write_files(root, render_project(ProjectSpec("acme")))
    assert [d.format() for d in validate_file(root / "quickscale.yml")] == []
    assert load_config(root / "quickscale.yml").frontend.variant == "default"


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_shipped_schemas_are_valid_draft_2020_12(version: int):
    schema = json.loads(schema_path(version).read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["const"] == version


def test_v2_schema_accepts_the_spec_example_and_v1_the_generated_file():
    import yaml

    for version, text in ((1, VALID_V1), (2, VALID_V2)):
        schema = json.loads(schema_path(version).read_text())
        errors = list(Draft202012Validator(schema).iter_errors(yaml.safe_load(text)))
        assert errors == [], [e.message for e in errors]


def test_importing_the_package_does_not_import_jsonschema():
    import subprocess
    import sys

    probe = "import sys, quickscale_toolchain.config; print('jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_make_project_layout_is_what_the_examples_need(tmp_path: Path):
    root = make_project(tmp_path / "p")
    assert validate_file(write(root, VALID_V2)) == []
