"""``quickscale generate``: bring the project in line with quickscale.yml, safely."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from quickscale_cli.commands._generation import print_warning, project_root
from quickscale_cli.commands._options import project_directory_option
from quickscale_cli.output import Command, interrupt_on_sigterm

EXIT_CODES = {
    0: "done, or nothing to do",
    1: "quickscale.yml is invalid, conflicts (files named), a model or field looks renamed "
    "and neither --rename nor --drop says which, the project's environment lacks what the "
    "config needs (the install command is printed; generate again finishes), an embedded "
    "module or theme whose Django range leaves out core's Django pin (the update to run is "
    "named), failed migrations, uncommitted changes inside a component to embed or remove, "
    "a template refused by the sandbox or broken, or a path that is a symlink to outside the "
    "project",
    2: "no quickscale.yml here or above, --rename/--drop names no candidate, or a usage error",
    130: "interrupted (run generate again to finish)",
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@project_directory_option
@click.option(
    "--no-migrations",
    is_flag=True,
    help="Do not run 'manage.py makemigrations' after changing the models, nor "
    "'manage.py migrate' after embedding a theme or module.",
)
@click.option(
    "--no-commit",
    is_flag=True,
    help="Leave the changes uncommitted for review (by default generate ends with one "
    "commit of exactly what it changed).",
)
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="Keep the rows of a model or field renamed in quickscale.yml (a RenameModel or "
    "RenameField migration): Product=Item or Product.price=Product.amount.",
)
@click.option(
    "--drop",
    "drops",
    multiple=True,
    metavar="NAME",
    help="Drop a model or field that quickscale.yml seems to rename, with its data: "
    "Product or Product.price.",
)
@click.option(
    "--source",
    metavar="PATH|URL",
    help="Repository to embed themes and modules from (default: $QUICKSCALE_SOURCE, else "
    "the checkout quickscale is installed from).",
)
def generate(
    directory: Path | None,
    no_migrations: bool,
    no_commit: bool,
    renames: tuple[str, ...],
    drops: tuple[str, ...],
    source: str | None,
) -> int:
    """Apply the plan that 'quickscale preview' shows, and commit it.

    Files you never edited are updated; files you edited are merged with the new
    output (3-way); a true conflict leaves standard conflict markers in the file and
    exits 1; files you deleted stay deleted. The theme and the modules of
    quickscale.yml are embedded by git subtree (quickscale_themes/<name>/,
    quickscale_modules/<name>/) or removed when no longer listed. Changed models get
    their migration; a model or field that looks renamed is refused until --rename
    (keep its rows) or --drop says which. In a git repository generate then makes one commit holding
    quickscale.yml and exactly what it changed; your other uncommitted edits stay
    uncommitted. Whenever a step stops (a conflict, a venv that lacks a new module,
    an interrupt), the printed fix followed by 'quickscale generate' finishes the job.

    Unlike validate and preview, which never run a theme's or module's code, generate
    imports the project's apps, those of the theme and modules included (makemigrations,
    migrate): generate only with components you trust.
    """
    from quickscale_toolchain import api

    interrupt_on_sigterm()
    root = project_root(directory)
    request = api.GenerateRequest(
        root,
        source,
        migrations=not no_migrations,
        commit=not no_commit,
        renames=renames,
        drops=drops,
        command=_as_typed(directory, source),
        echo=click.echo,
        warn=print_warning,
    )
    result = api.generate(request)
    if result.outcome is api.GenerateOutcome.NOTHING_TO_DO:
        click.echo("Nothing to do: the project matches quickscale.yml.")
        return 0
    if result.outcome is api.GenerateOutcome.CONFLICTS:
        _report_conflicts(result.conflicts)
        return 1
    return 0


def _as_typed(directory: Path | None, source: str | None) -> str:
    """This command as the user would type it again (a fix must run as given)."""
    words = ["quickscale", "generate"]
    if directory is not None:
        words += ["-C", shlex.quote(str(directory))]
    if source:
        words += ["--source", shlex.quote(source)]
    return " ".join(words)


def _report_conflicts(paths: tuple[str, ...]) -> None:
    """One line: the files, and what finishes the job once their markers are resolved."""
    click.echo(
        f"error: {len(paths)} file(s) have conflicts: {', '.join(paths)} — resolve the "
        "conflict markers (<<<<<<< … >>>>>>>) in each, keeping the lines you want; then "
        "'quickscale generate' again finishes the job and commits",
        err=True,
    )
