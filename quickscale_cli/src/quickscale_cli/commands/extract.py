"""``quickscale extract PATH --module NAME``: client code -> a new module in the source."""

from __future__ import annotations

from pathlib import Path

import click

from quickscale_cli.commands._options import directory_option
from quickscale_cli.output import Command

EXIT_CODES = {
    0: "branch created",
    1: "refused: not a git repository, uncommitted changes, the module or branch exists",
    2: "a bad module name, nothing committed at PATH, or a usage error",
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--module", "-m", "module", required=True, metavar="NAME", help="Module name.")
@click.option("--source", metavar="PATH|URL", help="Source repository (default as for init).")
@click.option("--base", default="main", show_default=True, help="Source branch to build on.")
@directory_option
def extract(path: Path, module: str, source: str | None, base: str, directory: Path) -> None:
    """Copy the committed PATH of this project into quickscale_modules/NAME/ of the source.

    Adds the standard skeleton (pyproject.toml, apps.py with label quickscale_NAME,
    tests/) and commits it on a new branch extract/NAME for review. This project is
    not changed. With -C DIR, PATH is relative to DIR.
    """
    from quickscale_toolchain.distribution.extract import extract as run_extract

    from quickscale_cli.guard import refuse_unfinished_merge

    refuse_unfinished_merge(directory)
    done = run_extract(path, module, source, base, cwd=directory)
    click.echo(f"Created branch {done.branch} with {done.module_dir}/ ({len(done.files)} files):")
    for file_path in done.files:
        click.echo(f"  {file_path}")
    for file_path in done.replaced:
        click.echo(f"  note: {file_path} was replaced by the skeleton's apps.py")
    click.echo(done.branch)
