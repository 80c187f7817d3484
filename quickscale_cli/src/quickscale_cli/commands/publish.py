"""``quickscale publish``: per-component split branches and release tags (monorepo)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quickscale_cli.commands._options import directory_option, format_option
from quickscale_cli.output import USAGE, Command

EXIT_CODES = {
    0: "published (re-running changes nothing)",
    1: (
        "refused: not the monorepo, a split branch checked out, a branch"
        " or tag that would move, or (--tag) a new version without its CHANGELOG.md entry"
    ),
    2: USAGE,
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@click.option("--ref", default="HEAD", show_default=True, help="Monorepo commit to publish.")
@click.option(
    "--tag", is_flag=True, help="Also tag stable versions (core-v0.2.0, modules/auth-v0.1.0)."
)
@click.option("--component", "-c", metavar="KIND", help="Only core, modules or themes.")
@click.option("--name", "-n", metavar="NAME", help="Only this module or theme.")
@format_option
@directory_option
def publish(
    ref: str,
    tag: bool,
    component: str | None,
    name: str | None,
    output_format: str,
    directory: Path,
) -> None:
    """Publish `git subtree split` branches: core, modules/NAME, themes/NAME.

    Re-running gives the same commit ids. Uncommitted changes are not published.
    """
    from quickscale_toolchain.distribution import components
    from quickscale_toolchain.distribution.publish import publish as run_publish

    kind, name = components.parse(component, name) if component else (None, None)
    results = run_publish(
        directory,
        ref,
        tag=tag,
        kind=kind,
        name=name,
        progress=lambda message: click.echo(f"  {message}…", err=True),
    )
    if output_format == "json":
        rows = [
            {
                "component": r.component.id,
                "branch": r.component.branch,
                "commit": r.commit,
                "version": r.version,
                "branch_action": r.branch_action,
                "tag": r.tag,
                "tag_action": r.tag_action,
            }
            for r in results
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for r in results:
        line = f"{r.component.branch:<24} {r.commit[:12]}  {r.version or '?':<10} {r.branch_action}"
        if r.tag_action:
            line += f"; tag {r.tag or '-'} {r.tag_action}"
        click.echo(line)
