"""Options several commands share, so each is spelled and described the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def project_directory_option(function: F) -> F:
    """``-C DIR`` for the commands that find the project by its quickscale.yml."""
    return click.option(
        "--directory",
        "-C",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        metavar="DIR",
        help="Project directory (default: the nearest directory with a quickscale.yml, "
        "from the current one upwards).",
    )(function)


def directory_option(function: F) -> F:
    """``-C DIR`` for the commands that run in a directory, as ``git -C`` does."""
    return click.option(
        "--directory",
        "-C",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        metavar="DIR",
        help="Run in DIR instead of the current directory (relative paths start there).",
    )(function)


def format_option(function: F) -> F:
    """``--format text|json``: for people, or for programs and CI."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output for people (text) or programs (json).",
    )(function)


def in_directory(directory: Path, path: Path) -> Path:
    """``path`` as given on the command line, resolved against ``-C DIR``."""
    return path if path.is_absolute() or directory == Path(".") else directory / path
