"""``quickscale status``: generated files, your changes, and whether config and code agree."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quickscale_cli.commands._generation import project_root
from quickscale_cli.commands._options import format_option, project_directory_option
from quickscale_cli.output import Command

EXIT_CODES = {
    0: "in sync",
    1: "out of sync (the generated code is behind quickscale.yml, conflict markers "
    "remain, or a migration is missing), quickscale.yml is invalid, or an embedded module "
    "or theme whose Django range leaves out core's Django pin",
    2: "no quickscale.yml here or above, or a usage error",
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@project_directory_option
@format_option
@click.option(
    "--no-migrations",
    is_flag=True,
    help="Do not ask Django whether migrations are missing (faster).",
)
def status(directory: Path | None, output_format: str, no_migrations: bool) -> int:
    """Show what is generated, what you changed, and whether code matches quickscale.yml.

    In sync means a 'quickscale generate' would change nothing, no conflict markers
    are left and 'makemigrations' would create no migration; otherwise a line says
    what is out of sync and the fix. Migrations are checked with the project's
    environment (.venv/, or this Python if it can import Django). JSON adds in_sync
    and generated_behind (what generate would do, in words; null when nothing).
    """
    from quickscale_toolchain import api

    report = api.status(api.StatusRequest(project_root(directory), not no_migrations))
    if output_format == "json":
        click.echo(json.dumps(report.as_json(), indent=2))
        return 0 if report.in_sync else 1
    click.echo(f"Generated files: {len(report.generated)} (recorded in .quickscale/)")
    if report.user_modified:
        click.echo(f"Changed by you ({len(report.user_modified)}):")
        for path in report.user_modified:
            click.echo(f"  {path}")
    for path in report.deleted_by_user:
        click.echo(f"Deleted by you (stays deleted): {path}")
    for path in report.conflicts:
        click.echo(f"Unresolved conflict: {path}")
    for warning in report.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    if report.migrations is api.MigrationState.MISSING:
        click.echo(f"Migrations missing: run {report.migrations_command}")
    elif report.migrations is api.MigrationState.ERROR:
        click.echo(
            f"Migrations not checked: the project does not load (error: {report.migrations_error})"
        )
    if report.in_sync:
        click.echo("In sync: the code matches quickscale.yml.")
        return 0
    if report.behind:
        click.echo(
            f"Out of sync: the generated code is behind quickscale.yml ({report.behind}) "
            "— run 'quickscale generate'"
        )
    elif report.conflicts:
        click.echo("Out of sync: conflict markers remain (listed above) — resolve them")
    else:
        click.echo("Out of sync: the models have changes that no migration records yet.")
    for path, state in report.pending:
        click.echo(f"  {state.value:<16} {path}")
    return 1
