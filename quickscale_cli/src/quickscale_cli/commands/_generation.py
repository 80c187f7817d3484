"""Shared pieces of ``preview``, ``generate`` and ``status``: the project and the plan display."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from quickscale_toolchain.api import FileStatus, PlanResult


def _style(status: FileStatus) -> str:
    from quickscale_toolchain.api import FileStatus

    return {
        FileStatus.NEW: "green",
        FileStatus.UNCHANGED: "dim",
        FileStatus.UPDATED: "cyan",
        FileStatus.MERGED: "blue",
        FileStatus.CONFLICT: "bold red",
        FileStatus.DELETED_BY_USER: "yellow",
        FileStatus.REMOVED: "magenta",
        FileStatus.KEPT: "yellow",
    }.get(status, "")


def project_root(directory: Path | None) -> Path:
    """The project to act on; inside it, the command re-runs with the project's own
    toolchain (see quickscale_cli.launcher)."""
    from quickscale_toolchain import api

    from quickscale_cli.launcher import run_project_core

    root = api.find_project(directory if directory is not None else Path.cwd())
    run_project_core(root)
    return root


def print_tree(plan: PlanResult, *, only_changes: bool = False) -> None:
    """The plan as a file tree with each file's status (Rich, imported here)."""
    from quickscale_toolchain.api import FileStatus
    from rich.console import Console
    from rich.tree import Tree

    console = Console(highlight=False, soft_wrap=True)
    tree = Tree(f"[bold]{plan.root.name}/[/]")
    branches: dict[str, Tree] = {"": tree}
    for change in plan.files:
        if only_changes and not (change.writes or change.status is not FileStatus.UNCHANGED):
            continue
        parts = change.path.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in branches:
                parent = branches["/".join(parts[: depth - 1])]
                branches[key] = parent.add(f"[bold]{parts[depth - 1]}/[/]")
        kept = change.user_modified and change.status is FileStatus.UNCHANGED
        note = " (your edits kept)" if kept else ""
        label = f"{parts[-1]}  [{_style(change.status)}]{change.status.value}{note}[/]"
        branches["/".join(parts[:-1])].add(label)
    console.print(tree)


def print_warnings(warnings: Iterable[str]) -> None:
    for warning in warnings:
        print_warning(warning)


def print_warning(warning: str) -> None:
    click.secho(f"warning: {warning}", fg="yellow", err=True)
