"""Field markings: one manifest shape ([tool.quickscale.models]) that core reads, checks
and collects, with its own, into the project's QUICKSCALE_FIELD_MARKINGS."""

from __future__ import annotations

import ast
import re

import pytest
from quickscale_toolchain.catalog import Entry
from quickscale_toolchain.components import Component
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.wiring import Wiring
from quickscale_toolchain.manifest import Manifest, ManifestError, ModelMarkings, parse_manifest

HEAD = '[project]\nname = "x"\nversion = "0.1.0"\n[tool.quickscale]\nkind = "module"\nname = "x"\n'


def _parse(table: str) -> tuple[ModelMarkings, ...]:
    manifest = parse_manifest(HEAD + table, "x/pyproject.toml", Component("modules", "x"))
    return manifest.models


def test_a_manifest_marks_fields_per_model() -> None:
    models = _parse(
        '[tool.quickscale.models."x_app.Token"]\n'
        'fields = { value = ["secret"], label = ["secret"] }\n'
        '[tool.quickscale.models."other.Key"]\n'
        'fields = { secret = ["secret"] }\n'
    )
    assert models == (
        ModelMarkings("x_app.Token", (("value", ("secret",)), ("label", ("secret",)))),
        ModelMarkings("other.Key", (("secret", ("secret",)),)),
    )
    assert models[0].marked("secret") == ("value", "label")
    assert _parse("") == ()


@pytest.mark.parametrize(
    ("table", "where"),
    [
        # a marking core does not know
        ('[tool.quickscale.models."a.B"]\nfields = { f = ["secrett"] }\n', "models.a.B.fields.f.0"),
        # no marking at all, or none listed
        ('[tool.quickscale.models."a.B"]\nfields = { f = [] }\n', "models.a.B.fields.f"),
        ('[tool.quickscale.models."a.B"]\nfields = {}\n', "models.a.B.fields"),
        ('[tool.quickscale.models."a.B"]\n', "models.a.B"),
        # a model is app_label.Model, a field a lowercase name
        ('[tool.quickscale.models."B"]\nfields = { f = ["secret"] }\n', "models"),
        ('[tool.quickscale.models."a.b"]\nfields = { f = ["secret"] }\n', "models"),
        ('[tool.quickscale.models."a.B"]\nfields = { F = ["secret"] }\n', "models.a.B.fields"),
        # a key the shape does not have yet
        ('[tool.quickscale.models."a.B"]\nfields = { f = ["secret"] }\nx = 1\n', "models.a.B"),
        ('[tool.quickscale.models."a.B"]\nfields = { f = "secret" }\n', "models.a.B.fields.f"),
    ],
)
def test_a_malformed_marking_is_one_located_error(table: str, where: str) -> None:
    with pytest.raises(ManifestError, match=re.escape(f"x/pyproject.toml: {where}")):
        _parse(table)


def _entry(name: str, *models: ModelMarkings) -> Entry:
    return Entry(Manifest(Component("modules", name), "0.1.0", "", models=models))


def test_markings_of_several_sources_are_merged_once_per_field() -> None:
    core = [ModelMarkings("p.User", (("password", ("secret",)),))]
    wiring = Wiring(
        entries=(
            _entry("one", ModelMarkings("lib.Key", (("secret", ("secret",)),))),
            _entry(
                "two",
                ModelMarkings("lib.Key", (("secret", ("secret",)), ("data", ("secret",)))),
                ModelMarkings("p.User", (("password", ("secret",)),)),
            ),
        ),
        providers={},
    )
    assert wiring.field_markings(core) == [
        ("p.User", [("password", ["secret"], "core")]),
        ("lib.Key", [("secret", ["secret"], "modules/one"), ("data", ["secret"], "modules/two")]),
    ]


def _settings_markings(modules: dict[str, dict[str, str]]) -> tuple[dict[str, object], str]:
    """QUICKSCALE_FIELD_MARKINGS of a rendered project (its component_settings.py, which
    settings.py reads), and that file."""
    data = {
        "schema_version": 2,
        "project": {"name": "acme", "version": "0.1.0"},
        "theme": "starter",
        "modules": modules,
    }
    files = render_project(spec_from_config(data))
    settings = files["acme/component_settings.py"].content.decode()
    assert (
        "component_settings.QUICKSCALE_FIELD_MARKINGS" in files["acme/settings.py"].content.decode()
    )
    for node in ast.parse(settings).body:
        target = ast.unparse(node.targets[0]) if isinstance(node, ast.Assign) else ""
        if target == "QUICKSCALE_FIELD_MARKINGS":
            return ast.literal_eval(node.value), settings  # type: ignore[attr-defined]
    raise AssertionError("component_settings.py has no QUICKSCALE_FIELD_MARKINGS")


def test_settings_list_core_s_markings_and_the_enabled_components_ones() -> None:
    markings, settings = _settings_markings({"auth": {}, "payments": {}, "analytics": {}})
    assert markings["acme.User"] == {"password": ["secret"]}
    assert markings["sessions.Session"] == {"session_key": ["secret"], "session_data": ["secret"]}
    assert markings["djstripe.APIKey"] == {"secret": ["secret"]}
    assert markings["account.EmailConfirmation"] == {"key": ["secret"]}
    assert markings["quickscale_analytics.DailySalt"] == {"value": ["secret"]}
    assert '"secret": ["secret"],  # modules/payments' in settings  # who declared it

    only_core, _ = _settings_markings({})
    assert set(only_core) == {"acme.User", "sessions.Session", "quickscale_core.CacheEntry"}
