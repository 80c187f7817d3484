"""The one API the quickscale CLI calls on a project's embedded toolchain.

Inside a project the CLI re-runs ``validate``, ``preview``, ``generate``, ``status``
and ``deploy`` with the project's own ``quickscale_core/src`` first on ``sys.path``, so
this module is the *project's* copy, possibly older or newer than the CLI. The CLI
negotiates by :data:`API_VERSION` (see ``quickscale_cli.launcher``), never by a package
version: a change to a request, a result or a status below is a new version.

The shape is small and typed: each function takes a request, returns a result and raises
:class:`QuickScaleError` (its ``exit_code`` and ``hint`` are the CLI's); statuses are
enum members. Only the standard library and ``errors`` are imported here at import
time, so a CLI that drives an older embedded toolchain through an adapter can still use
these types (``quickscale_cli.legacy``): every other toolchain module is imported inside
the function that needs it, and only names that core's old layout also has (hence
``generator.engine``'s re-exports), so the same functions drive it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from quickscale_toolchain.errors import ExitCode, QuickScaleError

if TYPE_CHECKING:
    # One located problem of a quickscale.yml (file:line:col, key path, fix).
    from quickscale_toolchain.config.diagnostics import Diagnostic as Diagnostic
    from quickscale_toolchain.generator.context import ProjectSpec
    from quickscale_toolchain.generator.plan import Plan
    from quickscale_toolchain.generator.renames import Rename
    from quickscale_toolchain.generator.transaction import Pending
    from quickscale_toolchain.source import Source

#: Bumped on any change to a request, a result or a status of this module.
API_VERSION = 2
CONFIG_FILE = "quickscale.yml"

__all__ = [
    "API_VERSION",
    "CONFIG_FILE",
    "Check",
    "CheckState",
    "ComponentAction",
    "ComponentChange",
    "DeployPlan",
    "DeployRequest",
    "DeployResult",
    "DeployStep",
    "DeployTarget",
    "EnvironmentLacking",
    "EnvironmentRequest",
    "EnvironmentResult",
    "ExitCode",
    "FileChange",
    "FileStatus",
    "GenerateInterrupted",
    "GenerateOutcome",
    "GenerateRequest",
    "GenerateResult",
    "MigrationState",
    "MigrationsFailed",
    "OutOfSync",
    "PendingState",
    "PlanRequest",
    "PlanResult",
    "PreflightResult",
    "QuickScaleError",
    "StatusRequest",
    "StatusResult",
    "ValidateRequest",
    "ValidateResult",
    "deploy",
    "deploy_plan",
    "environment",
    "find_project",
    "generate",
    "last_deploy",
    "pending_state",
    "plan",
    "preflight",
    "prepare_deploy",
    "status",
    "supports_deploy",
    "validate",
]


class FileStatus(enum.Enum):
    """A generated file's fate in a plan (generator/plan.py's decision table)."""

    NEW = "new"
    UNCHANGED = "unchanged"
    UPDATED = "updated"
    MERGED = "merged"
    CONFLICT = "conflict"
    DELETED_BY_USER = "deleted-by-user"
    REMOVED = "removed"
    KEPT = "kept"


class ComponentAction(enum.Enum):
    """What generate does to a theme's or module's subtree."""

    EMBED = "embed"
    REMOVE = "remove"


class PendingState(enum.Enum):
    """Why a path is out of sync in ``status`` when it is neither a file's
    :class:`FileStatus` nor a subtree's :class:`ComponentAction` (see :data:`OutOfSync`)."""

    RECORDS = "records"  # the records in .quickscale/ are behind
    UNFINISHED = "unfinished"  # a generate stopped before its migration or commit


#: What a generate would still do to a path that ``status`` finds out of sync.
OutOfSync: TypeAlias = FileStatus | ComponentAction | PendingState


def pending_state(word: str) -> OutOfSync:
    """The member a status report's word names, whichever of the three enums holds it."""
    for kind in (FileStatus, ComponentAction, PendingState):
        try:
            return kind(word)
        except ValueError:
            continue
    raise ValueError(f"{word!r} is no pending state of API version {API_VERSION}")


