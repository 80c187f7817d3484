"""``quickscale generate``: bring the project in line with quickscale.yml, safely."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click
from quickscale_core.errors import ExitCode, QuickScaleError

from quickscale_cli.commands._generation import print_warnings, project_root, summary
from quickscale_cli.commands._options import project_directory_option

if TYPE_CHECKING:
    from quickscale_core.components import Component

from quickscale_cli.output import Command, interrupt_on_sigterm

EXIT_CODES = {
    0: "done, or nothing to do",
    1: "quickscale.yml is invalid, conflicts (files named), failed migrations, or "
    "uncommitted changes before embedding (commit or stash first)",
    2: "no quickscale.yml here or above, or a usage error",
    130: "interrupted (run generate again to finish)",
}


class GenerateInterrupted(QuickScaleError):
    """Interrupted between atomic file writes: rerunning finishes the job."""

    exit_code = ExitCode.INTERRUPTED


@click.command(cls=Command, exit_codes=EXIT_CODES)
@project_directory_option
@click.option(
    "--no-migrations",
    is_flag=True,
    help="Do not run 'manage.py makemigrations' after changing the models, nor "
    "'manage.py migrate' after embedding a theme or module.",
)
@click.option(
    "--source",
    metavar="PATH|URL",
    help="Repository to embed themes and modules from (default: $QUICKSCALE_SOURCE, else "
    "the checkout quickscale is installed from).",
)
def generate(directory: Path | None, no_migrations: bool, source: str | None) -> int:
    """Apply the plan that 'quickscale preview' shows.

    Files you never edited are updated; files you edited are merged with the new
    output (3-way); a true conflict leaves standard conflict markers in the file and
    exits 1; files you deleted stay deleted. Every write is atomic, and running
    generate again after any interruption finishes the job. The theme and the modules
    of quickscale.yml are embedded by git subtree (quickscale_themes/<name>/,
    quickscale_modules/<name>/) or removed when no longer listed; that needs a clean
    git tree (commit or stash first).
    """
    from quickscale_core.generator.config_adapter import load_spec
    from quickscale_core.generator.engine import (
        apply_components,
        apply_plan,
        models_changed,
        plan_project,
    )

    interrupt_on_sigterm()
    root = project_root(directory)
    spec = load_spec(root, source)
    plan = plan_project(root, spec)
    print_warnings(plan)
    if plan.nothing_to_do:
        click.echo("Nothing to do: the project matches quickscale.yml.")
        return 0
    catch_up = not plan.records_current
    try:
        for line in apply_components(plan, source):
            click.echo(f"  {line}")
        apply_plan(plan)
    except KeyboardInterrupt:
        raise GenerateInterrupted(
            "interrupted: some files are regenerated, others not yet (each is whole)",
            "run 'quickscale generate' again to finish",
        ) from None
    for op in plan.ops:
        if op.writes or op.status.value in {"conflict", "deleted-by-user", "kept"}:
            click.echo(f"  {op.status.value:<16} {op.path}")
    click.echo(f"Generated: {summary(plan)}.")
    exit_code = 0
    # A run killed before its records were written may also have missed its migrations.
    if models_changed(plan, spec) or (catch_up and spec.models):
        exit_code = _migrate(root, spec.name, no_migrations)
    embedded = [op.component for op in plan.components if op.status.value == "embed"]
    if embedded and exit_code == 0:
        exit_code = _migrate_components(root, embedded, no_migrations)
    if plan.conflicts:
        click.echo(f"{len(plan.conflicts)} file(s) have conflicts:", err=True)
        for op in plan.conflicts:
            click.echo(f"  conflict: {op.path}", err=True)
        click.echo(
            "Resolve the conflict markers (<<<<<<< … >>>>>>>) in each file, keeping the "
            "lines you want, then run 'quickscale status'.",
            err=True,
        )
        return 1
    return exit_code


def _migrate(root: Path, app: str, skip: bool) -> int:
    """Create migrations for the changed models, or say exactly how to."""
    from quickscale_core.generator.engine import migrations

    command = f"{_cd_prefix(root)}python manage.py makemigrations {app}"
    if skip:
        click.echo(f"Models changed. Next: {command}")
        return 0
    outcome = migrations(root, app)
    if not outcome.ran:
        click.echo(f"Models changed, but the project's environment was not found. Next: {command}")
        return 0
    if not outcome.ok:
        return _failed("makemigrations", outcome.output, command)
    click.echo(outcome.output)
    return 0


def _migrate_components(root: Path, components: list[Component], skip: bool) -> int:
    """Create the tables of newly embedded themes and modules, or say exactly how to."""
    from quickscale_core.generator.engine import migrate_project

    where = _cd_prefix(root)
    names = ", ".join(c.id for c in components)
    if skip:
        click.echo(f"Embedded {names}. Next: {where}python manage.py migrate")
        return 0
    outcome = migrate_project(root, components)
    if not outcome.ran:
        click.echo(
            f"Embedded {names}; the project's environment was not found or "
            f"lacks them. Next: {where}{outcome.command}"
        )
        return 0
    if not outcome.ok:
        return _failed("migrate", outcome.output, f"{where}{outcome.command}")
    click.echo(f"Migrated: {names} are ready.")
    return 0


def _cd_prefix(root: Path) -> str:
    """``cd <project> && `` unless the project is the current directory, so a printed
    command can be pasted as it is."""
    return "" if root == Path.cwd().resolve() else f"cd {os.path.relpath(root)} && "


def _failed(step: str, output: str, command: str) -> int:
    """Report a failed manage.py ``step`` by its last line of output (where Django puts
    the error) and the command to rerun once fixed; exit code 1."""
    lines = output.splitlines() or ["(no output)"]
    click.echo(f"error: {step} failed: {lines[-1]} — fix that, then run: {command}", err=True)
    return 1
