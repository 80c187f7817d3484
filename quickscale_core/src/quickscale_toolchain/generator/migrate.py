"""The project's ``manage.py migrate`` and ``makemigrations``, run in its own Python.

Each returns a MigrationOutcome: ran (with the combined output), or the exact command
to run by hand when the project's environment is absent or lacks the apps.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain.components import Component
from quickscale_toolchain.generator.project_env import (
    component_apps,
    install_command,
    missing_apps,
    project_env,
    project_python,
)


@dataclass(frozen=True)
class MigrationOutcome:
    """What happened to migrations: ran (with output), or the command to run."""

    ran: bool
    ok: bool
    command: str
    output: str


def migrate_project(root: Path, components: Sequence[Component]) -> MigrationOutcome:
    """``manage.py migrate`` after embedding ``components``, when the project's
    environment is present and can import their apps (named by their manifests); else
    the exact commands to run."""
    command = "python manage.py migrate"
    python = project_python(root)
    if python is None:
        return MigrationOutcome(False, True, command, "")
    if missing_apps(root, python, component_apps(root, components)):
        return MigrationOutcome(False, True, f"{install_command(root, python)} && {command}", "")
    return run_manage(python, root, ["migrate", "--noinput"], command)


def migrations(root: Path, app: str, *, check: bool = False) -> MigrationOutcome:
    """Run ``manage.py makemigrations APP`` when the project's environment is present.

    With ``check``, only ask whether migrations are missing (``--check --dry-run``).
    """
    command = f"python manage.py makemigrations {app}"
    python = project_python(root)
    if python is None:
        return MigrationOutcome(False, True, command, "")
    extra = ["--check", "--dry-run"] if check else []
    return run_manage(python, root, ["makemigrations", app, "--noinput", *extra], command)


def run_manage(python: str, root: Path, args: list[str], command: str) -> MigrationOutcome:
    """Run ``manage.py ARGS`` in the project's Python; ``command`` is what to tell the
    user to run by hand. The combined output is kept for the CLI to show."""
    proc = subprocess.run(
        [python, "manage.py", *args],
        cwd=root,
        env=project_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    output = (proc.stdout + proc.stderr).strip()
    return MigrationOutcome(True, proc.returncode == 0, command, output)