class MigrationState(enum.Enum):
    """Whether ``makemigrations`` would create a migration (Django answers)."""

    OK = "ok"
    MISSING = "missing"
    UNCHECKED = "unchecked"  # no project environment, or not asked
    ERROR = "error"  # the project does not load (StatusResult.migrations_error says why)


class GenerateOutcome(enum.Enum):
    NOTHING_TO_DO = "nothing-to-do"
    DONE = "done"
    CONFLICTS = "conflicts"  # files hold conflict markers; the run stopped before migrating


class GenerateInterrupted(QuickScaleError):
    """Interrupted between atomic file writes: rerunning finishes the job."""

    exit_code = ExitCode.INTERRUPTED


class EnvironmentLacking(QuickScaleError):
    """The project's Python cannot import what the new config needs: install, then rerun."""


class MigrationsFailed(QuickScaleError):
    """manage.py failed: the files are written, the migration step is still owed."""


def _ignore(line: str) -> None:
    """Progress nobody asked to see."""


# --- validate ----------------------------------------------------------------------


@dataclass(frozen=True)
class ValidateRequest:
    path: Path  # the quickscale.yml to check
    file: str = CONFIG_FILE  # how diagnostics name it


@dataclass(frozen=True)
class ValidateResult:
    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    schema_version: int | None


def validate(request: ValidateRequest) -> ValidateResult:
    """Every problem of a quickscale.yml, its theme and modules checked against the
    manifests of the components the project embeds and those its source offers."""
    from quickscale_toolchain.catalog import for_project
    from quickscale_toolchain.config import validate_path

    path = request.path
    result = validate_path(path, file=request.file, components=for_project(path.parent))
    return ValidateResult(result.ok, tuple(result.diagnostics), result.schema_version)


# --- plan (preview) ----------------------------------------------------------------


def find_project(start: Path) -> Path:
    """The project a command acts on: ``start`` or the nearest parent with a
    quickscale.yml (UsageError, exit 2, when there is none)."""
    from quickscale_toolchain.generator.engine import find_project_root

    return find_project_root(start)


@dataclass(frozen=True)
class PlanRequest:
    root: Path
    source: str | None = None  # where themes and modules come from (None: the default)


@dataclass(frozen=True)
class FileChange:
    path: str
    status: FileStatus
    writes: bool  # applying it changes the file on disk
    user_modified: bool  # the file on disk differs from the last render
    diff: str  # unified diff of what it writes ("" when it writes nothing)


@dataclass(frozen=True)
class ComponentChange:
    component: str  # "module:auth"
    prefix: str  # "quickscale_modules/auth"
    action: ComponentAction
    description: str  # one line for preview and generate


@dataclass(frozen=True)
class PlanResult:
    root: Path
    files: tuple[FileChange, ...]
    components: tuple[ComponentChange, ...]
    warnings: tuple[str, ...]
    nothing_to_do: bool
    json: dict[str, Any] = field(repr=False)  # ``preview --format json``

    @property
    def changes(self) -> tuple[FileChange, ...]:
        return tuple(change for change in self.files if change.writes)

    @property
    def conflicts(self) -> tuple[FileChange, ...]:
        return tuple(change for change in self.files if change.status is FileStatus.CONFLICT)

    def counts(self) -> dict[FileStatus, int]:
        """Files per status, in the order of :class:`FileStatus`, zeros left out."""
        found = {status: 0 for status in FileStatus}
        for change in self.files:
            found[change.status] += 1
        return {status: count for status, count in found.items() if count}


def plan(request: PlanRequest) -> PlanResult:
    """What ``generate`` would do, file by file and subtree by subtree; writes nothing."""
    from quickscale_toolchain.generator.config_adapter import load_spec
    from quickscale_toolchain.generator.engine import plan_project

    root = request.root.resolve()
    return _plan_result(plan_project(root, load_spec(root, request.source)))


def _plan_result(internal: Plan) -> PlanResult:
    files = tuple(
        FileChange(op.path, FileStatus(op.status.value), op.writes, op.user_modified, op.diff())
        for op in internal.ops
    )
    components = tuple(
        ComponentChange(op.component.id, op.prefix, ComponentAction(op.status.value), op.describe())
        for op in internal.components
    )
    return PlanResult(
        internal.root,
        files,
        components,
        tuple(internal.warnings),
        internal.nothing_to_do,
        internal.as_json(),
    )


