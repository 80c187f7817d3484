"""``quickscale init NAME``: a new project that runs, passes its tests and deploys."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import click
from quickscale_toolchain.errors import ExitCode

from quickscale_cli import interrupts
from quickscale_cli.output import Command, interrupt_on_sigterm

EXIT_CODES = {
    0: "created",
    1: "failed: the directory exists and is not empty, git is missing or has no identity "
    "(user.name, user.email), there is no usable source, a template is refused by the "
    "sandbox or broken (file and line named), or the wizard was cancelled",
    2: "a bad project name, or a usage error",
    130: "interrupted (nothing is left behind)",
}


def _hold_interrupts() -> None:
    """The point of no return, just before the finished project is renamed into place.

    Ctrl-C and SIGTERM are blocked from here until the process exits, so an interrupt
    either undoes the build or comes once the project is complete and is dropped: never
    exit 130 with a project left. One that came before (held back while the build ran,
    or dropped by Python) is raised right here, and the build is removed.
    """
    if hasattr(signal, "pthread_sigmask"):  # POSIX only
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    interrupts.check()  # one came while deferred, or Python dropped its KeyboardInterrupt


def _step(message: str) -> None:
    """A progress line, and where a Ctrl-C that came during the step before is raised:
    here the main thread's git calls are over (the build waits for the fetch's before it
    is removed), so no git writes into it once it is gone."""
    interrupts.check()
    click.echo(f"  {message}…", err=True)


@click.command(cls=Command, exit_codes=EXIT_CODES)
@click.argument("name", required=False)
@click.option(
    "--source",
    metavar="PATH|URL",
    help="Repository to take shared code from (default: $QUICKSCALE_SOURCE, else the "
    "checkout quickscale is installed from).",
)
@click.option(
    "--directory",
    "-C",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    metavar="DIR",
    help="Create the project inside this directory.",
)
@click.option(
    "--theme",
    metavar="NAME",
    default=None,
    help="Theme to embed and wire, one the source offers ('quickscale components' lists them; "
    "default: the source's default theme). Written to quickscale.yml.",
)
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Ask for the project definition (name, version, theme, frontend, variant), check "
    "each answer, show a summary and create the project once confirmed. Answers may be "
    "piped, one per line.",
)
@click.pass_context
def init(
    ctx: click.Context,
    name: str | None,
    source: str | None,
    directory: Path,
    theme: str | None,
    interactive: bool,
) -> None:
    """Create the Django project NAME in ./NAME.

    NAME must be a valid Python package name (lowercase letters, digits, '_').
    The project is a git repository with quickscale_core embedded by git subtree.
    With --interactive, NAME is optional (it becomes the default answer).
    """
    from quickscale_toolchain.generator.scaffold import create_project

    spec = None
    if interactive:
        from quickscale_cli.commands._wizard import run_wizard

        spec = run_wizard(directory, name, source)
        if spec is None:
            click.echo("Cancelled: nothing was created.", err=True)
            ctx.exit(int(ExitCode.FAILED))
        name = spec.name
    elif name is None:
        raise click.UsageError("Missing argument 'NAME'.", ctx=ctx)
    if theme is not None:
        from dataclasses import replace

        from quickscale_toolchain.generator.context import ProjectSpec

        spec = replace(spec, theme=theme) if spec is not None else ProjectSpec(name, theme=theme)

    interrupt_on_sigterm()
    started = time.perf_counter()
    with interrupts.deferred():
        target = create_project(
            name, directory, source=source, spec=spec, progress=_step, committing=_hold_interrupts
        )
    elapsed = time.perf_counter() - started
    where = target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target
    click.echo(f"Created {where} in {elapsed:.2f}s. Next:")
    click.echo(f"  cd {where}")
    click.echo("  python3 -m venv .venv && . .venv/bin/activate")
    click.echo("  pip install -r requirements-dev.txt")
    click.echo("  python manage.py migrate && python manage.py runserver")
