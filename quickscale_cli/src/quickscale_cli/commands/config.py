"""``quickscale config``: maintain quickscale.yml (upgrade its schema, print the schema)."""

from __future__ import annotations

from pathlib import Path

import click
from quickscale_toolchain.config import (
    CONFIG_FILENAME,
    LATEST_VERSION,
    SCHEMA_VERSIONS,
    schema_path,
    upgrade_file,
    validate_path,
)
from quickscale_toolchain.errors import QuickScaleError

from quickscale_cli.commands._options import directory_option, in_directory
from quickscale_cli.guard import refuse_unfinished_merge
from quickscale_cli.output import USAGE, Command, shown_path

UPGRADE_EXIT_CODES = {
    0: "upgraded, or already current",
    1: "refused: the file is invalid, or would be as schema_version 2 (nothing written)",
    2: "the file cannot be read, or a usage error",
}
SCHEMA_EXIT_CODES = {0: "printed", 2: USAGE}


@click.group()
def config() -> None:
    """Maintain quickscale.yml: upgrade it to the latest schema, or get its JSON Schema."""


@config.command(
    cls=Command,
    exit_codes=UPGRADE_EXIT_CODES,
    short_help="Upgrade quickscale.yml to the latest schema_version, comments kept.",
)
@click.argument("path", required=False, default=CONFIG_FILENAME, type=click.Path(path_type=Path))
@directory_option
def upgrade(path: Path, directory: Path) -> None:
    """Convert PATH (default ./quickscale.yml) from schema_version 1 to 2, in place.

    Comments, blank lines and key order are kept; the result is validated before it
    replaces the file (atomically). An invalid file is refused, its problems listed
    one per line as 'quickscale validate' shows them, and left untouched.
    """
    path = in_directory(directory, path)
    refuse_unfinished_merge(path.parent)
    file = shown_path(path)
    result = upgrade_file(path, file=file)
    if not result.changed:
        click.echo(f"{file} is already schema_version {LATEST_VERSION}; nothing to upgrade.")
        return
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format())
    click.echo(
        f"Upgraded {file} from schema_version {result.from_version} to {result.to_version} "
        "(comments and key order kept)."
    )
    for note in result.notes:
        click.echo(f"  note: {note}")


@config.command(
    cls=Command,
    exit_codes=SCHEMA_EXIT_CODES,
    short_help="Print the JSON Schema of quickscale.yml, for editors.",
)
@click.option(
    "--version",
    "version",
    type=click.Choice([str(v) for v in SCHEMA_VERSIONS]),
    default=None,
    help="Schema version (default: the one DIR/quickscale.yml declares, else "
    f"{LATEST_VERSION}, the latest).",
)
@click.option("--path", "show_path", is_flag=True, help="Print the file's path, not its text.")
@directory_option
def schema(version: str | None, show_path: bool, directory: Path) -> None:
    """Print the JSON Schema of quickscale.yml (for editors such as VS Code's YAML).

    Without --version, the schema of the version the project's quickscale.yml
    declares, so an editor checks the file against the rules that apply to it. Its
    theme and modules parts are assembled from the manifests of the components the
    project embeds and its source offers (--path: the shipped file, made from the
    first-party components).
    """
    refuse_unfinished_merge(directory)
    chosen = int(version) if version is not None else _declared_version(directory)
    if show_path:
        click.echo(str(schema_path(chosen)))
        return
    import json

    from quickscale_toolchain.catalog import for_project
    from quickscale_toolchain.config.schema import assembled_schema

    schema = assembled_schema(chosen, for_project(directory))
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


def _declared_version(directory: Path) -> int:
    """The schema_version of DIR/quickscale.yml, or the latest when there is none (or the
    file cannot say: unreadable, not YAML, an unknown version)."""
    path = directory / CONFIG_FILENAME
    if not path.is_file():
        return LATEST_VERSION
    try:
        declared = validate_path(path, check_filesystem=False).schema_version
    except QuickScaleError:
        return LATEST_VERSION
    return declared if declared is not None else LATEST_VERSION