# --- status ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusRequest:
    root: Path
    check_migrations: bool = True  # ask Django whether a migration is missing


@dataclass(frozen=True)
class StatusResult:
    generated: tuple[str, ...]
    user_modified: tuple[str, ...]
    deleted_by_user: tuple[str, ...]
    pending: tuple[tuple[str, OutOfSync], ...]  # what a generate would apply
    conflicts: tuple[str, ...]
    warnings: tuple[str, ...]
    migrations: MigrationState
    migrations_error: str  # the last line Django printed, when ERROR
    migrations_command: str
    behind: str  # what generate would still do, in words ("" when nothing)

    @property
    def in_sync(self) -> bool:
        missing = self.migrations is MigrationState.MISSING
        return not self.pending and not self.conflicts and not missing

    def as_json(self) -> dict[str, Any]:
        """``status --format json``: states as their words, ERROR as ``error: why``."""
        migrations = self.migrations.value
        if self.migrations is MigrationState.ERROR:
            migrations = f"error: {self.migrations_error}"
        return {
            "generated": list(self.generated),
            "user_modified": list(self.user_modified),
            "deleted_by_user": list(self.deleted_by_user),
            "pending": [[path, state.value] for path, state in self.pending],
            "conflicts": list(self.conflicts),
            "warnings": list(self.warnings),
            "migrations": migrations,
            "migrations_command": self.migrations_command,
            "in_sync": self.in_sync,
            "generated_behind": self.behind or None,
        }


def status(request: StatusRequest) -> StatusResult:
    """Config, records, files (and migrations, by Django) compared; writes nothing."""
    from quickscale_toolchain.generator.engine import project_status

    report = project_status(request.root, check_migrations=request.check_migrations)
    pending = [(path, str(state)) for path, state in report.pending]
    words = str(report.migrations)
    state = MigrationState(words.split(":", 1)[0])
    return StatusResult(
        generated=tuple(report.generated),
        user_modified=tuple(report.user_modified),
        deleted_by_user=tuple(report.deleted_by_user),
        pending=tuple((path, pending_state(state)) for path, state in pending),
        conflicts=tuple(report.conflicts),
        warnings=tuple(report.warnings),
        migrations=state,
        migrations_error=words.partition(":")[2].strip(),
        migrations_command=report.migrations_command,
        behind=_behind(pending),
    )


def _behind(pending: list[tuple[str, str]]) -> str:
    """In the deploy preflight's words; a toolchain without deploys counts paths."""
    try:
        from quickscale_toolchain.deploy.preflight import generated_behind
    except ImportError:
        return f"{len(pending)} path{'' if len(pending) == 1 else 's'}" if pending else ""
    return generated_behind(pending)


# --- environments and deploys ------------------------------------------------------


def supports_deploy() -> bool:
    """Whether this toolchain has environments and deploys (``preview --env``, ``deploy``)."""
    import importlib.util

    return importlib.util.find_spec("quickscale_toolchain.deploy") is not None


@dataclass(frozen=True)
class EnvironmentRequest:
    root: Path
    name: str


@dataclass(frozen=True)
class EnvironmentResult:
    name: str
    effective: dict[str, Any]  # quickscale.yml with the environment's overrides applied
    config_hash: str


def environment(request: EnvironmentRequest) -> EnvironmentResult:
    """Environment ``name`` of the project, resolved (UsageError when it has none)."""
    from quickscale_toolchain.deploy.environment import load_environment

    env = load_environment(request.root, request.name)
    return EnvironmentResult(request.name, env.effective, env.config_hash)


class CheckState(enum.Enum):
    OK = "ok"
    FAILED = "FAIL"
    SKIPPED = "skip"


@dataclass(frozen=True)
class Check:
    """One step of a deploy's preflight, as ``deploy`` lists it."""

    name: str
    state: CheckState
    skipped: str = ""  # why it did not run


@dataclass(frozen=True)
class DeployRequest:
    root: Path
    environment: str
    skip_tests: bool = False  # the preflight does not run the project's tests
    echo: Callable[[str], None] = _ignore  # the target's progress, one line at a time


