"""``quickscale update``: pull newer shared components into this project (git subtree)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from quickscale_core.distribution.update import Result

_COMPONENT_HELP = "core, modules or themes (or modules/NAME, themes/NAME)."

# Shared by the distribution commands (publish, sync, extract import them from here).
directory_option = click.option(
    "--directory",
    "-C",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Run in this repository instead of the current directory.",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.command()
@click.option("--component", "-c", metavar="KIND", help=_COMPONENT_HELP)
@click.option("--name", "-n", metavar="NAME", help="Only this module or theme.")
@click.option("--ref", metavar="REF", help="Release tag, version (0.2.0), branch or commit.")
@click.option("--source", metavar="PATH|URL", help="Source repository (default as for init).")
@click.option("--check", is_flag=True, help="Only report; exit 3 if an update is available.")
@format_option
@directory_option
def update(
    component: str | None,
    name: str | None,
    ref: str | None,
    source: str | None,
    check: bool,
    fmt: str,
    directory: Path,
) -> int:
    """Update embedded shared code with a squashed `git subtree merge`.

    Your edits to embedded code are kept (3-way merge). On a conflict the merge is left
    for you to finish (`git add` + `git commit`) or undo (`git merge --abort`); exit 1.
    With --check nothing changes; exit 3 means an update is available, 0 up to date.
    """
    from quickscale_core.distribution import components
    from quickscale_core.distribution import update as updating
    from quickscale_core.distribution.errors import UpdateConflict
    from quickscale_core.errors import ExitCode, UsageError

    kind, name = components.parse(component, name) if component else (None, name)
    if name and not kind:
        raise UsageError("--name needs --component", "add --component modules or themes")
    if check:
        plans = updating.check(directory, kind, name, source, ref)
        if fmt == "json":
            payload = {
                "update_available": any(p.actionable for p in plans),
                "components": [p.as_json() for p in plans],
            }
            click.echo(json.dumps(payload, indent=2))
        else:
            for plan in plans:
                arrow = f"{plan.embedded_version or '?'} -> {plan.available_version or '?'}"
                note = f" ({plan.detail})" if plan.detail else ""
                click.echo(f"{plan.component.id:<24} {arrow:<22} {plan.status}{note}")
        return int(ExitCode.UPDATE_AVAILABLE if any(p.actionable for p in plans) else ExitCode.OK)
    if kind is None:
        raise UsageError("update needs --component", "pass --component core, modules or themes")
    try:
        results = updating.update(
            directory,
            kind,
            name,
            source,
            ref,
            progress=lambda message: click.echo(f"  {message}…", err=True),
        )
    except UpdateConflict as conflict:
        _report([r for r in conflict.completed if isinstance(r, updating.Result)])
        click.echo(f"error: updating {conflict.component} stopped on merge conflicts in:", err=True)
        for path in conflict.files:
            click.echo(f"  {path}", err=True)
        click.echo("To finish: fix the files, then 'git add <files>' and 'git commit'.", err=True)
        click.echo(f"To undo the whole update: {conflict.abort_command}", err=True)
        return int(ExitCode.FAILED)
    _report(results)
    return int(ExitCode.OK)


def _report(results: list[Result]) -> None:
    """Old -> new version and the files each merge touched."""
    for result in results:
        if not result.changed:
            click.echo(f"{result.component.id}: already up to date ({result.old_version})")
            continue
        click.echo(
            f"{result.component.id}: {result.old_version} -> {result.new_version} "
            f"({len(result.files)} files, commit {result.commit[:12]})"
        )
        for status, path in result.files:
            click.echo(f"  {status} {path}")
