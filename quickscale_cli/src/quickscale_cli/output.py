"""The CLI edge: where typed errors turn into one-line messages and exit codes."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import NoReturn

import click
from quickscale_core.errors import ExitCode, QuickScaleError


def fail(error: QuickScaleError) -> NoReturn:
    """Print ``error`` as one line on stderr and exit with its code."""
    click.echo(f"error: {error.one_line()}", err=True)
    sys.exit(int(error.exit_code))


def interrupt_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C: the commands that write (init, generate) clean up or
    report an interrupt in one place, and run_guarded() exits 130 for both."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def run_guarded(cli: click.Group, argv: list[str]) -> NoReturn:
    """Run ``cli`` and map every outcome to a documented exit code."""
    try:
        # In non-standalone mode click returns ``ctx.exit(n)`` codes and command return
        # values instead of exiting; a command may return an int exit code.
        result = cli.main(args=argv, prog_name="quickscale", standalone_mode=False)
    except QuickScaleError as error:
        fail(error)
    except (click.exceptions.Abort, KeyboardInterrupt):  # click's Ctrl-C at a prompt, or ours
        click.echo("error: interrupted — nothing was changed", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(int(ExitCode.USAGE) if isinstance(error, click.UsageError) else error.exit_code)
    sys.exit(result if isinstance(result, int) else int(ExitCode.OK))