@dataclass(frozen=True)
class DeployTarget:
    """What ``prepare_deploy`` found: the target, and the stops it passed."""

    target: str | None  # "compose", "fly", or None (not set)
    passed: tuple[Check, ...]


@dataclass(frozen=True)
class PreflightResult:
    checks: tuple[Check, ...]
    problems: tuple[str, ...]  # one line each

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class DeployStep:
    description: str
    command: str  # as shown, secrets by name only
    rollback: bool  # runs only when the switch fails


@dataclass(frozen=True)
class DeployPlan:
    target: str
    config_hash: str
    secrets: tuple[str, ...]  # the variables the site receives (names only)
    steps: tuple[DeployStep, ...]
    files: dict[str, str]  # name -> content, written to a temporary directory


@dataclass(frozen=True)
class DeployResult:
    target: str
    tag: str  # the git tag that records it


def prepare_deploy(request: DeployRequest) -> DeployTarget:
    """The two stops before a preflight, each one line: the generated code must match
    quickscale.yml, and the target's tool must be installed."""
    from quickscale_toolchain.deploy.environment import load_environment
    from quickscale_toolchain.deploy.preflight import require_generated, require_tool

    env = load_environment(request.root, request.environment)
    require_generated(request.root)
    tool = require_tool(env)
    passed = [Check("generated code matches quickscale.yml", CheckState.OK)]
    passed += [Check(f"{tool} installed", CheckState.OK)] if tool else []
    return DeployTarget(env.config.target, tuple(passed))


def preflight(request: DeployRequest) -> PreflightResult:
    """Every check of the preflight, in order, run in the project's environment."""
    from quickscale_toolchain.deploy.environment import load_environment
    from quickscale_toolchain.deploy.preflight import deploy_variables, run_preflight

    env = load_environment(request.root, request.environment)
    variables = deploy_variables(request.root, request.environment)
    report = run_preflight(env, variables, skip_tests=request.skip_tests)
    checks = tuple(
        Check(
            check.name,
            CheckState.SKIPPED
            if check.skipped
            else (CheckState.OK if check.ok else CheckState.FAILED),
            check.skipped,
        )
        for check in report.checks
    )
    return PreflightResult(checks, tuple(report.problems))


def deploy_plan(request: DeployRequest) -> DeployPlan:
    """What ``deploy`` would run and write, with a placeholder for its temporary folder."""
    import tempfile

    from quickscale_toolchain.deploy.environment import load_environment
    from quickscale_toolchain.deploy.preflight import deploy_variables
    from quickscale_toolchain.deploy.targets import plan_target

    env = load_environment(request.root, request.environment)
    variables = deploy_variables(request.root, request.environment)
    workdir = Path(tempfile.gettempdir()) / "quickscale-deploy-<temporary>"
    plan = plan_target(env, variables, workdir)
    steps = tuple(
        DeployStep(step.description, step.shown(), step.role == "rollback") for step in plan.steps
    )
    return DeployPlan(plan.target, env.config_hash, plan.secrets, steps, dict(plan.files))


def deploy(request: DeployRequest) -> DeployResult:
    """Ship the committed project with the environment's target, then record it as a tag."""
    from quickscale_toolchain.deploy.apply import deploy as ship
    from quickscale_toolchain.deploy.environment import load_environment
    from quickscale_toolchain.deploy.preflight import deploy_variables
    from quickscale_toolchain.deploy.record import record_deploy

    env = load_environment(request.root, request.environment)
    variables = deploy_variables(request.root, request.environment)
    plan = ship(env, variables, request.echo)
    record = record_deploy(request.root, request.environment, plan.target, env.config_hash)
    return DeployResult(plan.target, record.tag)


def last_deploy(request: DeployRequest) -> tuple[str, ...] | None:
    """The last recorded deploy of the environment, as ``deploy --status`` shows it."""
    from quickscale_toolchain.deploy.record import last_deploy as last

    record = last(request.root, request.environment)
    return None if record is None else tuple(record.lines())


# --- generate ----------------------------------------------------------------------


