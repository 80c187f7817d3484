"""``quickscale status``: compare config, records, files and migrations; writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain.generator import ownership, transaction
from quickscale_toolchain.generator.config_adapter import load_spec
from quickscale_toolchain.generator.migrate import migrations
from quickscale_toolchain.generator.plan import Status
from quickscale_toolchain.generator.sync import plan_project


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
