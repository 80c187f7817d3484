"""A generated project's production requirements carry the runtime, not the toolchain.

The web and worker processes import quickscale_core's runtime (tests/test_import_contract.py),
so requirements.txt, which the image installs, holds no package of the toolchain's
(quickscale_core's `toolchain` extra and what it pulls in). The quickscale CLI runs the
project's embedded toolchain from the project's venv, so requirements-dev.txt and the
CLI's constraints pin those packages. Projects are rendered in-process; nothing is
installed: what pip would pull in is read from the metadata of this venv's packages.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import pins
from quickscale_toolchain.catalog import Catalog, from_directory
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.wiring import ModuleChoice

ROOT = monorepo_root()
# What Jinja2, PyYAML and jsonschema are, installed.
TOOLCHAIN_DISTRIBUTIONS = frozenset(
    {
        "jinja2",
        "markupsafe",
        "pyyaml",
        "jsonschema",
        "jsonschema-specifications",
        "referencing",
        "rpds-py",
        "attrs",
    }
)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return from_directory(ROOT, origin="source")


def combinations() -> list[tuple[str, tuple[str, ...]]]:
    """(theme, modules): each theme with each module alone and with every module."""
    catalog = from_directory(ROOT, origin="source")
    themes = sorted(p.parent.name for p in ROOT.glob("quickscale_themes/*/pyproject.toml"))
    modules = tuple(catalog.modules)
    assert len(themes) >= 2 and len(modules) >= 7, (themes, modules)
    return [(t, m) for t in themes for m in [*((m,) for m in modules), modules]]


def render(catalog: Catalog, theme: str, modules: tuple[str, ...]) -> dict[str, str]:
    spec = ProjectSpec(
        "acme", theme=theme, modules=tuple(ModuleChoice(m) for m in modules), catalog=catalog
    )
    names = ("requirements.txt", "requirements-dev.txt", ".github/quickscale-cli-constraints.txt")
    files = render_project(spec)
    return {name: files[name].content.decode() for name in names}


def pinned(text: str) -> dict[str, str]:
    """Canonical name -> version of a requirements file's ``name==version`` lines."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith(("#", "-")):
            name, _, version = line.partition("==")
            found[canonical(Requirement(name).name)] = version
    return found


def pulled_in(requirements: str) -> set[str]:
    """Every distribution ``pip install -r requirements.txt`` brings, by canonical name:
    the listed ones, the dependencies the editable (embedded) packages' pyproject.toml
    declare, and their dependencies as this venv's metadata declares them."""
    todo: list[Requirement] = []
    for line in requirements.splitlines():
        if line.startswith("-e ./"):
            project = tomllib.loads((ROOT / line[5:] / "pyproject.toml").read_text())["project"]
            todo += [Requirement(text) for text in project.get("dependencies", [])]
        elif line and not line.startswith("#"):
            todo.append(Requirement(line))
    found: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonical(requirement.name)
        if name in found:
            continue
        found.add(name)
        for text in metadata.requires(requirement.name) or []:
            dependency = Requirement(text)
            extras = ("", *requirement.extras)
            if dependency.marker and not any(
                dependency.marker.evaluate({"extra": extra}) for extra in extras
            ):
                continue
            todo.append(dependency)
    return found


@pytest.mark.parametrize(
    ("theme", "modules"),
    combinations(),
    ids=lambda v: v if isinstance(v, str) else "+".join(v) if len(v) < 3 else "every-module",
)
def test_production_requirements_hold_no_toolchain_package(
    catalog: Catalog, theme: str, modules: tuple[str, ...]
) -> None:
    files = render(catalog, theme, modules)
    production = pinned(files["requirements.txt"])
    assert "django" in production
    assert sorted(TOOLCHAIN_DISTRIBUTIONS & production.keys()) == []
    # What the CLI runs the project's toolchain with, exactly as pins.py says.
    toolchain = {canonical(name): version for name, version in pins.TOOLCHAIN}
    assert {canonical(n) for n in toolchain} == TOOLCHAIN_DISTRIBUTIONS
    for name in ("requirements-dev.txt", ".github/quickscale-cli-constraints.txt"):
        assert toolchain.items() <= pinned(files[name]).items(), name


def test_nothing_production_installs_pulls_the_toolchain_in(catalog: Catalog) -> None:
    """Not only unlisted: no package of requirements.txt (core's own editable install
    included) depends on a toolchain package."""
    for theme in ("starter", "todo"):
        requirements = render(catalog, theme, tuple(catalog.modules))["requirements.txt"]
        installed = pulled_in(requirements)
        assert {"django", "celery", "django-allauth", "dj-stripe"} <= installed
        assert sorted(TOOLCHAIN_DISTRIBUTIONS & installed) == []


def test_core_declares_the_toolchain_s_dependencies_as_an_extra_the_cli_installs() -> None:
    core = tomllib.loads((ROOT / "quickscale_core/pyproject.toml").read_text())["project"]
    base = {canonical(Requirement(text).name) for text in core["dependencies"]}
    assert sorted(base & TOOLCHAIN_DISTRIBUTIONS) == []
    extra = {canonical(Requirement(t).name) for t in core["optional-dependencies"]["toolchain"]}
    assert {"jinja2", "pyyaml", "jsonschema"} <= extra
    # Each is pinned where the toolchain runs (packaging is a runtime pin too).
    pinned_names = {canonical(name) for name, _ in pins.TOOLCHAIN + pins.RUNTIME}
    assert extra <= pinned_names
    cli = tomllib.loads((ROOT / "quickscale_cli/pyproject.toml").read_text())["project"]
    (wanted,) = [r for r in map(Requirement, cli["dependencies"]) if r.name == "quickscale-core"]
    assert wanted.extras == {"toolchain"}


def test_the_monorepo_tests_with_the_toolchain_pins_projects_get() -> None:
    ours = pinned((ROOT / "requirements-dev.txt").read_text())
    assert {canonical(n): v for n, v in pins.TOOLCHAIN}.items() <= ours.items()
