"""The ``quickscale init --interactive`` wizard: questions, on-the-spot checks, a summary.

Each answer is checked the moment it is given, by the same validator as
``quickscale validate`` (a config holding the answers so far is validated and the
diagnostics about the key just asked are shown), so the wizard can never accept a value
that the finished quickscale.yml would reject. A wrong answer prints the error and the
question again. Answers may be piped, one per line; input that ends before the last
question is a usage error, and nothing is created.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from quickscale_toolchain.catalog import Catalog, for_source
from quickscale_toolchain.config import LATEST_VERSION, validate_text
from quickscale_toolchain.config.diagnostics import KeyPath
from quickscale_toolchain.errors import ConfigError, QuickScaleError, UsageError
from quickscale_toolchain.generator.context import ProjectSpec, normalize_frontend_source
from quickscale_toolchain.generator.engine import render_project
from quickscale_toolchain.generator.render import templates_root
from quickscale_toolchain.git import require_identity

#: Answer -> None if fine, else the error line to show before asking again.
Check = Callable[[str], str | None]


def shipped_variants() -> list[str]:
    """The client variants a new project's frontend comes with."""
    variants = templates_root() / "project" / "__frontend__" / "variants"
    return sorted(p.name for p in variants.iterdir() if p.is_dir())


def config_problem(
    answers: dict[str, str], path: KeyPath, components: Catalog | None = None
) -> str | None:
    """The first validation error at ``path`` of a config made of ``answers``, if any."""
    import yaml  # imported here: only the wizard needs to write YAML

    data: dict[str, Any] = {
        "schema_version": LATEST_VERSION,
        "project": {
            "name": answers.get("name", "acme"),
            "version": answers.get("version", "0.1.0"),
        },
        "frontend": {
            "source": answers.get("source", "custom_frontend"),
            "variant": answers.get("variant", "default"),
        },
    }
    if "theme" in answers:
        data["theme"] = answers["theme"]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    result = validate_text(text, components=components)
    for diagnostic in result.diagnostics:
        if diagnostic.is_error and diagnostic.path[: len(path)] == path:
            hint = f" — {diagnostic.hint}" if diagnostic.hint else ""
            return f"{diagnostic.message}{hint}"
    return None


def ask(question: str, default: str | None, check: Check) -> str:
    """Ask until ``check`` accepts the answer; piped input is echoed so logs read well."""
    piped = not sys.stdin.isatty()
    while True:
        try:
            answer = click.prompt(question, default=default, show_default=default is not None)
        except click.exceptions.Abort:
            if piped:
                raise UsageError(
                    f"the input ended before '{question}' was answered; nothing was created",
                    "pipe one answer per line (an empty line keeps the default)",
                ) from None
            raise
        answer = str(answer).strip()
        if piped:
            click.echo(answer)
        problem = check(answer)
        if problem is None:
            return answer
        click.echo(f"  error: {problem}", err=True)


def _name_check(directory: Path, answers: dict[str, str]) -> Check:
    def check(answer: str) -> str | None:
        problem = config_problem({**answers, "name": answer}, ("project", "name"))
        if problem:
            return problem
        target = directory / answer
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            return f"directory '{answer}' already exists and is not empty — choose another name"
        return None

    return check


def _source_check(answer: str) -> str | None:
    problem = config_problem({"source": answer}, ("frontend", "source"))
    if problem:
        return problem
    try:
        normalize_frontend_source(answer)
    except ConfigError as error:
        return error.one_line()
    return None


def run_wizard(directory: Path, name: str | None, source: str | None) -> ProjectSpec | None:
    """Ask for the project definition; the spec to create, or None if the user declines.

    The themes offered are those of the source (``--source``, else the usual one).
    A missing source or git identity is refused before the first question, so no
    answer is given in vain.
    """
    require_identity(directory.resolve() / (name or "project"))
    components = for_source(source)
    click.echo(
        "This creates a QuickScale project and its quickscale.yml. Press Enter to keep "
        "the [default]; Ctrl-C quits without creating anything.\n"
    )
    answers: dict[str, str] = {}
    answers["name"] = ask(
        "Project name (a Python package name, e.g. acme)", name, _name_check(directory, answers)
    )
    answers["version"] = ask(
        "Project version",
        "0.1.0",
        lambda a: config_problem({**answers, "version": a}, ("project", "version")),
    )
    answers["theme"] = ask(
        f"Theme ({', '.join(components.themes)})",
        components.default_theme(),
        lambda a: config_problem({**answers, "theme": a}, ("theme",), components),
    )
    answers["source"] = ask("Frontend directory", "custom_frontend", _source_check)
    variants = shipped_variants()
    answers["variant"] = ask(
        f"Client variant ({', '.join(variants)})",
        "default",
        lambda a: (
            config_problem({**answers, "variant": a}, ("frontend", "variant"))
            or (
                None
                if a in variants
                else f"a new project has the variants {', '.join(variants)} — pick one; add more "
                "later under <frontend>/variants/"
            )
        ),
    )
    spec = ProjectSpec(
        name=answers["name"],
        version=answers["version"],
        theme=answers["theme"],
        frontend_source=answers["source"],
        frontend_variant=answers["variant"],
        catalog=components,
    )
    config = render_project(spec)["quickscale.yml"].content.decode("utf-8")
    final = validate_text(config, components=components)
    if not final.ok:  # every answer passed; a failure here is a bug in the template
        raise QuickScaleError(
            "the quickscale.yml to be written is invalid: "
            + "; ".join(d.format() for d in final.diagnostics),
            "please report this",
        )
    click.echo(f"\nSummary: the project will be created in {directory / spec.name}/ with")
    click.echo("quickscale.yml:\n")
    for line in config.splitlines():
        if line and not line.startswith("#"):
            click.echo(f"    {line}")
    click.echo("")
    confirmed = ask(
        "Create the project? (y/n)",
        "y",
        lambda a: None if a.lower() in {"y", "yes", "n", "no"} else "answer y or n",
    )
    return spec if confirmed.lower() in {"y", "yes"} else None
