"""``quickscale sync push``: send this project's fixes to shared code back for review."""

from __future__ import annotations

from pathlib import Path

import click

from quickscale_cli.commands._options import directory_option
from quickscale_cli.output import USAGE, Command

PUSH_EXIT_CODES = {
    0: "branch created, or nothing to send",
    1: "refused: not a git repository, uncommitted changes, an unusable source",
    2: USAGE,
}


@click.group()
def sync() -> None:
    """Exchange changes to embedded shared code with the source repository."""


@sync.command(
    cls=Command,
    exit_codes=PUSH_EXIT_CODES,
    short_help="Send your changes to a component back to the source as a branch.",
)
@click.option("--component", "-c", metavar="KIND", required=True, help="core, modules or themes.")
@click.option("--name", "-n", metavar="NAME", help="The module or theme.")
@click.option("--source", metavar="PATH|URL", help="Source repository (default as for init).")
@click.option("--base", default="main", show_default=True, help="Source branch to build on.")
@directory_option
def push(component: str, name: str | None, source: str | None, base: str, directory: Path) -> None:
    """Create a new branch in the source with this project's changes to a component.

    The branch (sync/<project>/<component>-<sha>) holds one commit on top of the source's
    base branch with exactly your diff; the base branch is never changed.
    """
    from quickscale_toolchain.distribution import components
    from quickscale_toolchain.distribution.sync import push as run_push

    from quickscale_cli.guard import refuse_unfinished_merge

    kind, name = components.parse(component, name)
    refuse_unfinished_merge(directory)
    pushed = run_push(directory, kind, name, source, base)
    if pushed.branch is None:
        click.echo(f"{pushed.component.prefix}/ has no local changes: nothing to send.")
        return
    if pushed.already:
        click.echo(f"Already sent as branch {pushed.branch} (no new commits since).")
        return
    click.echo(f"Created branch {pushed.branch} ({len(pushed.files)} files):")
    for path in pushed.files:
        click.echo(f"  {path}")
    click.echo(f"Review and merge it in the source (e.g. git merge --no-ff {pushed.branch}).")
    click.echo(pushed.branch)