@dataclass(frozen=True)
class GenerateRequest:
    root: Path
    source: str | None = None
    migrations: bool = True  # makemigrations after model changes, migrate after embeds
    commit: bool = True  # end with one commit of what changed (in a git repository)
    renames: tuple[str, ...] = ()  # OLD=NEW: keep the rows of a renamed model or field
    drops: tuple[str, ...] = ()  # NAME: drop a model or field the config seems to rename
    command: str = "quickscale generate"  # this command as typed again, for fixes
    echo: Callable[[str], None] = _ignore  # progress, one line at a time (stdout)
    warn: Callable[[str], None] = _ignore  # warnings, without "warning: " (stderr)


@dataclass(frozen=True)
class GenerateResult:
    outcome: GenerateOutcome
    plan: PlanResult
    conflicts: tuple[str, ...] = ()  # paths left with conflict markers
    commit: str | None = None  # the commit made, if any


def generate(request: GenerateRequest) -> GenerateResult:
    """Bring the project in line with quickscale.yml: embed or remove subtrees, write the
    plan, make the migrations, commit. Before anything changes, what the run owes is
    written down (generator/transaction.py), so a run stopped at any point (a conflict,
    a venv that lacks a new module, Ctrl-C) is finished by the next one."""
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.config_adapter import load_spec
    from quickscale_toolchain.generator.engine import (
        models_changed,
        plan_project,
        prepare_components,
    )
    from quickscale_toolchain.generator.ownership import RECORDS_DIR
    from quickscale_toolchain.generator.renames import encode_renames

    root = request.root.resolve()
    spec = load_spec(root, request.source)
    internal = plan_project(root, spec)
    pending = transaction.load(root)
    chosen = _renames(root, spec, internal, pending, request)
    internal.warnings = [w for w in internal.warnings if not _renamed_away(w, chosen)]
    for warning in internal.warnings:
        request.warn(warning)
    result = _plan_result(internal)
    if internal.nothing_to_do and (
        pending.empty or (not request.migrations and pending.only_migrations_owed)
    ):
        return GenerateResult(GenerateOutcome.NOTHING_TO_DO, result)
    resolved = prepare_components(internal, request.source)  # refusals here change nothing
    changed_models = models_changed(internal, spec)
    embedded = [op.component for op in internal.components if op.status.value == "embed"]
    if request.migrations and (changed_models or embedded or not pending.empty):
        _require_environment(root, spec, request.command)  # before any write
    # Written down before anything changes, so that a stop at any later point leaves the
    # next run knowing which paths its commit holds and which migrations are still owed.
    pending.add(
        [CONFIG_FILE, RECORDS_DIR, *(op.path for op in internal.ops if op.writes)],
        makemigrations=changed_models,  # owed even without migrations
        migrate=[c.id for c in embedded],  # owed too until a run with migrations
        notes=_notes(result),
    )
    pending.add([op.prefix for op in internal.components])
    pending.renames = encode_renames(chosen)
    try:
        return _apply(root, spec, internal, result, resolved, pending, request)
    except KeyboardInterrupt:
        raise GenerateInterrupted(
            "interrupted: some files are regenerated, others not yet (each is whole)",
            "run 'quickscale generate' again to finish",
        ) from None


def _apply(
    root: Path,
    spec: ProjectSpec,
    internal: Plan,
    result: PlanResult,
    resolved: Source | None,
    pending: Pending,
    request: GenerateRequest,
) -> GenerateResult:
    """Every write of a generate, once what it owes is about to be written down."""
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.engine import apply_components, apply_plan, models_changed

    changed_models = models_changed(internal, spec)
    transaction.save(root, pending)
    for line in apply_components(internal, resolved):
        request.echo(f"  {line}")
    apply_plan(internal)
    shown = {FileStatus.CONFLICT, FileStatus.DELETED_BY_USER, FileStatus.KEPT}
    for change in result.files:
        if change.writes or change.status in shown:
            request.echo(f"  {change.status.value:<16} {change.path}")
    if not internal.nothing_to_do:  # read again: only the records may have been behind
        request.echo(f"Generated: {summary(result)}.")
    if result.conflicts:
        conflicts = tuple(change.path for change in result.conflicts)
        return GenerateResult(GenerateOutcome.CONFLICTS, result, conflicts)
    if request.migrations:
        _migrate(root, spec, pending, request)
    else:
        embedded = [op.component.id for op in internal.components if op.status.value == "embed"]
        _next_steps(root, spec.name, changed_models, embedded, request)
    made = _finish(root, pending, request)
    return GenerateResult(GenerateOutcome.DONE, result, commit=made)


