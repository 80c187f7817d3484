"""Helpers for test suites that need real QuickScale source repositories.

`init` embeds shared code from a source repository's *committed* history, so a test
that wants to exercise the code in the working tree builds a throwaway source
repository from it first. Used by the monorepo's own suites; also handy to module
authors testing against a local checkout.
"""

from __future__ import annotations

import os
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
    """The checkout this module lives in (quickscale_core/src/quickscale_core/testing.py)."""
    return Path(__file__).resolve().parents[3]


#: Everything a generated project may embed: core, the themes and the modules.
ALL_COMPONENTS = (
    "quickscale_core",
    "quickscale_themes/starter",
    "quickscale_themes/todo",
    "quickscale_modules/auth",
    "quickscale_modules/notifications",
)


def make_source_repo(
    dest: Path,
    components: Iterable[str] = ALL_COMPONENTS,
    *,
    root: Path | None = None,
) -> Path:
    """Copy ``components`` of the working tree into a new git repository at ``dest``."""
    root = root or monorepo_root()
    dest.mkdir(parents=True, exist_ok=True)
    for component in components:
        shutil.copytree(root / component, dest / component, ignore=_IGNORED)
    env = {**os.environ, **TEST_IDENTITY}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "source"]):
        subprocess.run(["git", *args], cwd=dest, env=env, check=True, capture_output=True)
    return dest
