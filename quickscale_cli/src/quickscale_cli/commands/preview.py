"""``quickscale preview``: what ``generate`` would do, file by file. Writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quickscale_cli.commands._generation import print_tree, print_warnings, project_root
from quickscale_cli.commands._options import format_option, project_directory_option
from quickscale_cli.output import Command

EXIT_CODES = {
    0: "the plan was shown (nothing is ever written)",
    1: "quickscale.yml is invalid (each problem listed) or cannot be applied: a template "
    "is refused by the sandbox or broken, a module or theme whose Django range leaves out "
    "core's Django pin, or a path is a symlink to outside the project",
    2: "no quickscale.yml here or above, or a usage error",
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@project_directory_option
@format_option
@click.option("--no-diff", is_flag=True, help="Show the file tree only, not the diffs.")
@click.option(
    "--env",
    "environment",
    metavar="NAME",
    default=None,
    help="Show the effective config of environment NAME (quickscale.yml with its "
    "overrides applied) and its hash, instead of the plan.",
)
def preview(
    directory: Path | None, output_format: str, no_diff: bool, environment: str | None
) -> int:
    """Show the plan of 'quickscale generate': each file's status, then the diffs.

    Statuses: new, unchanged, updated (you never edited it), merged (your edits and the
    new output combined), conflict, deleted-by-user (stays deleted), removed (no longer
    generated), kept (no longer generated but edited by you, so left in place). Themes
    and modules to embed (git subtree) or remove are listed after the tree.
    """
    if environment is not None:
        return _show_environment(project_root(directory), environment, output_format)
    from quickscale_toolchain import api

    plan = api.plan(api.PlanRequest(project_root(directory)))
    if output_format == "json":
        click.echo(json.dumps(plan.json, indent=2, sort_keys=True))
        return 0
    print_tree(plan)
    for component in plan.components:
        click.echo(f"  {component.description}")
    print_warnings(plan.warnings)
    if not no_diff:
        for change in plan.changes:
            click.echo(change.diff, nl=False)
    if plan.nothing_to_do:
        click.echo("Nothing to do: the project matches quickscale.yml.")
    else:
        click.echo(f"Plan: {api.summary(plan)}. Apply it with 'quickscale generate'.")
    return 0


def _show_environment(root: Path, name: str, output_format: str) -> int:
    import yaml
    from quickscale_toolchain import api

    from quickscale_cli.commands.deploy import require_deploy_support

    require_deploy_support()
    env = api.environment(api.EnvironmentRequest(root, name))
    if output_format == "json":
        payload = {"environment": name, "config": env.effective, "hash": env.config_hash}
        click.echo(json.dumps(payload, indent=2, sort_keys=True))
        return 0
    click.echo(f"# Effective config of environment '{name}' (sha256 {env.config_hash})")
    click.echo(yaml.safe_dump(env.effective, sort_keys=False, allow_unicode=True), nl=False)
    return 0
