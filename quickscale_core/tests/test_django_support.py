"""Modules and themes declare the Django series they support as a range; core pins one
Django exactly. The check that they agree, and the rule every component here follows
(docs/distribution.md, "Moving to Django's next LTS")."""

from __future__ import annotations

import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import pins
from quickscale_toolchain.catalog import Entry, from_directory
from quickscale_toolchain.components import Component
from quickscale_toolchain.django_support import (
    DjangoUnsupported,
    check_supported,
    component_requirement,
)
from quickscale_toolchain.errors import ExitCode
from quickscale_toolchain.manifest import Manifest, ManifestError

ROOT = monorepo_root()


def entry(component: str, *dependencies: str, origin: str = "project") -> Entry:
    manifest = Manifest(Component.parse(component), "0.2.0", "", dependencies=dependencies)
    return Entry(manifest, origin=origin)


# (declared requirements, core's pin, the error line; None: admitted)
CASES = [
    (("Django>=5.2.19,<5.3",), "5.2.19", None),
    (("Django>=5.2.19,<5.3",), "5.2.20", None),  # a patch release: no component moves
    (("django >= 5.2.19, < 5.3", "django-allauth==65.21.1"), "5.2.25", None),
    (("Django>=5.2.19,!=6.0.*,!=6.1.*,<6.3",), "6.2.1", None),  # both LTS series
    (("django-allauth==65.21.1",), "6.2.1", None),  # no Django requirement: nothing to say
    (('Django>=5.2.19,<5.3; python_version < "3"',), "6.2.1", None),  # marker: not here
    (
        ("Django>=5.2.19,<5.3",),
        "6.2.1",
        "modules/auth 0.2.0 supports Django>=5.2.19,<5.3 but core 0.3.0 pins Django 6.2.1 "
        "— run 'quickscale update --component modules'",
    ),
    (
        ("Django>=5.2.19,!=6.0.*,!=6.1.*,<6.3",),
        "6.1.3",
        "modules/auth 0.2.0 supports Django>=5.2.19,!=6.0.*,!=6.1.*,<6.3 but core 0.3.0 "
        "pins Django 6.1.3 — run 'quickscale update --component modules'",
    ),
    (  # today's exact pins: any core bump refuses, the reason for ranges
        ("Django==5.2.19",),
        "5.2.20",
        "modules/auth 0.2.0 supports Django==5.2.19 but core 0.3.0 pins Django 5.2.20 "
        "— run 'quickscale update --component modules'",
    ),
    (  # the module is ahead of the project's core: core is the one to update
        ("Django>=6.2.1,<6.3",),
        "5.2.19",
        "modules/auth 0.2.0 supports Django>=6.2.1,<6.3 but core 0.3.0 pins Django 5.2.19 "
        "— run 'quickscale update --component core'",
    ),
]


@pytest.mark.parametrize(("declared", "pinned", "line"), CASES)
def test_a_component_s_range_and_core_s_pin(
    declared: tuple[str, ...], pinned: str, line: str | None
) -> None:
    entries = [entry("modules/auth", *declared)]
    if line is None:
        check_supported(entries, pinned, "0.3.0")
        return
    with pytest.raises(DjangoUnsupported) as refused:
        check_supported(entries, pinned, "0.3.0")
    assert refused.value.one_line() == line
    assert refused.value.exit_code is ExitCode.FAILED


def test_every_component_left_out_is_named_and_each_kind_s_update_given() -> None:
    entries = [
        entry("themes/todo", "Django>=5.2.19,<5.3"),
        entry("modules/auth", "Django>=5.2.19,<5.3"),
        entry("modules/billing", "Django>=5.2.19,<6.3"),
        entry("modules/payments", "Django>=5.2.19,<5.3"),
    ]
    with pytest.raises(DjangoUnsupported) as refused:
        check_supported(entries, "6.2.1", "0.3.0")
    assert refused.value.one_line() == (
        "themes/todo 0.2.0 supports Django>=5.2.19,<5.3 but core 0.3.0 pins Django 6.2.1; "
        "modules/auth, modules/payments do not support it either — run 'quickscale update "
        "--component themes', then 'quickscale update --component modules'"
    )


@pytest.mark.parametrize(
    ("component", "instead"),
    [("modules/auth", "leave it out"), ("themes/todo", "name another theme")],
)
def test_a_component_still_to_embed_has_no_update_to_run(component: str, instead: str) -> None:
    """Offered by the source, not embedded yet: updating cannot bring another version."""
    with pytest.raises(DjangoUnsupported) as refused:
        check_supported([entry(component, "Django==5.2.19", origin="source")], "5.2.20")
    assert refused.value.hint == (
        f"the source has no release of {component} for that Django yet: "
        f"{instead} in quickscale.yml until it does"
    )


def test_a_dependency_pip_cannot_read_names_the_file() -> None:
    with pytest.raises(ManifestError, match=r"quickscale_modules/auth/pyproject.toml: .*Django>>"):
        check_supported([entry("modules/auth", "Django>>5")], "5.2.19")


def first_party() -> list[str]:
    found = sorted(p.parent for p in ROOT.glob("quickscale_*/*/pyproject.toml"))
    ids = [f"{p.parent.name.removeprefix('quickscale_')}/{p.name}" for p in found]
    assert len(ids) >= 9, ids
    return ids


@pytest.mark.parametrize("component", first_party())
def test_each_component_declares_the_series_it_supports_not_one_release(component: str) -> None:
    """The rule: one Django requirement, a range from a floor (the patch release it is
    tested with) to an exclusive ceiling (the next feature release); never an exact pin,
    which would make every Django bump of core a release of every component."""
    prefix = Component.parse(component).prefix
    project = tomllib.loads((ROOT / prefix / "pyproject.toml").read_text())["project"]
    django = [r for r in map(Requirement, project["dependencies"]) if r.name.lower() == "django"]
    assert len(django) == 1, django
    specifier = django[0].specifier
    operators = {clause.operator for clause in specifier}
    assert ">=" in operators and "<" in operators, str(specifier)
    assert not any(c.operator in ("==", "===") and "*" not in c.version for c in specifier)
    pinned = Version(pins.DJANGO)
    assert pinned in specifier
    assert Version(f"{pinned.major}.{pinned.minor}.{pinned.micro + 1}") in specifier
    # What extract writes for a new module follows the same rule.
    assert Version(pins.DJANGO) in Requirement(component_requirement()).specifier


def test_the_catalogue_reads_the_ranges_and_core_s_pin_passes() -> None:
    catalog = from_directory(ROOT, origin="source")
    assert all(e.manifest.dependencies for e in catalog)
    check_supported(catalog)  # today's pin, every component
    # core's own `django` extra (a standalone install of quickscale-core) admits it too
    core = tomllib.loads((ROOT / "quickscale_core/pyproject.toml").read_text())["project"]
    extra = [Requirement(t) for t in core["optional-dependencies"]["django"]]
    (django,) = [r for r in extra if r.name.lower() == "django"]
    assert Version(pins.DJANGO) in django.specifier
