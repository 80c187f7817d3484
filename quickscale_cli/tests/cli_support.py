"""Helpers shared by the CLI tests that work on a project directory of their own."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
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


def init_with_config(
    run_cli: Callable[..., subprocess.CompletedProcess[str]], parent: Path, **keys: object
) -> Path:
    """A real `quickscale init acme` in ``parent`` whose quickscale.yml then gets ``keys``
    (e.g. ``modules=…, environments=…``), written back as YAML. Returns the project."""
    import yaml

    result = run_cli("init", "acme", cwd=parent)
    assert result.returncode == 0, result.stderr
    root = parent / "acme"
    data = yaml.safe_load((root / "quickscale.yml").read_text())
    data.update(keys)
    (root / "quickscale.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    return root
