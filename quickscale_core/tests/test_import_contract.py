"""The import contract between quickscale_core (the runtime), quickscale_toolchain and
quickscale_testing (test support).

A client project's web and worker processes import the runtime (the modules its
settings, URLs and apps name); the CLI alone runs the toolchain (config, generator,
distribution, deploy, ...), which imports no Django when it is imported. The runtime
must import nothing from the toolchain nor the libraries only the toolchain needs, so
production can install it without them; themes and modules, which run in those same
processes, must not reach into the toolchain either. Every import statement counts,
including those inside functions, and so does a dotted ``"quickscale_core.x"`` string
(Django imports those from settings).

Test support (fakes, settings helpers for modules' suites, throwaway source repositories)
lives in ``quickscale_testing``, a PEP 420 namespace that each subtree adds to under its
own ``src/`` and that no production wheel ships: core's portion holds ``repos`` and
``modules``, billing's and payments' hold their Stripe fakes. No production code imports
it: not the runtime, not a theme's or module's package, not the toolchain or the CLI.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from quickscale_testing.repos import monorepo_root

ROOT = monorepo_root()
CORE_SRC = ROOT / "quickscale_core" / "src"

# Each of quickscale_core's top-level modules and packages; all are the runtime. A new
# one must be added here (test_every_core_module_is_runtime says so). Everything in
# quickscale_toolchain is the toolchain, everything in quickscale_testing test support.
RUNTIME = frozenset(
    {
        "app_settings",
        "apps",
        "context_processors",
        "csp_policy",
        "i18n",
        "locale",
        "management",
        "middleware",
        "migrations",
        "models",
        "personal_data",
        "request_id",
        "security",
        "settings",
        "site",
        "stack",
        "static",
        "tasks",
        "templates",
        "urls",
        "views",
    }
)
TEST_SUPPORT = "quickscale_testing"
# Where the production code that is not the runtime lives: (src folder, package).
PRODUCTION_TOOLS = (
    (CORE_SRC, "quickscale_toolchain"),
    (ROOT / "quickscale_cli" / "src", "quickscale_cli"),
)

# Distributions only the toolchain needs, by the name they are imported under.
TOOLCHAIN_LIBRARIES = frozenset(
    {
        "jinja2",
        "markupsafe",
        "yaml",
        "jsonschema",
        "jsonschema_specifications",
        "referencing",
        "rpds",
        "attrs",
    }
)
# A string naming a module (or a name in one) of quickscale_core, as Django settings do;
# check ids such as "quickscale_core.E001" are not modules.
DOTTED_CORE_PATH = re.compile(
    r"quickscale_(core|toolchain|testing)(\.[a-z_][a-z0-9_]*)+(\.[A-Za-z_]\w*)?"
)


@dataclass(frozen=True)
class Import:
    """One module a source file imports (or names as a dotted string), and where."""

    path: Path
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.target}"


def module_name(path: Path, src: Path) -> tuple[str, bool]:
    """The dotted name of a source file under ``src``, and whether it is a package."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def imports_of(source: str, path: Path, name: str, is_package: bool) -> Iterator[Import]:
    """Every module ``source`` imports anywhere (top level, in functions, relative
    imports resolved), and every string constant that is a quickscale_core dotted path."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from a import b` may import the module a.b; checking a.b covers both.
                yield Import(path, node.lineno, f"{base}.{alias.name}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and DOTTED_CORE_PATH.fullmatch(node.value)
        ):
            yield Import(path, node.lineno, node.value)


def python_files(src: Path, package: str) -> Iterator[tuple[Path, str, bool]]:
    for path in sorted((src / package).rglob("*.py")):
        yield (path, *module_name(path, src))


def room(target: str) -> str | None:
    """Which room ``target`` is in; None outside quickscale_core, quickscale_toolchain
    and quickscale_testing."""
    parts = target.split(".")
    if parts[0] == "quickscale_toolchain":
        return "toolchain"
    if parts[0] == TEST_SUPPORT:
        return "test support"
    if parts[0] != "quickscale_core":
        return None
    if len(parts) == 1 or parts[1] in RUNTIME or parts[1] == "__version__":
        return "runtime"
    return "unclassified"


def runtime_violations(src: Path) -> list[str]:
    """Imports by quickscale_core's runtime modules of anything but the runtime and
    third-party libraries the toolchain does not own."""
    found = []
    for path, name, is_package in python_files(src, "quickscale_core"):
        if room(name) != "runtime":
            continue
        for imp in imports_of(path.read_text(), path, name, is_package):
            where = room(imp.target)
            if where not in (None, "runtime"):
                found.append(f"{imp} is {where}")
            elif imp.target.split(".")[0] in TOOLCHAIN_LIBRARIES:
                found.append(f"{imp} is a toolchain library")
    return found


def component_violations(src: Path, package: str) -> list[str]:
    """Imports of the toolchain (or of its libraries), or of test support (its own
    included), by a theme's or module's code."""
    found = []
    for path, name, is_package in python_files(src, package):
        for imp in imports_of(path.read_text(), path, name, is_package):
            if room(imp.target) in ("toolchain", "test support"):
                found.append(f"{imp} is {room(imp.target)}")
            elif imp.target.split(".")[0] in TOOLCHAIN_LIBRARIES:
                found.append(f"{imp} is a toolchain library")
    return found


def imports_of_test_support(src: Path, package: str) -> list[str]:
    """Imports of test support by production code that is not the runtime (the
    toolchain, the CLI)."""
    return [
        f"{imp} is test support"
        for path, name, is_package in python_files(src, package)
        for imp in imports_of(path.read_text(), path, name, is_package)
        if room(imp.target) == "test support"
    ]


def component_sources() -> list[tuple[Path, str]]:
    """(src folder, top-level package) of every theme and module of the checkout; its
    test support (a portion of quickscale_testing beside the package) aside."""
    return [
        (src, package.name)
        for src in sorted(ROOT.glob("quickscale_*/*/src"))
        if src.parts[-3] in ("quickscale_themes", "quickscale_modules")
        for package in src.iterdir()
        if package.is_dir()
        and not package.name.endswith(".egg-info")
        and package.name != TEST_SUPPORT
    ]


def portions_of_test_support() -> list[Path]:
    """Every folder of the checkout that adds to the quickscale_testing namespace."""
    return sorted(ROOT.glob(f"quickscale_*/src/{TEST_SUPPORT}")) + sorted(
        ROOT.glob(f"quickscale_*/*/src/{TEST_SUPPORT}")
    )


def test_every_core_module_is_runtime() -> None:
    package = CORE_SRC / "quickscale_core"
    present = {
        p.stem if p.is_file() else p.name
        for p in package.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and p.name != "__pycache__")
    }
    unclassified = sorted(present - RUNTIME)
    assert not unclassified, (
        f"quickscale_core/{unclassified[0]} is in no room — add it to RUNTIME in this file "
        "(toolchain code belongs in quickscale_toolchain, test support in quickscale_testing)"
    )
    assert not RUNTIME - present, "a listed module is gone"


def test_test_support_is_one_namespace_across_subtrees() -> None:
    """No portion has an ``__init__.py`` (one would hide every other subtree's portion),
    and no two portions define the same module."""
    portions = portions_of_test_support()
    assert {p.parents[1].name for p in portions} >= {"quickscale_core", "billing", "payments"}
    assert [p for p in portions if (p / "__init__.py").exists()] == []
    names = [m.name for p in portions for m in p.iterdir() if m.name != "__pycache__"]
    assert sorted(names) == sorted(set(names)), names


def test_the_runtime_imports_nothing_from_the_toolchain() -> None:
    assert runtime_violations(CORE_SRC) == []


@pytest.mark.parametrize(
    ("src", "package"), component_sources(), ids=lambda v: getattr(v, "name", v)
)
def test_themes_and_modules_import_nothing_from_the_toolchain(src: Path, package: str) -> None:
    assert component_violations(src, package) == []


@pytest.mark.parametrize(("src", "package"), PRODUCTION_TOOLS, ids=lambda v: getattr(v, "name", v))
def test_the_toolchain_and_the_cli_import_no_test_support(src: Path, package: str) -> None:
    assert imports_of_test_support(src, package) == []


def test_there_are_themes_and_modules_to_check() -> None:
    packages = {src.parts[-2] for src, _ in component_sources()}
    assert len(packages) >= 9, packages


def test_what_a_project_names_of_core_is_runtime() -> None:
    """The generated project's own package (settings, urls, wsgi, celery, ...) names only
    runtime modules of quickscale_core."""
    templates = CORE_SRC / "quickscale_toolchain/generator/templates/project/__project__"
    named = set()
    for path in templates.rglob("*.j2"):
        for word in path.read_text().replace('"', " ").replace("'", " ").split():
            if word.startswith("quickscale_core."):
                named.add(word.rstrip(".,:;)"))
    assert {"quickscale_core.settings", "quickscale_core.urls"} <= named
    assert {n: room(n) for n in named if room(n) != "runtime"} == {}


@pytest.mark.parametrize("theme", ["starter", "todo"])
def test_a_generated_project_s_own_code_imports_nothing_of_the_toolchain(theme: str) -> None:
    """Every Python file a project with every module gets, its tests aside, rendered."""
    from quickscale_toolchain.catalog import from_directory
    from quickscale_toolchain.generator.context import ProjectSpec
    from quickscale_toolchain.generator.project_files import render_project
    from quickscale_toolchain.generator.wiring import ModuleChoice

    catalog = from_directory(ROOT, origin="source")
    modules = tuple(ModuleChoice(m) for m in catalog.modules)
    files = render_project(ProjectSpec("acme", theme=theme, modules=modules, catalog=catalog))
    found, checked = [], 0
    for path, file in files.items():
        if not path.endswith(".py") or path.startswith("tests/"):
            continue
        checked += 1
        name, is_package = module_name(Path(path), Path())
        for imp in imports_of(file.content.decode(), Path(path), name, is_package):
            if room(imp.target) not in (None, "runtime"):
                found.append(f"{imp} is {room(imp.target)}")
            elif imp.target.split(".")[0] in TOOLCHAIN_LIBRARIES:
                found.append(f"{imp} is a toolchain library")
    assert checked >= 10 and "acme/settings.py" in files
    assert found == []


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        (
            "from quickscale_toolchain.generator import render",
            "quickscale_toolchain.generator.render",
        ),
        ("import quickscale_toolchain.config.loader", "quickscale_toolchain.config.loader"),
        ("from .pins import RUNTIME", "quickscale_core.pins.RUNTIME is unclassified"),
        ("import yaml", "yaml is a toolchain library"),
        ("from jinja2 import Environment", "jinja2.Environment is a toolchain library"),
        ("from quickscale_testing.repos import monorepo_root", "is test support"),
        ("x = 'quickscale_toolchain.distribution.sync'", "quickscale_toolchain.distribution.sync"),
    ],
)
def test_a_runtime_import_of_the_toolchain_fails_the_contract(
    tmp_path: Path, planted: str, expected: str
) -> None:
    """The contract run over a copy of core's source with one import planted inside a
    function of views.py names that file and line."""
    shutil.copytree(
        CORE_SRC / "quickscale_core",
        tmp_path / "quickscale_core",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "*.json"),
    )
    views = tmp_path / "quickscale_core" / "views.py"
    lines = views.read_text().splitlines()
    lines += ["", "", "def planted():", f"    {planted}", ""]
    views.write_text("\n".join(lines))
    assert runtime_violations(CORE_SRC) == []
    found = runtime_violations(tmp_path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{views}:{len(lines) - 1}: "), found
    assert expected in found[0], found


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        (
            "from quickscale_toolchain.manifest import parse_manifest",
            "quickscale_toolchain.manifest.parse_manifest is toolchain",
        ),
        (
            "from quickscale_testing.billing import BillingState",
            "quickscale_testing.billing.BillingState is test support",
        ),
        ("import quickscale_testing.payments", "quickscale_testing.payments is test support"),
    ],
)
def test_a_module_import_of_the_toolchain_or_test_support_fails_the_contract(
    tmp_path: Path, planted: str, expected: str
) -> None:
    package = tmp_path / "quickscale_modules" / "demo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "apps.py").write_text(
        f"from quickscale_core.security import client_ip\ndef ready():\n    {planted}\n"
    )
    found = component_violations(tmp_path, "quickscale_modules")
    assert found == [f"{package / 'apps.py'}:3: {expected}"]


def test_a_toolchain_import_of_test_support_fails_the_contract(tmp_path: Path) -> None:
    package = tmp_path / "quickscale_toolchain"
    package.mkdir()
    (package / "api.py").write_text("from quickscale_testing.repos import make_source_repo\n")
    assert imports_of_test_support(tmp_path, "quickscale_toolchain") == [
        f"{package / 'api.py'}:1: quickscale_testing.repos.make_source_repo is test support"
    ]


def test_importing_the_whole_toolchain_imports_no_django() -> None:
    """Every module of quickscale_toolchain, imported in a fresh interpreter, leaves
    Django unimported: the CLI starts fast and runs where Django is not installed."""
    package = CORE_SRC / "quickscale_toolchain"
    names = sorted(
        name
        for name, _ in (module_name(p, CORE_SRC) for p in package.rglob("*.py"))
        if "templates" not in name
    )
    assert len(names) >= 40, names
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
