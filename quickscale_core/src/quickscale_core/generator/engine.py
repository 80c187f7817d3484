"""``preview``, ``generate`` and ``status`` of an existing project, as library calls.

plan_project() computes (writes nothing); apply_plan() writes every file atomically,
then the ownership records; migrations() runs the project's makemigrations when the
project's Python environment can. The CLI only formats what these return.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quickscale_core import catalog
from quickscale_core.changes import ComponentStatus
from quickscale_core.components import Component
from quickscale_core.errors import ConfigError, UsageError
from quickscale_core.generator import embed, ownership, transaction, wiring
from quickscale_core.generator.atomic import remove_file, remove_stale_temporaries, write_atomic
from quickscale_core.generator.config_adapter import CONFIG_FILE, load_spec
from quickscale_core.generator.confine import check_confined
from quickscale_core.generator.context import ProjectSpec, normalize_frontend_source
from quickscale_core.generator.plan import Plan, Status, compute_plan, removed_models
from quickscale_core.generator.render import RenderedFile, render_tree
from quickscale_core.source import Source

# Files the generator renders once at ``init`` and then never manages: the config is
# the user's input, not the generator's output.
NOT_MANAGED = frozenset({CONFIG_FILE})


def render_project(spec: ProjectSpec) -> dict[str, RenderedFile]:
    """Every file ``init`` writes for ``spec`` (except .env and the embedded subtrees):
    core's project template, then the files the theme and modules contribute, which
    replace core's at the same path (e.g. the theme's user model)."""
    context = spec.template_context()
    files = render_tree("project", context)
    files.update(spec.render_contributions(context))
    _append_backend_extensions(files, spec, context)
    return dict(sorted(files.items()))


def _append_backend_extensions(
    files: dict[str, RenderedFile], spec: ProjectSpec, context: dict[str, Any]
) -> None:
    """The stubs components add to backend_extensions.py (manifest ``backend-extensions``),
    after whatever the template or the theme wrote there, each under a comment saying
    where it comes from."""
    path = f"{spec.name}/backend_extensions.py"
    snippets = spec.wiring.backend_extension_snippets(context)
    if path not in files or not snippets:
        return
    text = files[path].content.decode("utf-8").rstrip("\n") + "\n"
    for component, where, snippet in snippets:
        text += f"\n\n# {component}: written from {where}\n{snippet}\n"
    files[path] = dataclasses.replace(files[path], content=text.encode("utf-8"))


def managed_files(spec: ProjectSpec) -> dict[str, RenderedFile]:
    """The files ``generate`` owns for ``spec``: path -> rendered file."""
    return {p: f for p, f in render_project(spec).items() if p not in NOT_MANAGED}


def find_project_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding a quickscale.yml."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    raise UsageError(
        f"no {CONFIG_FILE} in {start} or any parent directory",
        "run the command inside a project made by 'quickscale init', or pass --directory",
    )


def _check_variant(root: Path, spec: ProjectSpec, files: dict[str, RenderedFile]) -> None:
    source = normalize_frontend_source(spec.frontend_source)
    folder = f"{source}/variants/{spec.frontend_variant}"
    generated = any(path.startswith(folder + "/") for path in files)
    if not generated and not (root / folder).is_dir():
        raise ConfigError(
            f"frontend.variant '{spec.frontend_variant}' has no folder {folder}/",
            f"create it (e.g. copy {source}/variants/default/) or pick an existing variant",
        )


def plan_project(root: Path, spec: ProjectSpec | None = None) -> Plan:
    """The plan that brings the project at ``root`` in line with its config."""
    root = root.resolve()
    spec = spec or load_spec(root)
    files = managed_files(spec)
    _check_variant(root, spec, files)
    plan = compute_plan(root, files)
    plan.components = embed.plan_components(root, spec.components)
    check_confined(root, [op.prefix for op in plan.components])  # folders to embed or remove
    for op in plan.components:
        if op.status is ComponentStatus.REMOVE:
            plan.warnings.append(wiring.removal_warning(op.component, spec.components_catalog()))
    models_path = f"{spec.name}/generated_models.py"
    gone = removed_models(plan.previous.bases.get(models_path), plan.records.get(models_path))
    for name in gone:
        plan.warnings.append(
            f"model {name} was removed from {CONFIG_FILE}: its table "
            f"{spec.name}_{name.lower()} and every row in it will be DROPPED by the next "
            f"'manage.py migrate'; back the data up first "
            f"('python manage.py dumpdata {spec.name}.{name} > {name.lower()}.json'), "
            "or put the model back in the config"
        )
    return plan


def apply_plan(plan: Plan) -> None:
    """Write the plan: each file atomically, then the records (bases, manifest last).

    Every step is idempotent, so a run killed at any point converges when rerun: a file
    already equal to its new render plans as unchanged, and the records catch up.
    """
    root = plan.root
    touched = {(root / op.path).parent for op in plan.ops}
    touched |= {ownership.base_path(root, path).parent for path in plan.records}
    remove_stale_temporaries(touched | {root / ownership.RECORDS_DIR})
    for op in plan.ops:
        if not op.writes:
            continue
        target = root / op.path
        if op.new is None:
            remove_file(target, root)
        else:
            executable = op.executable or (target.exists() and os.access(target, os.X_OK))
            write_atomic(target, op.new, executable=executable)
    if not plan.records_current:
        ownership.write(root, plan.records, plan.previous)


def prepare_components(plan: Plan, source: str | None = None) -> Source | None:
    """Check, changing nothing, that the plan's subtrees can be embedded or removed; return
    the source to embed from (None when there is nothing to embed or remove).

    Refuses with DirtyTreeError when a folder to embed or remove holds uncommitted
    changes, and with a SourceError when the source lacks a wanted component.
    """
    if not plan.components:
        return None
    from quickscale_core.source import check_components, resolve_source

    embed.require_clean_prefixes(plan.root, plan.components)
    resolved = resolve_source(source)
    wanted = [op.component.id for op in plan.components if op.status is ComponentStatus.EMBED]
    check_components(resolved, wanted)
    return resolved


def apply_components(plan: Plan, source: Source | None) -> list[str]:
    """Embed or remove the plan's subtrees (before apply_plan writes the files), from the
    source prepare_components() checked. Returns one line per change made."""
    if not plan.components or source is None:
        return []
    return embed.apply_components(plan.root, plan.components, source)


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
    return _run_manage(python, root, ["migrate", "--noinput"], command)


def component_apps(root: Path, components: Sequence[Component]) -> list[str]:
    """The Django apps of ``components`` as embedded in the project (from their manifests)."""
    embedded = catalog.from_directory(root)
    apps = [app for c in components if (e := embedded.get(c)) for app in e.manifest.apps]
    return list(dict.fromkeys(apps))


def missing_apps(root: Path, python: str, apps: Sequence[str]) -> list[str]:
    """Which of ``apps`` the project's Python cannot import (all of them if it cannot run)."""
    if not apps:
        return []
    probe = subprocess.run(
        [python, str(Path(__file__).with_name("app_probe.py")), *apps],
        cwd=root,
        env=_project_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return list(apps)
    return probe.stdout.split()


def install_command(root: Path, python: str) -> str:
    """The exact command that installs the project's requirements into ``python``'s
    environment, as typed from the project directory."""
    for relative in (Path(".venv/bin/python"), Path(".venv/Scripts/python.exe")):
        if (root / relative).is_file() and Path(python) == root / relative:
            return f"{relative.parent / 'pip'} install -r requirements-dev.txt"
    return f"{python} -m pip install -r requirements-dev.txt"


@dataclass(frozen=True)
class MigrationOutcome:
    """What happened to migrations: ran (with output), or the command to run."""

    ran: bool
    ok: bool
    command: str
    output: str


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


def migrations(root: Path, app: str, *, check: bool = False) -> MigrationOutcome:
    """Run ``manage.py makemigrations APP`` when the project's environment is present.

    With ``check``, only ask whether migrations are missing (``--check --dry-run``).
    """
    command = f"python manage.py makemigrations {app}"
    python = project_python(root)
    if python is None:
        return MigrationOutcome(False, True, command, "")
    extra = ["--check", "--dry-run"] if check else []
    return _run_manage(python, root, ["makemigrations", app, "--noinput", *extra], command)


def _project_env() -> dict[str, str]:
    """Our environment without DJANGO_SETTINGS_MODULE: the project's manage.py must
    pick its own settings, not whatever settings module this process runs under."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}


def _run_manage(python: str, root: Path, args: list[str], command: str) -> MigrationOutcome:
    """Run ``manage.py ARGS`` in the project's Python; ``command`` is what to tell the
    user to run by hand. The combined output is kept for the CLI to show."""
    proc = subprocess.run(
        [python, "manage.py", *args],
        cwd=root,
        env=_project_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    output = (proc.stdout + proc.stderr).strip()
    return MigrationOutcome(True, proc.returncode == 0, command, output)


def models_changed(plan: Plan, spec: ProjectSpec) -> bool:
    """Whether this plan changes the generated models module."""
    path = f"{spec.name}/generated_models.py"
    return any(op.path == path and op.writes for op in plan.ops)


@dataclass(frozen=True)
class StatusReport:
    """``quickscale status``: what is generated, what the user changed, and sync state."""

    generated: list[str]
    user_modified: list[str]
    deleted_by_user: list[str]
    pending: list[tuple[str, str]]  # (path, status) a generate would apply
    conflicts: list[str]
    warnings: list[str]
    # "ok", "missing" (makemigrations would create some), "unchecked" (no project
    # environment, or not asked), or "error: <message>" (the project does not load)
    migrations: str = "unchecked"
    migrations_command: str = ""

    @property
    def in_sync(self) -> bool:
        return not self.pending and not self.conflicts and self.migrations != "missing"


def _migration_state(root: Path, app: str) -> tuple[str, str]:
    outcome = migrations(root, app, check=True)
    if not outcome.ran:
        return "unchecked", outcome.command
    if outcome.ok:
        return "ok", outcome.command
    if "Migrations for" in outcome.output:
        return "missing", outcome.command
    lines = outcome.output.splitlines() or ["(no output)"]
    return f"error: {lines[-1]}", outcome.command


def project_status(root: Path, *, check_migrations: bool = True) -> StatusReport:
    """Compare config, records, files (and migrations, by Django); writes nothing."""
    root = root.resolve()
    spec = load_spec(root)
    plan = plan_project(root, spec)
    pending = [(op.path, op.status.value) for op in plan.changes]
    pending += [(p, "records") for p in ([] if plan.records_current else [ownership.MANIFEST])]
    pending += [(f"{op.prefix}/", op.status.value) for op in plan.components]
    owed = transaction.load(root)
    if not owed.empty and not owed.only_migrations_owed:  # a generate stopped half-way
        pending.append((transaction.PENDING, "unfinished"))
    state, command = _migration_state(root, spec.name) if check_migrations else ("unchecked", "")
    return StatusReport(
        generated=sorted(plan.previous.paths),
        user_modified=[op.path for op in plan.ops if op.user_modified],
        deleted_by_user=[op.path for op in plan.by_status(Status.DELETED_BY_USER)],
        pending=pending,
        conflicts=[op.path for op in plan.conflicts],
        warnings=plan.warnings,
        migrations=state,
        migrations_command=command,
    )
