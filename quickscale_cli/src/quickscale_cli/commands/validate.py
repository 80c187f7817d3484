"""``quickscale validate [PATH]``: every problem of a quickscale.yml, compiler-style."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from quickscale_toolchain.errors import ExitCode

from quickscale_cli.commands._options import directory_option, in_directory
from quickscale_cli.output import Command, shown_path

if TYPE_CHECKING:
    from quickscale_toolchain.api import Diagnostic

#: The default PATH (the toolchain's CONFIG_FILE; not imported, to keep --help light).
CONFIG_FILENAME = "quickscale.yml"

EXIT_CODES = {
    0: "valid (warnings allowed)",
    1: "invalid",
    2: "the file cannot be read, or a usage error",
}


def summary(file: str, diagnostics: Sequence[Diagnostic], schema_version: int | None) -> str:
    """``quickscale.yml: valid (schema_version 1)`` or ``quickscale.yml: 2 errors, 1 warning``."""
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    if errors:
        text = f"{file}: invalid, {count(errors, 'error')}"
    else:
        text = f"{file}: valid (schema_version {schema_version})"
    return text + (f", {count(warnings, 'warning')}" if warnings else "")


@click.command(cls=Command, exit_codes=EXIT_CODES)
@click.argument("path", required=False, default=CONFIG_FILENAME, type=click.Path(path_type=Path))
@directory_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one 'FILE:LINE:COL: severity: key.path: message — fix' per line; "
    "json: a list of {file, line, column, severity, path, message, hint}.",
)
@click.pass_context
def validate(ctx: click.Context, path: Path, directory: Path, output_format: str) -> None:
    """Check the config at PATH (default ./quickscale.yml) and report every problem.

    FILE is shown relative to the current directory when the file is under it.
    """
    path = in_directory(directory, path)
    file = shown_path(path)
    from quickscale_cli.launcher import run_project_core

    run_project_core(path.parent)
    from quickscale_toolchain import api

    result = api.validate(api.ValidateRequest(path, file))
    if output_format == "json":
        click.echo(json.dumps([d.to_dict() for d in result.diagnostics], indent=2))
    else:
        for diagnostic in result.diagnostics:
            click.echo(diagnostic.format())
        click.echo(summary(file, result.diagnostics, result.schema_version))
    ctx.exit(int(ExitCode.OK if result.ok else ExitCode.FAILED))
