"""``preview``, ``generate`` and ``status`` of an existing project, as library calls.

The names ``quickscale_toolchain.api`` drives. They stay re-exported here because that
same api.py also drives a core from before the toolchain package (API version 1, see
quickscale_cli/legacy.py), where all of this lived in this module. Each job lives in
its own module:

- project_files: what the config renders to (render_project, managed_files);
- discovery: which project a command acts on (find_project_root);
- sync: plan (writes nothing), then apply (plan_project, apply_plan, the subtrees);
- project_env: the project's own Python (project_python, missing_apps, install_command);
- migrate: its manage.py migrate and makemigrations (MigrationOutcome);
- status: ``quickscale status`` (project_status, StatusReport).
"""

from __future__ import annotations

from quickscale_toolchain.generator.discovery import find_project_root
from quickscale_toolchain.generator.migrate import MigrationOutcome, migrate_project, migrations
from quickscale_toolchain.generator.project_env import (
    component_apps,
    install_command,
    missing_apps,
    project_python,
)
from quickscale_toolchain.generator.project_files import NOT_MANAGED, managed_files, render_project
from quickscale_toolchain.generator.status import StatusReport, project_status
from quickscale_toolchain.generator.sync import (
    apply_components,
    apply_plan,
    models_changed,
    plan_project,
    prepare_components,
)

__all__ = [
    "NOT_MANAGED",
    "MigrationOutcome",
    "StatusReport",
    "apply_components",
    "apply_plan",
    "component_apps",
    "find_project_root",
    "install_command",
    "managed_files",
    "migrate_project",
    "migrations",
    "missing_apps",
    "models_changed",
    "plan_project",
    "prepare_components",
    "project_python",
    "project_status",
    "render_project",
]
