"""``quickscale deploy --env NAME``: preflight, then ship with the environment's target."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from quickscale_cli.commands._generation import project_root
from quickscale_cli.commands._options import project_directory_option
from quickscale_cli.output import Command

if TYPE_CHECKING:
    from quickscale_toolchain.api import DeployPlan, DeployRequest

EXIT_CODES = {
    0: "deployed and recorded (--dry-run: the preflight passed and the plan was shown; "
    "--status: the last deploy was shown)",
    1: "the generated code is behind quickscale.yml, the target's tool (docker, flyctl) is "
    "not installed, the preflight found problems (one line each), the deploy failed "
    "(rolled back when there was a previous version), no deploy is recorded, or the "
    "project's core predates deploys",
    2: "no quickscale.yml here or above, no such environment, or a usage error",
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@project_directory_option
@click.option(
    "--env",
    "environment",
    required=True,
    metavar="NAME",
    help="The environment of quickscale.yml's 'environments:' to deploy.",
)
@click.option("--dry-run", is_flag=True, help="Run the preflight, print the plan, deploy nothing.")
@click.option("--skip-tests", is_flag=True, help="Do not run the project's tests in the preflight.")
@click.option("--status", is_flag=True, help="Show the last recorded deploy of NAME and exit.")
def deploy(
    directory: Path | None, environment: str, dry_run: bool, skip_tests: bool, status: bool
) -> int:
    """Deploy the committed project to environment NAME, after a real preflight.

    Two stops come first, one line each: the generated code must match quickscale.yml
    (else run 'quickscale generate'), and the target's tool (docker, flyctl) must be
    installed. Then the preflight runs in the project's environment: uncommitted
    changes are refused, quickscale.yml is validated, 'makemigrations --check', the
    project's tests, 'check --deploy --fail-level WARNING' and the trusted-proxy /
    SSL-redirect check under the environment's settings, and every required variable
    (from the components' manifests) must be set, in .env.NAME or the shell. Then the
    target ships it: 'compose' (docker compose over DOCKER_HOST=ssh://…, Caddy for TLS)
    or 'fly' (flyctl). A release that never answers /health/ready is rolled back. Each
    deploy is recorded as a git tag deploy/NAME/<time> (commit, component versions,
    config hash). See docs/deploy.md.
    """
    from quickscale_toolchain import api

    root = project_root(directory)
    require_deploy_support()
    request = api.DeployRequest(root, environment, skip_tests, lambda line: click.echo(f"→ {line}"))
    if status:
        return _status(request)
    found = api.prepare_deploy(request)
    click.echo(f"Preflight of '{environment}' (target {found.target or 'none'}):")
    report = api.preflight(request)
    for check in [*found.passed, *report.checks]:
        why = f" ({check.skipped})" if check.skipped else ""
        click.echo(f"  {check.state.value:<4}  {check.name}{why}")
    if not report.ok:
        for problem in report.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"error: preflight failed, nothing was deployed to '{environment}'", err=True)
        return 1
    if dry_run:
        return _print_plan(api.deploy_plan(request), environment)
    done = api.deploy(request)
    click.echo(f"Deployed '{environment}' ({done.target}); recorded as tag {done.tag}.")
    click.echo(f"Share the record: git push origin {done.tag}")
    return 0


def _print_plan(plan: DeployPlan, environment: str) -> int:
    click.echo(
        f"Plan for '{environment}' (target {plan.target}, config sha256 {plan.config_hash}):"
    )
    click.echo(f"  the site receives: {', '.join(plan.secrets) or 'no secrets'} (values not shown)")
    for number, step in enumerate(plan.steps, 1):
        label = " (only if the switch fails)" if step.rollback else ""
        click.echo(f"  {number}. {step.description}{label}")
        click.echo(f"     $ {step.command}")
    for name, content in plan.files.items():
        click.echo(f"--- {name} (written to a temporary directory)")
        click.echo(content, nl=False)
    click.echo("Dry run: nothing was deployed.")
    return 0


def _status(request: DeployRequest) -> int:
    from quickscale_toolchain import api

    lines = api.last_deploy(request)
    if lines is None:
        name = request.environment
        click.echo(f"error: no deploy of '{name}' is recorded (no tag deploy/{name}/…)", err=True)
        return 1
    for line in lines:
        click.echo(line)
    return 0


def require_deploy_support() -> None:
    """The project's embedded toolchain (which this process now runs) must know deploys."""
    from quickscale_toolchain import api

    if not api.supports_deploy():
        raise api.QuickScaleError(
            "this project's quickscale_core predates deploys",
            "run 'quickscale update --component core', then 'quickscale generate', and commit",
        )
