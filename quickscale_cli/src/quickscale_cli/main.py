"""Entry point of the ``quickscale`` console script.

Sub-commands are imported lazily so that ``quickscale --help`` and ``--version`` stay
fast: nothing heavy (Jinja2, jsonschema, Rich) is imported until a command needs it.

A new command is a module in ``commands/`` plus one line in each of ``COMMANDS`` and
``SHORT_HELP``. It declares its exit codes once, where it is defined::

    EXIT_CODES = {0: "done", 1: "refused: why", 2: USAGE}

    @click.command(cls=Command, exit_codes=EXIT_CODES)   # from quickscale_cli.output

and gets a row in docs/cli.md's command table that lists its options and says exactly
``describe_exit_codes(EXIT_CODES)``; tests/test_cli_edge.py walks ``COMMANDS`` and
fails until the declaration, --help and the docs agree (see ``output``'s docstring).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from quickscale_cli import __version__

# name -> "module:attribute" of a click.Command, loaded on first use.
COMMANDS: dict[str, str] = {
    "init": "quickscale_cli.commands.init:init",
    "preview": "quickscale_cli.commands.preview:preview",
    "generate": "quickscale_cli.commands.generate:generate",
    "status": "quickscale_cli.commands.status:status",
    "update": "quickscale_cli.commands.update:update",
    "publish": "quickscale_cli.commands.publish:publish",
    "sync": "quickscale_cli.commands.sync:sync",
    "extract": "quickscale_cli.commands.extract:extract",
    "validate": "quickscale_cli.commands.validate:validate",
    "config": "quickscale_cli.commands.config:config",
    "components": "quickscale_cli.commands.components:components",
    "deploy": "quickscale_cli.commands.deploy:deploy",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported only when invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # click suggests names only among commands already loaded, and ours load lazily.
        name = args[0] if args else ""
        if name and name not in COMMANDS and not name.startswith("-") and not ctx.resilient_parsing:
            raise click.UsageError(_no_such_command(name), ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help comes from a static table so --help imports no command module.
        rows = [(name, SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _no_such_command(name: str) -> str:
    """Click's wording for an unknown command, with the nearest name if one is close."""
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(COMMANDS), n=1)
    return f"No such command '{name}'." + (f" Did you mean '{close[0]}'?" if close else "")


SHORT_HELP: dict[str, str] = {
    "components": "List the modules and themes the source offers (and what this project uses).",
    "init": "Create a new Django project that runs, passes its tests and is deployable.",
    "preview": "Show what 'generate' would change, file by file, with diffs (writes nothing).",
    "generate": "Apply quickscale.yml to the project, merging your edits safely.",
    "status": "Show generated files, your changes, and whether code matches the config.",
    "update": "Pull newer core/modules/themes into this project (git subtree, squashed).",
    "publish": "In the monorepo: publish split branches core, modules/*, themes/* (and tags).",
    "sync": "Send this project's changes to embedded code back to the source as a branch.",
    "extract": "Copy client code into a new module of the source, on a review branch.",
    "validate": "Check quickscale.yml: every problem with file:line:column and a fix.",
    "config": "Maintain quickscale.yml: upgrade it to the latest schema, print its schema.",
    "deploy": "Preflight, then deploy an environment (compose over SSH, or Fly.io); recorded.",
}


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="quickscale")
def cli() -> None:
    """QuickScale: ship many client Django projects fast and keep them improving together.

    Exit codes: 0 ok, 1 failed, 2 usage error, 3 update available (update --check),
    4 unfinished merge (every command in a project mid-merge), 5 the project's embedded
    toolchain speaks an API version this CLI does not, 130 interrupted.
    """


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI; typed QuickScale errors become one line on stderr and an exit code."""
    if argv is None:
        from quickscale_cli import launcher

        launcher.enable()
        launcher.bind()  # before anything imports the toolchain
    from quickscale_cli.output import run_guarded

    return run_guarded(cli, argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    main()
