"""``quickscale deploy --env NAME``: preflight, then ship with the environment's target."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quickscale_cli.commands._generation import project_root
from quickscale_cli.commands._options import project_directory_option
from quickscale_cli.output import Command

if TYPE_CHECKING:
    from quickscale_toolchain.deploy.environment import Environment

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
    root = project_root(directory)
    require_deploy_support()
    if status:
        return _status(root, environment)
    from quickscale_toolchain.deploy.environment import load_environment
    from quickscale_toolchain.deploy.preflight import (
        Check,
        deploy_variables,
        require_generated,
        require_tool,
        run_preflight,
    )

    env = load_environment(root, environment)
    require_generated(root)
    tool = require_tool(env)
    passed = [Check("generated code matches quickscale.yml")]
    passed += [Check(f"{tool} installed")] if tool else []
    variables = deploy_variables(root, environment)
    click.echo(f"Preflight of '{environment}' (target {env.config.target or 'none'}):")
    report = run_preflight(env, variables, skip_tests=skip_tests)
    for check in [*passed, *report.checks]:
        mark = "skip" if check.skipped else ("ok" if check.ok else "FAIL")
        why = f" ({check.skipped})" if check.skipped else ""
        click.echo(f"  {mark:<4}  {check.name}{why}")
    if not report.ok:
        for problem in report.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"error: preflight failed, nothing was deployed to '{environment}'", err=True)
        return 1
    if dry_run:
        return _print_plan(env, variables)
    from quickscale_toolchain.deploy.apply import deploy as ship
    from quickscale_toolchain.deploy.record import record_deploy

    plan = ship(env, variables, lambda line: click.echo(f"→ {line}"))
    record = record_deploy(root, environment, plan.target, env.config_hash)
    click.echo(f"Deployed '{environment}' ({plan.target}); recorded as tag {record.tag}.")
    click.echo(f"Share the record: git push origin {record.tag}")
    return 0


def _print_plan(env: Environment, variables: Mapping[str, str]) -> int:
    import tempfile

    from quickscale_toolchain.deploy.targets import plan_target

    workdir = Path(tempfile.gettempdir()) / "quickscale-deploy-<temporary>"
    plan = plan_target(env, variables, workdir)
    click.echo(f"Plan for '{env.name}' (target {plan.target}, config sha256 {env.config_hash}):")
    click.echo(f"  the site receives: {', '.join(plan.secrets) or 'no secrets'} (values not shown)")
    for number, step in enumerate(plan.steps, 1):
        label = " (only if the switch fails)" if step.role == "rollback" else ""
        click.echo(f"  {number}. {step.description}{label}")
        click.echo(f"     $ {step.shown()}")
    for name, content in plan.files.items():
        click.echo(f"--- {name} (written to a temporary directory)")
        click.echo(content, nl=False)
    click.echo("Dry run: nothing was deployed.")
    return 0


def _status(root: Path, environment: str) -> int:
    from quickscale_toolchain.deploy.record import last_deploy

    record = last_deploy(root, environment)
    if record is None:
        click.echo(
            f"error: no deploy of '{environment}' is recorded (no tag deploy/{environment}/…)",
            err=True,
        )
        return 1
    for line in record.lines():
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
