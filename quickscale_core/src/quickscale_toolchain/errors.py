"""Typed errors raised by QuickScale's library code.

Library code never prints or exits: it raises one of these, and the CLI edge turns it
into a one-line message and the documented exit code. Each error carries a ``hint`` that
names the fix, because an error a user cannot act on is only half an error.
"""

from __future__ import annotations

import re
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in docs/cli.md."""

    OK = 0
    FAILED = 1  # the operation could not be done (bad state, invalid config, conflict)
    USAGE = 2  # the command was called wrongly (bad argument, missing file)
    UPDATE_AVAILABLE = 3  # `update --check`: a newer component exists
    UNFINISHED_MERGE = 4  # any project command: a merge or conflict markers are left to resolve
    INCOMPATIBLE_CORE = 5  # the project's embedded toolchain speaks an API this CLI does not
    INTERRUPTED = 130  # SIGINT, as shells report it


class QuickScaleError(Exception):
    """Base of every error QuickScale reports to a user."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and its fix on a single line, as the CLI prints it."""
        text = self.message if not self.hint else f"{self.message} — {self.hint}"
        return " ".join(text.split())


class UsageError(QuickScaleError):
    """The caller gave an argument that can never work (exit 2)."""

    exit_code = ExitCode.USAGE


class InvalidProjectName(UsageError):
    """The project name is not usable as a directory and Python package."""


class TargetExists(QuickScaleError):
    """The destination directory exists and holds files we must not touch."""


class GitError(QuickScaleError):
    """git is missing, or a git command failed."""


class SourceError(QuickScaleError):
    """The source repository of shared code cannot be used."""


class ConfigError(QuickScaleError):
    """quickscale.yml cannot be read or is invalid."""


_PLAIN_WORD = re.compile(r"[\w./:@%+=,-]+")


def shell_word(text: str) -> str:
    """``text`` as one word of a fix command for ``sh -c``, in double quotes when it needs
    them: a hint prints its command inside single quotes (``run '<command>'``)."""
    if _PLAIN_WORD.fullmatch(text):
        return text
    return '"' + re.sub(r'([\\"$`])', r"\\\1", text) + '"'
