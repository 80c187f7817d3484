"""``quickscale components``: the catalogue of modules and themes a source offers, and
``quickscale components NAME``: one component's options, providers and an example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from quickscale_cli.commands._options import project_directory_option
from quickscale_cli.output import Command

EXIT_CODES = {
    0: "listed or described",
    1: "the source or a manifest cannot be read",
    2: "usage error (an unknown NAME included)",
}


@click.command(cls=Command, exit_codes=EXIT_CODES)
@click.argument("name", required=False)
@click.option(
    "--kind",
    type=click.Choice(["modules", "themes"]),
    default=None,
    help="List only modules or only themes (default: both).",
)
@click.option("--source", metavar="PATH|URL", help="Source repository (default as for init).")
@project_directory_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output for people (text), programs (json) or documentation (markdown: the "
    "reference docs/config.md carries).",
)
def components(
    name: str | None,
    kind: str | None,
    source: str | None,
    directory: Path | None,
    output_format: str,
) -> None:
    """List the modules and themes: name, version, options and description, and, inside
    a project (found from DIR upwards, if there is one), whether each is enabled and
    which version is embedded.

    With NAME (billing, modules/billing, themes/todo), describe that one component:
    its options with their types, defaults and allowed values, its providers and the
    environment variables each reads, what it requires, and examples to paste into
    quickscale.yml.

    Everything comes from the components' manifests ([tool.quickscale] in each one's
    pyproject.toml); a new module folder in the source shows up here at once.
    """
    from quickscale_cli.commands import _reference

    rows = _rows(kind, source, directory)
    if name is not None:
        row = _pick(rows, name)
        if output_format == "json":
            click.echo(json.dumps(row, indent=2))
        elif output_format == "markdown":
            click.echo(_reference.reference_markdown([row]), nl=False)
        else:
            import shutil

            width = shutil.get_terminal_size((80, 24)).columns
            click.echo(_reference.detail_text(row, width), nl=False)
        return
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
    elif output_format == "markdown":
        click.echo(_reference.reference_markdown(rows), nl=False)
    else:
        _print_list(rows)


def _pick(rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The row ``name`` means: an id (modules/billing) or a name one component has."""
    from quickscale_toolchain.config.diagnostics import did_you_mean
    from quickscale_toolchain.errors import UsageError

    named = [r for r in rows if name in (r["id"], r["name"])]
    if len(named) == 1:
        return named[0]
    if named:
        ids = [r["id"] for r in named]
        raise UsageError(
            f"'{name}' names {' and '.join(ids)}",
            f"name one: run 'quickscale components {ids[0]}'",
        )
    if "/" in name:
        guess = did_you_mean(name, [r["id"] for r in rows])
    else:  # a name, or the id where two components share it
        shared = {r["name"] for r in rows if sum(o["name"] == r["name"] for o in rows) > 1}
        guess = did_you_mean(name, [r["id"] if r["name"] in shared else r["name"] for r in rows])
    there = ", ".join(r["id"] for r in rows) or "none"
    fix = f"did you mean '{guess}'? run 'quickscale components {guess}'" if guess else ""
    raise UsageError(
        f"no component named '{name}' in the source",
        f"{fix}{'; ' if fix else ''}the components are: {there}",
    )


def _rows(kind: str | None, source: str | None, directory: Path | None) -> list[dict[str, Any]]:
    from quickscale_toolchain import catalog
    from quickscale_toolchain.errors import UsageError
    from quickscale_toolchain.generator.engine import find_project_root

    from quickscale_cli.commands._reference import describe

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
        from quickscale_toolchain.generator.config_adapter import load_spec

        enabled = {c.id for c in load_spec(root, source).components}
    rows = []
    for entry in embedded.over(offered):
        if kind and entry.component.kind != kind:
            continue
        row = describe(entry)
        source_entry = offered.get(entry.component)
        if source_entry:  # what enabling it now would embed
            row["version"] = source_entry.manifest.version
        if root is not None:
            here = embedded.get(entry.component)
            row["enabled"] = entry.component.id in enabled
            row["embedded_version"] = here.manifest.version if here else None
        rows.append(row)
    return rows


# --- The list, as text (quickscale_cli.tables: a table in a terminal, else plain lines) --


def _cells(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The header and one row per component; a cell's lines are separated by newlines."""
    inside = any("enabled" in row for row in rows)
    table = [["component", "version", *(["in this project"] if inside else []), "options"]]
    table[0].append("description")
    for row in rows:
        state = []
        if inside:  # the embedded version only where it is not the one offered
            state = ["enabled" if row["enabled"] else "-"]
            if row["embedded_version"] not in (None, row["version"]):
                state[0] += f" ({row['embedded_version']} embedded)"
        cells = [row["id"], row["version"], *state, _options_cell(row), row["description"]]
        table.append(cells)
    return table


def _options_cell(row: dict[str, Any]) -> str:
    """The keys a module's entry takes; a long list of providers is shortened (the
    component's own page and the JSON list them all)."""
    lines = []
    providers = row["providers"]
    if providers:
        default = row["default_provider"]
        others = [p for p in providers if p != default]
        shown = [f"{default}*", *others] if len(providers) <= 3 else [f"{default}*"]
        rest = f", {len(others)} more" if len(providers) > 3 else ""
        lines.append(f"provider: {', '.join(shown)}{rest}")
    if row["schema"]:
        lines += [key for key in row["schema"]["properties"] if key != "provider"]
    return "\n".join(lines) or "-"


def _print_list(rows: list[dict[str, Any]]) -> None:
    from quickscale_cli.tables import print_table

    print_table(_cells(rows), one_word=2)  # the id and the version never wrap
    if any(row["providers"] for row in rows):
        click.echo("* the default provider")
    click.echo("quickscale components NAME: one component's options, providers and an example")
