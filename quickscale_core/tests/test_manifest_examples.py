"""A manifest's examples are data checked like its other keys: each one's options must
have the shape the module's own option schema gives, or the manifest is refused in one
line that names the example and the key."""

from __future__ import annotations

import pytest
from quickscale_toolchain.components import Component
from quickscale_toolchain.manifest import Example, ManifestError, parse_manifest

MODULE = """\
[project]
name = "quickscale-module-x"
version = "0.1.0"

[tool.quickscale]
kind = "module"
name = "x"
default-provider = "local"

[tool.quickscale.providers.local]
[tool.quickscale.providers.remote]

[tool.quickscale.options.keep]
type = "integer"
minimum = 1

[tool.quickscale.options.items]
type = "array"
items = { type = "object", required = ["key"], properties = { key = { type = "string" } } }
"""
WHERE = "quickscale_modules/x/pyproject.toml"


def _parse(examples: str):
    return parse_manifest(MODULE + examples, WHERE, Component("modules", "x"))


def test_examples_are_read_in_order_with_their_options():
    manifest = _parse(
        '[[tool.quickscale.examples]]\ndescription = "Defaults."\n'
        '[[tool.quickscale.examples]]\ndescription = "Remote, keep 3."\n'
        'options = { provider = "remote", keep = 3, items = [{ key = "a" }] }\n'
    )
    assert manifest.examples == (
        Example("Defaults."),
        Example("Remote, keep 3.", {"provider": "remote", "keep": 3, "items": [{"key": "a"}]}),
    )
    assert _parse("").examples == ()
    empty = MODULE.replace('kind = "module"\n', 'kind = "module"\nexamples = []\n')
    with pytest.raises(ManifestError, match=r": examples: \[\] should be non-empty"):
        parse_manifest(empty, WHERE, Component("modules", "x"))


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        # The manifest schema: a description, and nothing but options beside it.
        ("[[tool.quickscale.examples]]\noptions = {}\n", "examples.0: 'description'"),
        ('[[tool.quickscale.examples]]\ndescription = ""\n', "examples.0.description"),
        ('[[tool.quickscale.examples]]\ndescription = "x"\nyaml = "x: 1"\n', "examples.0: "),
        # The module's own option schema.
        ('[[tool.quickscale.examples]]\ndescription = "x"\noptions = { kep = 3 }\n', "'kep'"),
        (
            '[[tool.quickscale.examples]]\ndescription = "x"\noptions = { keep = 0 }\n',
            "examples.0.options.keep: 0 is less than the minimum of 1",
        ),
        (
            '[[tool.quickscale.examples]]\ndescription = "a"\n'
            '[[tool.quickscale.examples]]\ndescription = "b"\noptions = { provider = "smtp" }\n',
            "examples.1.options.provider: 'smtp' is not one of ['local', 'remote']",
        ),
        (
            '[[tool.quickscale.examples]]\ndescription = "x"\noptions = { items = [{}] }\n',
            "examples.0.options.items.0: 'key' is a required property",
        ),
    ],
    ids=[
        "no-description",
        "empty-description",
        "unknown-key",
        "unknown-option",
        "minimum",
        "provider",
        "item-required",
    ],
)
def test_a_malformed_example_is_one_clear_error(examples: str, message: str):
    with pytest.raises(ManifestError) as raised:
        _parse(examples)
    line = raised.value.one_line()
    assert line.startswith(WHERE + ": ") and message in line, line
    assert "\n" not in line


def test_a_key_this_core_does_not_know_names_the_update_of_the_project_s_core():
    """A project's core reading the manifests of a newer source: the fix is its update."""
    text = MODULE.replace('kind = "module"\n', 'kind = "module"\nfuture-key = 1\n')
    with pytest.raises(ManifestError) as raised:
        parse_manifest(text, WHERE, Component("modules", "x"))
    assert "'future-key' was unexpected" in raised.value.message
    assert "run 'quickscale update --component core'" in raised.value.hint