def summary(result: PlanResult) -> str:
    """``2 new, 1 merged, 1 component(s) to embed``: the plan in a few words."""
    parts = [f"{count} {status.value}" for status, count in result.counts().items()]
    for action in ComponentAction:
        number = sum(1 for change in result.components if change.action is action)
        if number:
            parts.append(f"{number} component(s) to {action.value}")
    return ", ".join(parts)


def _renames(
    root: Path, spec: ProjectSpec, internal: Plan, pending: Pending, request: GenerateRequest
) -> tuple[Rename, ...]:
    """The renames to make: refused (nothing written) while quickscale.yml seems to rename
    a model or field and neither --rename nor --drop says what is meant."""
    from quickscale_toolchain.generator.renames import (
        choose_renames,
        decode_renames,
        rename_candidates,
    )

    models = f"{spec.name}/generated_models.py"
    candidates = rename_candidates(
        internal.previous.bases.get(models), internal.records.get(models)
    )
    return choose_renames(
        candidates,
        request.renames,
        request.drops,
        root / CONFIG_FILE,
        command=request.command,
        pending=decode_renames(pending.renames),
    )


def _renamed_away(warning: str, chosen: tuple[Rename, ...]) -> bool:
    """A "model X was removed … DROPPED" warning about a model that is being renamed."""
    from quickscale_toolchain.generator.renames import ModelRename

    return any(
        isinstance(r, ModelRename) and warning.startswith(f"model {r.old} was removed")
        for r in chosen
    )


def _notes(result: PlanResult) -> list[str]:
    """Lines of the commit message: what this run changes, edits of the user's named."""
    notes = [f"{summary(result)} (quickscale.yml as edited)"]
    notes += [f"{change.action.value} {change.prefix}/" for change in result.components]
    merged = [change.path for change in result.changes if change.user_modified]
    if merged:
        notes.append(f"merged with your edits: {', '.join(merged)}")
    return notes


def _next_steps(
    root: Path, app: str, models: bool, embedded: list[str], request: GenerateRequest
) -> None:
    """Without migrations: the commands the user chose to run themselves."""
    where = _cd_prefix(root)
    if models:
        request.echo(
            f"Models changed; their migration is still owed. Next: {where}quickscale generate "
            f"(or python manage.py makemigrations {app})"
        )
    if embedded:
        request.echo(f"Embedded {', '.join(embedded)}. Next: {where}python manage.py migrate")


def _migrate(root: Path, spec: ProjectSpec, pending: Pending, request: GenerateRequest) -> None:
    """Make the migration of changed models and migrate embedded components: the steps a
    rerun still owes when a previous run stopped before them (``pending`` says which)."""
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.engine import project_python
    from quickscale_toolchain.generator.renames import decode_renames, makemigrations_with_renames

    app = spec.name
    if not (pending.makemigrations or pending.migrate):
        return
    python = project_python(root)  # its apps were checked before anything was written
    if pending.makemigrations:
        if python is None:
            raise EnvironmentLacking(
                "the models changed, and the project has no Python environment to make "
                "their migration",
                "run 'python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt', "
                "then 'quickscale generate' again",
            )
        before = transaction.untracked_or_changed(root, f"{app}/migrations")
        outcome = makemigrations_with_renames(root, app, decode_renames(pending.renames))
        if not outcome.ok:
            last = _last_line(outcome.output)
            if "ModuleNotFoundError" in last:
                from quickscale_toolchain.generator.engine import install_command

                raise EnvironmentLacking(
                    f"makemigrations failed: {last}",
                    f"run '{install_command(root, python)}', then 'quickscale generate' again",
                )
            raise MigrationsFailed(
                f"makemigrations failed: {last}",
                "fix that, then run 'quickscale generate' again",
            )
        request.echo(outcome.output)
        after = transaction.untracked_or_changed(root, f"{app}/migrations")
        pending.add(sorted(after - before))
        pending.makemigrations = False
        transaction.save(root, pending)
    if pending.migrate:
        _migrate_components(root, pending, request)


