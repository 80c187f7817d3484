"""The project's own Python environment: which interpreter runs its manage.py, which
apps it can import, and the command that installs what it lacks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from quickscale_toolchain import catalog
from quickscale_toolchain.components import Component


def project_python(root: Path) -> str | None:
    """The Python that can run this project's manage.py: its .venv, else ours."""
    for candidate in (root / ".venv" / "bin" / "python", root / ".venv" / "Scripts" / "python.exe"):
        if candidate.is_file():
            return str(candidate)
    probe = subprocess.run(
        [sys.executable, "-c", "import django, environ, quickscale_core"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    return sys.executable if probe.returncode == 0 else None


def project_env() -> dict[str, str]:
    """Our environment without DJANGO_SETTINGS_MODULE: the project's manage.py must
    pick its own settings, not whatever settings module this process runs under."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}


def component_apps(root: Path, components: Sequence[Component]) -> list[str]:
    """The Django apps of ``components`` as embedded in the project (from their manifests)."""
    embedded = catalog.from_directory(root)
    apps = [app for c in components if (e := embedded.get(c)) for app in e.manifest.apps]
    return list(dict.fromkeys(apps))


def missing_apps(
    root: Path, python: str, apps: Sequence[str], distributions: Sequence[str] = ()
) -> list[str]:
    """Which of ``apps`` the project's Python cannot import, and which of
    ``distributions`` (pinned names) it lacks; all of them if it cannot run."""
    if not apps and not distributions:
        return []
    probe = subprocess.run(
        [
            python,
            str(Path(__file__).with_name("app_probe.py")),
            *apps,
            *(f"dist:{name}" for name in distributions),
        ],
        cwd=root,
        env=project_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return [*apps, *distributions]
    return probe.stdout.split()


def install_command(root: Path, python: str) -> str:
    """The exact command that installs the project's requirements into ``python``'s
    environment, as typed from the project directory."""
    for relative in (Path(".venv/bin/python"), Path(".venv/Scripts/python.exe")):
        if (root / relative).is_file() and Path(python) == root / relative:
            return f"{relative.parent / 'pip'} install -r requirements-dev.txt"
    return f"{python} -m pip install -r requirements-dev.txt"
