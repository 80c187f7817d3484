"""The CLI edge: where typed errors turn into one-line messages and exit codes.

Every command declares its exit codes once, as the ``exit_codes`` of a :class:`Command`::

    @click.command(cls=Command, exit_codes={0: "done", 1: "refused", 2: USAGE})
    def frobnicate() -> None: ...

(a sub-command of a group: ``@group.command(cls=Command, exit_codes={...})``). The table
becomes the last paragraph of the command's ``--help`` ("Exit codes: 0 done; 1 refused;
2 usage error"), and tests/test_cli_edge.py checks that the command's row of the table in
docs/cli.md says exactly the same, lists the same options, and that every code other
than 2 and 130 is one the command can return. Every command declares 2 (a bad option
always exits 2); 130 (interrupted) applies to every command and is declared only where
the command does something about it. 4 (an unfinished merge, see ``guard``) applies to
every command that acts on a project and is never declared: docs/cli.md's table of
codes and ``quickscale --help`` state it once for all.

What is printed on failure:

* a QuickScale error: ``error: what — fix`` on one line; an invalid quickscale.yml
  adds its diagnostics below, one per line, ``FILE:LINE:COL: severity: …`` as
  ``quickscale validate`` prints them, with FILE relative to the current directory;
* a usage error (click's own included): ``error: what — run 'quickscale CMD --help'``,
  one line, exit 2.
"""

from __future__ import annotations

import dataclasses
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from quickscale_toolchain.errors import ExitCode, QuickScaleError

from quickscale_cli import interrupts

if TYPE_CHECKING:
    from quickscale_toolchain.config.diagnostics import Diagnostic

# click >= 8.2 raises this (a UsageError) for a group called without its command.
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())

#: The meaning of exit code 2 for a command whose only usage errors are bad arguments.
USAGE = "usage error"


def describe_exit_codes(codes: Mapping[int, str]) -> str:
    """``{0: "valid", 1: "invalid"}`` -> ``0 valid; 1 invalid`` (as --help and the docs say)."""
    return "; ".join(f"{code} {meaning}" for code, meaning in sorted(codes.items()))


class Command(click.Command):
    """A ``quickscale`` command: declares its exit codes, which its --help then shows."""

    def __init__(self, *args: Any, exit_codes: Mapping[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exit_codes = dict(exit_codes)
        if self.epilog is None:
            self.epilog = f"Exit codes: {describe_exit_codes(self.exit_codes)}."


def shown_path(path: Path | str) -> str:
    """How a path is printed: relative to the current directory when it is under it
    (``quickscale.yml``, ``acme/quickscale.yml``), else as given."""
    candidate = Path(path)
    if candidate.is_absolute():
        here = Path.cwd()
        for base in (here, here.resolve()):
            if candidate.is_relative_to(base):
                return str(candidate.relative_to(base))
    return str(path)


def validate_command(file: str) -> str:
    """The command that re-checks ``file`` from the current directory."""
    return "quickscale validate" if file == "quickscale.yml" else f"quickscale validate {file}"


def fail(error: QuickScaleError) -> NoReturn:
    """Print ``error`` as one line on stderr (and its diagnostics, if it has any, one
    per line below it) and exit with its code."""
    diagnostics: Sequence[Diagnostic] = getattr(error, "diagnostics", None) or ()
    if not diagnostics:
        click.echo(f"error: {error.one_line()}", err=True)
        sys.exit(int(error.exit_code))
    file = diagnostics[0].file
    shown = shown_path(file)
    headline = error.message.splitlines()[0].rstrip(":").replace(file, shown)
    hint = f"fix {shown} and run '{validate_command(shown)}'"
    click.echo(f"error: {' '.join(headline.split())} — {hint}", err=True)
    for diagnostic in diagnostics:
        click.echo(
            dataclasses.replace(diagnostic, file=shown_path(diagnostic.file)).format(), err=True
        )
    sys.exit(int(error.exit_code))


def usage_line(error: click.ClickException, argv: Sequence[str], cli: click.Group) -> str:
    """Click's usage error as ``error: what — run 'quickscale CMD --help'`` (one line)."""
    message = " ".join(error.format_message().split()).replace(". Did you mean", "; did you mean")
    message = message.removesuffix(".")
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        message = message[0].lower() + message[1:]
    ctx = getattr(error, "ctx", None)
    where = ctx.command_path if isinstance(ctx, click.Context) else _command_path(cli, argv)
    return f"error: {message} — run '{where} --help'"


def _command_path(cli: click.Group, argv: Sequence[str]) -> str:
    """``quickscale config upgrade`` for ``argv`` when click's error names no context."""
    words = ["quickscale"]
    command: click.Command = cli
    for arg in argv:
        if not isinstance(command, click.Group) or arg.startswith("-"):
            break
        sub = command.get_command(click.Context(command), arg)
        if sub is None:
            break
        words.append(arg)
        command = sub
    return " ".join(words)


def interrupt_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C: the commands that write (init, generate) clean up or
    report an interrupt in one place, and run_guarded() exits 130 for both. Both are
    recorded (quickscale_cli.interrupts)."""
    interrupts.record(signal.SIGINT, signal.SIGTERM)


def _older_core(error: ImportError) -> QuickScaleError:
    """The project's embedded toolchain (which the launcher runs) misses one of its own
    modules, an embedded copy edited or cut short: one line naming the update, not a
    traceback. Any other ImportError is a real bug and is raised again."""
    import os

    from quickscale_cli.launcher import LAUNCHED_ENV

    missing = error.name or ""
    ours = missing.split(".")[0] in ("quickscale_core", "quickscale_toolchain")
    if not (os.environ.get(LAUNCHED_ENV) and ours):
        raise error
    return QuickScaleError(
        f"this project's embedded quickscale_core lacks a part its toolchain needs ({error})",
        "run 'quickscale update --component core', then the command again",
    )


def run_guarded(cli: click.Group, argv: list[str]) -> NoReturn:
    """Run ``cli`` and map every outcome to a documented exit code."""
    try:
        # In non-standalone mode click returns ``ctx.exit(n)`` codes and command return
        # values instead of exiting; a command may return an int exit code.
        result = cli.main(args=argv, prog_name="quickscale", standalone_mode=False)
    except QuickScaleError as error:
        from quickscale_cli.legacy import translate

        fail(translate(error))
    except ImportError as error:
        fail(_older_core(error))
    except (click.exceptions.Abort, KeyboardInterrupt):  # click's Ctrl-C at a prompt, or ours
        click.echo("error: interrupted — nothing was changed", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.UsageError as error:
        if isinstance(error, _NO_ARGS_IS_HELP):  # a group without its command: its help
            error.show()
        else:
            click.echo(usage_line(error, argv, cli), err=True)
        sys.exit(int(ExitCode.USAGE))
    except click.ClickException as error:
        message = " ".join(error.format_message().split())
        click.echo(f"error: {message} — run '{_command_path(cli, argv)} --help'", err=True)
        sys.exit(error.exit_code)
    sys.exit(result if isinstance(result, int) else int(ExitCode.OK))