def _require_environment(root: Path, spec: ProjectSpec, typed: str) -> None:
    """Refuse, before anything is written, when the project's venv cannot import every app
    of the new config (its settings will, and makemigrations and migrate load them).

    The fix names the exact install for that venv. An app of a component still to embed
    can only be installed from its embedded folder, so then the fix first writes the code
    (generate --no-migrations, which keeps the migration owed) and installs; either way
    one more generate finishes the job.
    """
    import os

    from quickscale_toolchain import catalog
    from quickscale_toolchain.generator.engine import install_command, missing_apps, project_python

    python = project_python(root)
    if python is None:  # no environment at all: the run stops later, saying how to make one
        return
    present = catalog.from_directory(root)
    apps: dict[str, bool] = {}  # app -> its component is embedded already
    for component in spec.components:
        entry = present.get(component) or spec.components_catalog().get(component)
        for app in entry.manifest.apps if entry else ():
            apps[app] = apps.get(app, True) and present.get(component) is not None
    # The embedded components' pins too: a module may import one only where the models
    # load (payments' prices: Babel), after the app itself imported fine.
    pinned = sorted(
        {name for c in spec.components if (e := present.get(c)) for name, _ in e.manifest.pins}
    )
    lacking = missing_apps(root, python, list(apps), pinned)
    if not lacking:
        return
    install = install_command(root, python)
    embedded_only = all(apps.get(name, True) for name in lacking)
    fix = install if embedded_only else f"{typed} --no-migrations && {install}"
    shown = os.path.relpath(python, root) if Path(python).is_relative_to(root) else python
    raise EnvironmentLacking(
        f"the project's Python ({shown}) cannot import "
        f"{', '.join(lacking)}, which quickscale.yml now needs; nothing was changed",
        f"run '{fix}', then 'quickscale generate' again",
    )


def _migrate_components(root: Path, pending: Pending, request: GenerateRequest) -> None:
    """``manage.py migrate`` for newly embedded components: best effort, since it only
    touches the local database (the code is complete without it)."""
    from quickscale_toolchain.components import Component
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.engine import migrate_project

    components = [Component.parse(text) for text in pending.migrate]
    names = ", ".join(pending.migrate)
    outcome = migrate_project(root, components)
    if not outcome.ran:
        request.echo(
            f"Embedded {names}; the project's environment was not found or "
            f"lacks them. Next: {_cd_prefix(root)}{outcome.command}"
        )
    elif not outcome.ok:
        raise MigrationsFailed(
            f"migrate failed: {_last_line(outcome.output)}",
            "fix that, then run 'quickscale generate' again",
        )
    else:
        request.echo(f"Migrated: {names} are ready.")
    pending.migrate = []
    transaction.save(root, pending)


def _finish(root: Path, pending: Pending, request: GenerateRequest) -> str | None:
    """Close the run: forget the pending work and, in git, commit exactly its paths."""
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.embed import is_git_project

    if pending.makemigrations or pending.migrate:  # still owed after the commit
        owed = transaction.Pending(makemigrations=pending.makemigrations, migrate=pending.migrate)
        owed.renames = pending.renames
        transaction.save(root, owed)
    else:
        transaction.clear(root)
    if not (request.commit and is_git_project(root)):
        return None
    subject = "quickscale generate: apply quickscale.yml"
    body = "\n".join(f"- {note}" for note in pending.notes)
    made = transaction.commit(root, pending.paths, f"{subject}\n\n{body}\n" if body else subject)
    if made:
        request.echo(f"Committed {made[:12]}: {subject}.")
    return made


def _last_line(output: str) -> str:
    """Where Django puts the error: the last line of its output."""
    lines = output.strip().splitlines() or ["(no output)"]
    return lines[-1]


def _cd_prefix(root: Path) -> str:
    """``cd <project> && `` unless the project is the current directory, so a printed
    command can be pasted as it is."""
    import os

    return "" if root == Path.cwd().resolve() else f"cd {os.path.relpath(root)} && "
