"""Shared pieces of ``preview``, ``generate`` and ``status``: the project and the plan display."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from quickscale_toolchain.generator.plan import Plan

STATUS_STYLE = {
    "new": "green",
    "unchanged": "dim",
    "updated": "cyan",
    "merged": "blue",
    "conflict": "bold red",
    "deleted-by-user": "yellow",
    "removed": "magenta",
    "kept": "yellow",
}


def project_root(directory: Path | None) -> Path:
    """The project to act on; inside it, the command re-runs with the project's own
    quickscale_core (see quickscale_cli.launcher)."""
    from quickscale_toolchain.generator.engine import find_project_root

    from quickscale_cli.launcher import run_project_core

    root = find_project_root(directory if directory is not None else Path.cwd())
    run_project_core(root)
    return root


def print_tree(plan: Plan, *, only_changes: bool = False) -> None:
    """The plan as a file tree with each file's status (Rich, imported here)."""
    from rich.console import Console
    from rich.tree import Tree

    console = Console(highlight=False, soft_wrap=True)
    tree = Tree(f"[bold]{plan.root.name}/[/]")
    branches: dict[str, Tree] = {"": tree}
    for op in plan.ops:
        if only_changes and not (op.writes or op.status.value != "unchanged"):
            continue
        parts = op.path.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in branches:
                parent = branches["/".join(parts[: depth - 1])]
                branches[key] = parent.add(f"[bold]{parts[depth - 1]}/[/]")
        style = STATUS_STYLE.get(op.status.value, "")
        note = " (your edits kept)" if op.user_modified and op.status.value == "unchanged" else ""
        label = f"{parts[-1]}  [{style}]{op.status.value}{note}[/]"
        branches["/".join(parts[:-1])].add(label)
    console.print(tree)


def print_warnings(plan: Plan) -> None:
    for warning in plan.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


def summary(plan: Plan) -> str:
    counts = plan.counts()
    parts = [f"{count} {status}" for status, count in counts.items()]
    for action in ("embed", "remove"):
        number = sum(1 for op in plan.components if op.status.value == action)
        if number:
            parts.append(f"{number} component(s) to {action}")
    return ", ".join(parts)
