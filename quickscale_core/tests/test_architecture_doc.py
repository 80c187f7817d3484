"""docs/architecture.md tells a newcomer where each piece lives; every file or folder it
names must exist, or the map sends them to a room that was moved or never built.

A path is a backticked name with a ``/`` in it, made only of path characters (no
spaces, ``$``, quotes or brackets), e.g. `quickscale_toolchain/config/` or
`generator/plan.py`. It resolves, in this order:

- from the monorepo root (`quickscale_core/tests/test_subtree.py`, `scripts/config-docs`);
- a package-relative path, one that starts with a package's folder, under that
  package's ``src/``: `quickscale_toolchain/config/` is
  ``quickscale_core/src/quickscale_toolchain/config`` (likewise `quickscale_cli/launcher.py`);
- a path with no package named is core's or the toolchain's: `generator/plan.py` is
  ``quickscale_core/src/quickscale_toolchain/generator/plan.py``.

A ``<name>`` segment stands for any one name, and at least one must match
(`quickscale_modules/<name>/pyproject.toml`). Names whose first segment is
``modules`` or ``themes`` are component ids and branch names (`modules/<name>`), not
paths. A bare file name (`settings.py`, `quickscale.yml`) is a generated project's file
and is not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from quickscale_testing.repos import monorepo_root

ROOT = monorepo_root()
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# Each package's folder under the monorepo root (the toolchain shares core's subtree).
PACKAGES = {
    "quickscale_core": "quickscale_core",
    "quickscale_toolchain": "quickscale_core",
    "quickscale_testing": "quickscale_core",  # core's portion; others' by their full path
    "quickscale_cli": "quickscale_cli",
}
COMPONENT_IDS = ("modules", "themes")
# A backticked name with at least one "/", of path characters and <placeholders> only.
PATH = re.compile(r"`([\w.-]+(?:/[\w.<>-]*)+)`")
PLACEHOLDER = re.compile(r"<[\w-]+>")


def named_paths(text: str) -> list[str]:
    """The repository paths a document names, once each, in order."""
    found = [path for path in PATH.findall(text) if path.split("/")[0] not in COMPONENT_IDS]
    return list(dict.fromkeys(found))


def candidates(path: str, root: Path = ROOT) -> list[Path]:
    """Where a named path may live, by the rules of the module docstring."""
    places = [root / path]
    first, _, rest = path.partition("/")
    if first in PACKAGES:
        places.append(root / PACKAGES[first] / "src" / first / rest)
    else:
        places += [
            root / "quickscale_core" / "src" / p / path
            for p in ("quickscale_core", "quickscale_toolchain")
        ]
    return places


def exists(path: str, root: Path = ROOT) -> bool:
    """Whether the path (a <placeholder> matching any one name) names something real."""
    for place in candidates(path.rstrip("/"), root):
        relative = place.relative_to(root).as_posix()
        if PLACEHOLDER.search(relative):
            if any(root.glob(PLACEHOLDER.sub("*", relative))):
                return True
        elif place.exists():
            return True
    return False


def missing(text: str, root: Path = ROOT) -> list[str]:
    return [path for path in named_paths(text) if not exists(path, root)]


def test_the_doc_names_paths_of_both_halves() -> None:
    paths = named_paths(ARCHITECTURE.read_text())
    assert len(paths) >= 40
    rooms = [
        "quickscale_core/settings.py",
        "quickscale_toolchain/config/",
        "quickscale_testing/repos.py",
    ]
    assert [room for room in rooms if room not in paths] == []


def test_every_path_the_doc_names_exists() -> None:
    bad = missing(ARCHITECTURE.read_text())
    assert not bad, f"docs/architecture.md names paths that do not exist: {', '.join(bad)}"


@pytest.mark.parametrize(
    ("named", "found"),
    [
        ("`quickscale_core/tests/test_subtree.py`", True),  # from the root
        ("`quickscale_toolchain/config/`", True),  # package-relative, under src/
        ("`quickscale_cli/launcher.py`", True),
        ("`generator/plan.py`", True),  # core's, no package named
        ("`quickscale_modules/<name>/pyproject.toml`", True),
        ("`modules/<name>`", True),  # a component id: not a path
        ("`settings.py`", True),  # a generated project's file: not checked
        ("`$XDG_CACHE_HOME/quickscale`", True),  # not a path
        ("`quickscale_core/runtime/settings.py`", False),
        ("`tests/test_import_weight.py`", False),  # it lives in quickscale_core/tests/
        ("`schemas/v2.json`", False),  # it is config/schemas/v2.json
        ("`quickscale_modules/<name>/generate/nothing.j2`", False),
    ],
)
def test_a_path_that_does_not_exist_is_named(named: str, found: bool) -> None:
    assert missing(f"The doc says {named} here.") == ([] if found else [named.strip("`")])
