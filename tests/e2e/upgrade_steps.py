"""What a user does to move a project onto newer QuickScale code, for the upgrade tests.

``converge`` runs a command until it succeeds, doing what each stop says: a printed
`run '...'` fix is run verbatim (the venv install as uv's offline equivalent), and
conflict markers are resolved as the user would
(``resolve_as_the_user``), then committed when git is in the middle of a merge (what
`update`'s conflict line asks). ``notes_commands`` lists the commands that upgrade notes
ask for, in the `run '...'` form the changelog format gives them.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import UV_ENV, run, uv_binary

CONFLICT = re.compile(
    r"^<<<<<<< [^\n]*\n(.*?)^\|\|\|\|\|\|\| [^\n]*\n(.*?)^=======\n(.*?)^>>>>>>> [^\n]*\n",
    re.S | re.M,
)
FIX = re.compile(r"run '([^']+)'")
#: The install a stop names when the project's venv lacks a new pin.
PIP_INSTALL = ".venv/bin/pip install -r requirements-dev.txt"
ROUNDS = 6


def _find(lines: list[str], part: list[str]) -> int:
    """Where ``part`` (non-empty) starts in ``lines``, or -1."""
    for at in range(len(lines) - len(part) + 1):
        if lines[at : at + len(part)] == part:
            return at
    return -1


def resolve_as_the_user(text: str) -> str:
    """Each conflict hunk (diff3 style) becomes the new render with the user's changes:
    lines they replaced or deleted, where the new render still has them, are replaced or
    deleted there; lines they added (or changed where the new render changed them too)
    follow the new render. What someone who wants the new code and keeps their own
    lines writes: a route the user swapped for their own keeps its place (Django takes
    the first match)."""

    def keep_ours(match: re.Match[str]) -> str:
        yours, base, theirs = (part.splitlines(keepends=True) for part in match.groups())
        result = list(theirs)
        changes = difflib.SequenceMatcher(None, base, yours, autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in changes:
            if op == "equal":
                continue
            old, new = base[i1:i2], yours[j1:j2]
            at = _find(result, old) if old else -1
            if at >= 0:
                result[at : at + len(old)] = new
            else:
                result += new
        return "".join(result)

    return CONFLICT.sub(keep_ours, text)


@dataclass
class Converged:
    """What a converge saw: each stop's error line, the fixes it ran, the files it
    resolved."""

    said: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    conflicts: set[str] = field(default_factory=set)


def conflicted(project: Path) -> list[str]:
    """Files git reports unmerged, and changed files holding conflict markers."""
    unmerged = run(["git", "diff", "--name-only", "--diff-filter=U"], project).stdout.split()
    status = run(["git", "status", "--porcelain", "--untracked-files=no"], project).stdout
    found = set(unmerged)
    for line in status.splitlines():
        path = line[3:].split(" -> ")[-1]
        if (project / path).is_file() and "<<<<<<< " in (project / path).read_text():
            found.add(path)
    return sorted(found)


def converge(
    project: Path, command: list[str], env: dict[str, str], seen: Converged | None = None
) -> Converged:
    """Run ``command`` until it succeeds. A stop must be one error line and no traceback:
    on conflicts, the line names every file holding markers, each is resolved as the user
    would (and the merge committed, as update's line says); otherwise the line's
    `run '...'` fix is run verbatim, itself converged. Returns what it saw."""
    seen = seen if seen is not None else Converged()
    for _ in range(ROUNDS):
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        output = done.stdout + done.stderr
        assert "Traceback" not in output, f"{' '.join(command)}:\n{output}"
        if done.returncode == 0:
            return seen
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, f"{' '.join(command)} stopped without one error line:\n{output}"
        seen.said.append(errors[0])
        files = conflicted(project)
        if files:
            assert all(path in errors[0] for path in files), (errors[0], files)
            for path in files:
                (project / path).write_text(resolve_as_the_user((project / path).read_text()))
            seen.conflicts.update(files)
            if (project / ".git" / "MERGE_HEAD").exists():
                run(["git", "add", *files], project)
                run(["git", "commit", "-q", "--no-edit"], project)
            continue
        fix = FIX.search(errors[0])
        assert fix, f"the stop names neither a conflicted file nor a command: {errors[0]}"
        assert seen.fixes.count(fix.group(1)) < 2, f"'{fix.group(1)}' does not converge: {seen}"
        seen.fixes.append(fix.group(1))
        if fix.group(1) == PIP_INSTALL:
            # The same install from uv's cache, offline, as the suite builds every
            # project's venv: pip takes half a minute per project for it (the day-two
            # test runs this fix verbatim with pip).
            python = str(project / ".venv" / "bin" / "python")
            install = [uv_binary(), "pip", "install", "-q", "--python", python]
            offline = subprocess.run(
                [*install, "--offline", "-r", "requirements-dev.txt"],
                cwd=project,
                env={**env, **UV_ENV},
                capture_output=True,
                text=True,
            )
            if offline.returncode != 0:  # a wheel not in the cache yet
                run([*install, "-r", "requirements-dev.txt"], project, UV_ENV)
            continue
        converge(project, ["sh", "-c", fix.group(1)], env, seen)
    raise AssertionError(f"{' '.join(command)} did not converge: {seen}")


def notes_commands(components: Iterable[dict[str, Any]]) -> list[str]:
    """Every `run '...'` command of the upgrade notes of ``components`` (entries of
    `update --check --format json`), oldest release first, each once."""
    commands: list[str] = []
    for component in components:
        for note in component["notes"]:
            for action in note["actions"]:
                commands += [c for c in FIX.findall(action) if c not in commands]
    return commands
