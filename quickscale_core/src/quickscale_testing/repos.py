"""Helpers for test suites that need real QuickScale source repositories.

`init` embeds shared code from a source repository's *committed* history, so a test
that wants to exercise the code in the working tree builds a throwaway source
repository from it first. Used by the monorepo's own suites; also handy to module
authors testing against a local checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

TEST_IDENTITY = {
    "GIT_AUTHOR_NAME": "QuickScale Tests",
    "GIT_AUTHOR_EMAIL": "tests@quickscale.invalid",
    "GIT_COMMITTER_NAME": "QuickScale Tests",
    "GIT_COMMITTER_EMAIL": "tests@quickscale.invalid",
}

_IGNORED = shutil.ignore_patterns(
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".artifacts",
    "*.egg-info",
    ".venv",
    "build",
    "dist",
    ".hypothesis",
)


def monorepo_root() -> Path:
    """The checkout this module lives in (quickscale_core/src/quickscale_testing/repos.py)."""
    return Path(__file__).resolve().parents[3]


def all_components(root: Path | None = None) -> tuple[str, ...]:
    """Everything a generated project may embed: core, then every theme and module
    folder of the checkout (the folders are the catalogue; nothing is listed here)."""
    from quickscale_toolchain.components import embedded

    root = root or monorepo_root()
    return ("quickscale_core", *(c.prefix for c in embedded(root)))


def make_source_repo(
    dest: Path,
    components: Iterable[str] | None = None,
    *,
    root: Path | None = None,
) -> Path:
    """Copy ``components`` (default: all) of the working tree into a new git repository
    at ``dest``."""
    root = root or monorepo_root()
    components = all_components(root) if components is None else components
    dest.mkdir(parents=True, exist_ok=True)
    for component in components:
        shutil.copytree(root / component, dest / component, ignore=_IGNORED)
    env = {**os.environ, **TEST_IDENTITY}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "source"]):
        subprocess.run(["git", *args], cwd=dest, env=env, check=True, capture_output=True)
    return dest


def bump_patch(component_dir: Path) -> str:
    """Raise the ``[project] version`` of ``component_dir``'s pyproject.toml to the next
    release and return it: a newer release for an update to find, whatever the real
    component's version is today (``0.3.0.dev0`` becomes ``0.3.0``, ``0.3.0`` ``0.3.1``)."""
    pyproject = component_dir / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    match = re.search(r'(?m)^version = "(\d+)\.(\d+)\.(\d+)(\.dev\d+)?"', text)
    assert match, f"{pyproject} has no [project] version of the form X.Y.Z or X.Y.Z.devN"
    major, minor, patch, dev = match.groups()
    version = f"{major}.{minor}.{int(patch) + (0 if dev else 1)}"
    pyproject.write_text(
        text[: match.start()] + f'version = "{version}"' + text[match.end() :], encoding="utf-8"
    )
    return version
