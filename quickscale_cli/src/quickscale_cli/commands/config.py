"""``quickscale config``: maintain quickscale.yml (upgrade its schema, print the schema)."""

from __future__ import annotations

from pathlib import Path

import click
from quickscale_core.config import (
    CONFIG_FILENAME,
    LATEST_VERSION,
    SCHEMA_VERSIONS,
    InvalidConfigError,
    schema_path,
    upgrade_file,
)
from quickscale_core.errors import ExitCode


@click.group()
def config() -> None:
    """Maintain quickscale.yml: upgrade it to the latest schema, or get its JSON Schema."""


@config.command()
@click.argument("path", required=False, default=CONFIG_FILENAME, type=click.Path(path_type=Path))
@click.pass_context
def upgrade(ctx: click.Context, path: Path) -> None:
    """Convert PATH (default ./quickscale.yml) from schema_version 1 to 2, in place.

    Comments, blank lines and key order are kept; the result is validated before it
    replaces the file (atomically). An invalid file is refused and left untouched.
    Exit codes: 0 upgraded or already current, 1 refused, 2 the file cannot be read.
    """
    try:
        result = upgrade_file(path, file=str(path))
    except InvalidConfigError as error:
        click.echo(f"error: {error.message}", err=True)
        ctx.exit(int(ExitCode.FAILED))
    if not result.changed:
        click.echo(f"{path} is already schema_version {LATEST_VERSION}; nothing to upgrade.")
        return
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format())
    click.echo(
        f"Upgraded {path} from schema_version {result.from_version} to {result.to_version} "
        "(comments and key order kept)."
    )
    for note in result.notes:
        click.echo(f"  note: {note}")


@config.command()
@click.option(
    "--version",
    "version",
    type=click.Choice([str(v) for v in SCHEMA_VERSIONS]),
    default=str(LATEST_VERSION),
    show_default=True,
    help="Schema version.",
)
@click.option("--path", "show_path", is_flag=True, help="Print the file's path, not its text.")
def schema(version: str, show_path: bool) -> None:
    """Print the JSON Schema of quickscale.yml (for editors such as VS Code's YAML)."""
    location = schema_path(int(version))
    click.echo(str(location) if show_path else location.read_text(encoding="utf-8"), nl=show_path)
