"""``quickscale components``: the catalogue of modules and themes a source offers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from quickscale_cli.commands._options import format_option, project_directory_option
from quickscale_cli.output import Command

EXIT_CODES = {0: "listed", 1: "the source or a manifest cannot be read", 2: "usage error"}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@click.option(
    "--kind",
    type=click.Choice(["modules", "themes"]),
    default=None,
    help="List only modules or only themes (default: both).",
)
@click.option("--source", metavar="PATH|URL", help="Source repository (default as for init).")
@project_directory_option
@format_option
def components(
    kind: str | None, source: str | None, directory: Path | None, output_format: str
) -> None:
    """List the modules and themes: name, version, description and providers, and,
    inside a project (found from DIR upwards, if there is one), whether each is enabled
    and which version is embedded.

    Everything comes from the components' manifests ([tool.quickscale] in each one's
    pyproject.toml); a new module folder in the source shows up here at once.
    """
    rows = _rows(kind, source, directory)
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    inside = any("enabled" in row for row in rows)
    table = Table(box=None, pad_edge=False, highlight=False)
    for title in ("component", "version", "providers", "description"):
        table.add_column(title, overflow="fold")
    if inside:
        table.add_column("in this project")
    for row in rows:
        providers = ", ".join(
            f"{p}*" if p == row["default_provider"] else p for p in row["providers"]
        )
        cells = [row["id"], row["version"], providers or "-", row["description"]]
        if inside:
            state = "enabled" if row["enabled"] else "-"
            if row["embedded_version"]:
                state += f" (embedded {row['embedded_version']})"
            cells.append(state)
        table.add_row(*cells)
    Console(soft_wrap=False).print(table)
    click.echo("* default provider")


def _rows(kind: str | None, source: str | None, directory: Path | None) -> list[dict[str, Any]]:
    from quickscale_core.errors import UsageError
    from quickscale_core.generator.engine import find_project_root

    from quickscale_core import catalog

    root: Path | None
    try:
        root = find_project_root(directory if directory is not None else Path.cwd())
    except UsageError:
        if directory is not None:
            raise
        root = None
    if root is not None:
        from quickscale_cli.guard import refuse_unfinished_merge

        refuse_unfinished_merge(root)
    offered = catalog.for_source(source)
    embedded = catalog.from_directory(root) if root else catalog.Catalog()
    enabled: set[str] = set()
    if root is not None:
        from quickscale_core.generator.config_adapter import load_spec

        enabled = {c.id for c in load_spec(root, source).components}
    rows = []
    for entry in embedded.over(offered):
        if kind and entry.component.kind != kind:
            continue
        manifest = entry.manifest
        source_entry = offered.get(entry.component)
        row: dict[str, Any] = {
            "id": entry.component.id,
            "kind": entry.component.singular,
            "name": manifest.name,
            "version": source_entry.manifest.version if source_entry else manifest.version,
            "description": manifest.description,
            "providers": [p.name for p in manifest.providers],
            "default_provider": manifest.default_provider,
            "requires": [r.id for r in manifest.requires],
        }
        if root is not None:
            here = embedded.get(entry.component)
            row["enabled"] = entry.component.id in enabled
            row["embedded_version"] = here.manifest.version if here else None
        rows.append(row)
    return rows
