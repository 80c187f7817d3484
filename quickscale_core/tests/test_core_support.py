"""A module's or theme's core-compatibility range against the core that generates: one
line before anything is written, naming the update, and the ranges of the monorepo's own
components kept truthful."""

from __future__ import annotations

import tomllib

import pytest
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.catalog import Entry, from_directory
from quickscale_toolchain.components import Component
from quickscale_toolchain.core_support import (
    CoreUnsupported,
    check_compatible,
    running_core_version,
)
from quickscale_toolchain.distribution.versions import core_allows
from quickscale_toolchain.errors import ExitCode
from quickscale_toolchain.manifest import Manifest, ManifestError, parse_manifest

ROOT = monorepo_root()


def entry(component: str, compatibility: str | None) -> Entry:
    manifest = Manifest(Component.parse(component), "0.4.0", "", core_compatibility=compatibility)
    return Entry(manifest, origin="project")


@pytest.mark.parametrize(
    ("compatibility", "core", "admitted"),
    [
        (">=0.2,<1.0", "0.2.0", True),
        (">=0.2,<1.0", "0.3.0.dev0", True),  # a development core: the release it leads to
        (">=0.3.0.dev0,<1.0", "0.2.0", False),  # needs what 0.3 brings
        (">=0.3.0.dev0,<1.0", "0.3.0.dev0", True),
        (">=0.3.0.dev0,<1.0", "0.3.2", True),
        (">=0.3,<1.0", "0.3.0.dev0", False),  # written from releases: not yet
        (">=0.1,<0.2", "0.2.0", False),
        (None, "0.2.0", True),  # no range: any core
        ("not a range", "0.2.0", False),
    ],
)
def test_a_range_and_a_core(compatibility: str | None, core: str, admitted: bool) -> None:
    assert core_allows(compatibility, core) is admitted


def test_a_component_ahead_of_the_core_says_to_update_core() -> None:
    with pytest.raises(CoreUnsupported) as refused:
        check_compatible(
            [entry("themes/starter", ">=0.2,<1.0"), entry("modules/auth", ">=0.3.0.dev0,<1.0")],
            core_version="0.2.0",
        )
    assert str(refused.value) == (
        "modules/auth 0.4.0 needs core '>=0.3.0.dev0,<1.0' but this quickscale is core 0.2.0"
    )
    assert refused.value.hint == "run 'quickscale update --component core'"
    assert refused.value.exit_code == ExitCode.FAILED


def test_a_component_behind_the_core_says_to_update_it() -> None:
    with pytest.raises(CoreUnsupported) as refused:
        check_compatible([entry("themes/todo", ">=0.1,<0.3")], core_version="0.3.0")
    assert str(refused.value).startswith("themes/todo 0.4.0 needs core '>=0.1,<0.3'")
    assert refused.value.hint == "run 'quickscale update --component themes'"


NEWER_MANIFEST = """\
[project]
name = "quickscale-module-auth"
version = "0.9.0"

[tool.quickscale]
kind = "module"
name = "auth"
core-compatibility = ">=9.0,<10.0"
a-key-only-core-9-reads = true
"""


def test_a_manifest_written_for_a_newer_core_is_that_line_not_a_schema_error() -> None:
    with pytest.raises(CoreUnsupported) as refused:
        parse_manifest(NEWER_MANIFEST, "quickscale_modules/auth/pyproject.toml")
    assert str(refused.value) == (
        f"modules/auth 0.9.0 needs core '>=9.0,<10.0' but this quickscale is core "
        f"{running_core_version()}"
    )
    assert refused.value.hint == "run 'quickscale update --component core'"
    # Within its range, the same unknown key is the manifest's own mistake.
    mistaken = NEWER_MANIFEST.replace(">=9.0,<10.0", ">=0.1,<10.0")
    with pytest.raises(ManifestError, match="a-key-only-core-9-reads"):
        parse_manifest(mistaken, "quickscale_modules/auth/pyproject.toml")


def test_the_checkout_s_core_is_between_releases_and_its_components_accept_it() -> None:
    core = tomllib.loads((ROOT / "quickscale_core/pyproject.toml").read_text())["project"]
    assert running_core_version() == core["version"]
    check_compatible(from_directory(ROOT, origin="source"))


def test_the_auth_module_refuses_the_core_before_feature_switches() -> None:
    """Its manifest's options switch features on (apps, middleware, pins, keys), which
    core 0.2.0's toolchain rejects: its range must leave 0.2.0 out."""
    (auth,) = [e for e in from_directory(ROOT, origin="source") if e.component.id == "modules/auth"]
    assert not core_allows(auth.manifest.core_compatibility, "0.2.0")
    assert core_allows(auth.manifest.core_compatibility, "0.3.0")
