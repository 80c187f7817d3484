"""Helpers shared by the CLI tests that work on a project directory of their own."""

from __future__ import annotations

import subprocess
from pathlib import Path


def minimal_project(root: Path, config_text: str) -> Path:
    """A project at ``root`` that the config's filesystem rules accept: the ``acme``
    package with its backend_extensions.py and the default frontend variant, so that
    only ``config_text`` (written as quickscale.yml) decides what validation reports."""
    (root / "acme").mkdir(parents=True)
    (root / "acme" / "backend_extensions.py").write_text("")
    (root / "custom_frontend" / "variants" / "default").mkdir(parents=True)
    (root / "quickscale.yml").write_text(config_text)
    return root


def run(quickscale_bin: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real console script as a user would, capturing its output."""
    return subprocess.run(
        [quickscale_bin, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )
