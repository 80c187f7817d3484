"""``quickscale update``: pull newer shared components into this project (git subtree)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quickscale_cli.commands._options import directory_option, format_option
from quickscale_cli.output import USAGE, Command

if TYPE_CHECKING:
    from quickscale_toolchain.changes import ComponentChange
    from quickscale_toolchain.distribution.errors import UpdateConflict
    from quickscale_toolchain.distribution.update import Result

_COMPONENT_HELP = "core, modules or themes (or modules/NAME, themes/NAME)."

EXIT_CODES = {
    0: "updated, or (--check) everything is up to date",
    1: "a merge conflict (files listed, with how to finish or abort), or refused: not in "
    "a git repository (--check too), an unusable source, an incompatible core, a required "
    "stop it would skip (with the update that stops there), a symlink to outside the "
    "project in the component's folder",
    2: USAGE,
    3: "--check only: an update is available",
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@click.option("--component", "-c", metavar="KIND", help=_COMPONENT_HELP)
@click.option("--name", "-n", metavar="NAME", help="Only this module or theme.")
@click.option("--ref", metavar="REF", help="Release tag, version (0.2.0), branch or commit.")
@click.option("--source", metavar="PATH|URL", help="Source repository (default as for init).")
@click.option(
    "--check", is_flag=True, help="Only report, changing nothing; exit 3 if an update is available."
)
@format_option
@directory_option
def update(
    component: str | None,
    name: str | None,
    ref: str | None,
    source: str | None,
    check: bool,
    output_format: str,
    directory: Path,
) -> int:
    """Update embedded shared code with a squashed `git subtree merge`.

    Your edits to embedded code are kept (3-way merge). On a conflict the merge is left
    for you to finish (`git add` + `git commit`) or undo (`git merge --abort`).
    With --check nothing changes: each component is reported up to date, or with its
    embedded and newer versions (A -> B). Both show the upgrade notes of every release
    crossed (from its CHANGELOG.md); an update that would skip a required stop is
    refused, naming the --ref that stops there.
    """
    from quickscale_toolchain.distribution import components
    from quickscale_toolchain.distribution import update as updating
    from quickscale_toolchain.distribution.errors import UpdateConflict
    from quickscale_toolchain.errors import ExitCode, UsageError

    from quickscale_cli import upgrade_notes as notes
    from quickscale_cli.guard import refuse_unfinished_merge

    kind, name = components.parse(component, name) if component else (None, name)
    if name and not kind:
        raise UsageError("--name needs --component", "add --component modules or themes")
    refuse_unfinished_merge(directory)
    if check:
        plans = updating.check(directory, kind, name, source, ref)
        stops = [updating.required_stop(plan, source) for plan in plans]
        if output_format == "json":
            payload = {
                "update_available": any(p.actionable for p in plans),
                "components": [
                    {**p.as_json(), **notes.as_json(p.upgrade, stop)}
                    for p, stop in zip(plans, stops, strict=True)
                ],
            }
            click.echo(json.dumps(payload, indent=2))
        else:
            for plan, stop in zip(plans, stops, strict=True):
                click.echo(_check_line(plan))
                notes.echo(notes.rows(plan.upgrade, stop))
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
        done = [r for r in conflict.completed if isinstance(r, updating.Result)]
        _report(done, output_format)
        if output_format == "text" and conflict.upgrade is not None and conflict.upgrade.notes:
            click.echo(f"{conflict.component}: upgrade notes (once the merge is finished)")
            notes.echo(notes.rows(conflict.upgrade, None))
        click.echo(_conflict_line(conflict), err=True)
        return int(ExitCode.FAILED)
    _report(results, output_format)
    return int(ExitCode.OK)


def _conflict_line(conflict: UpdateConflict) -> str:
    """One line: the conflicted files, and the two ways out of the merge left open."""
    files = list(conflict.files)
    shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    return (
        f"error: updating {conflict.component} stopped on merge conflicts in {shown} — "
        "resolve the markers in each, 'git add' them and 'git commit' to finish; or run "
        f"'{conflict.abort_command}' to undo the update"
    )


def _check_line(plan: ComponentChange) -> str:
    """One component of ``--check``: ``A -> B`` only when B is newer than A."""
    from quickscale_toolchain.changes import ComponentStatus
    from quickscale_toolchain.distribution.versions import compare

    embedded, available = plan.embedded_version, plan.available_version
    if plan.status is not ComponentStatus.UP_TO_DATE and compare(embedded, available) > 0:
        versions = f"{embedded} -> {available}"
    elif plan.status is ComponentStatus.OLDER:
        versions = f"{embedded} (source: {available})"
    else:
        versions = embedded or "?"
    state = plan.status.value.replace("-", " ")
    note = f" ({plan.detail})" if plan.detail else ""
    return f"{plan.component.id:<24} {versions:<22} {state}{note}"


def _report(results: list[Result], output_format: str) -> None:
    """Old -> new version, the files each merge touched, and the upgrade notes of the
    releases it crossed."""
    from quickscale_cli import upgrade_notes as notes

    if output_format == "json":
        payload = {"components": [_result_json(result) for result in results]}
        click.echo(json.dumps(payload, indent=2))
        return
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
        if result.upgrade is not None and result.upgrade.notes:
            click.echo(f"{result.component.id}: upgrade notes")
            notes.echo(notes.rows(result.upgrade, None))


def _result_json(result: Result) -> dict[str, object]:
    from quickscale_cli import upgrade_notes as notes

    return {
        "component": result.component.id,
        "prefix": result.component.prefix,
        "changed": result.changed,
        "old_version": result.old_version,
        "new_version": result.new_version,
        "commit": result.commit,
        "files": [{"status": status, "path": path} for status, path in result.files],
        **notes.as_json(result.upgrade, None),
    }
