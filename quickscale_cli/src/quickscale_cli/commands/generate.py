"""``quickscale generate``: bring the project in line with quickscale.yml, safely."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click
from quickscale_toolchain.errors import ExitCode, QuickScaleError

from quickscale_cli.commands._generation import print_warnings, project_root, summary
from quickscale_cli.commands._options import project_directory_option

if TYPE_CHECKING:
    from quickscale_toolchain.components import Component
    from quickscale_toolchain.generator.context import ProjectSpec
    from quickscale_toolchain.generator.plan import Plan
    from quickscale_toolchain.generator.renames import Rename
    from quickscale_toolchain.generator.transaction import Pending

from quickscale_cli.output import Command, interrupt_on_sigterm

EXIT_CODES = {
    0: "done, or nothing to do",
    1: "quickscale.yml is invalid, conflicts (files named), a model or field looks renamed "
    "and neither --rename nor --drop says which, the project's environment lacks what the "
    "config needs (the install command is printed; generate again finishes), failed "
    "migrations, uncommitted changes inside a component to embed or remove, a template "
    "refused by the sandbox or broken, or a path that is a symlink to outside the project",
    2: "no quickscale.yml here or above, --rename/--drop names no candidate, or a usage error",
    130: "interrupted (run generate again to finish)",
}


class GenerateInterrupted(QuickScaleError):
    """Interrupted between atomic file writes: rerunning finishes the job."""

    exit_code = ExitCode.INTERRUPTED


class EnvironmentLacking(QuickScaleError):
    """The project's Python cannot import what the new config needs: install, then rerun."""


class MigrationsFailed(QuickScaleError):
    """manage.py failed: the files are written, the migration step is still owed."""


@click.command(cls=Command, exit_codes=EXIT_CODES)
@project_directory_option
@click.option(
    "--no-migrations",
    is_flag=True,
    help="Do not run 'manage.py makemigrations' after changing the models, nor "
    "'manage.py migrate' after embedding a theme or module.",
)
@click.option(
    "--no-commit",
    is_flag=True,
    help="Leave the changes uncommitted for review (by default generate ends with one "
    "commit of exactly what it changed).",
)
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="Keep the rows of a model or field renamed in quickscale.yml (a RenameModel or "
    "RenameField migration): Product=Item or Product.price=Product.amount.",
)
@click.option(
    "--drop",
    "drops",
    multiple=True,
    metavar="NAME",
    help="Drop a model or field that quickscale.yml seems to rename, with its data: "
    "Product or Product.price.",
)
@click.option(
    "--source",
    metavar="PATH|URL",
    help="Repository to embed themes and modules from (default: $QUICKSCALE_SOURCE, else "
    "the checkout quickscale is installed from).",
)
def generate(
    directory: Path | None,
    no_migrations: bool,
    no_commit: bool,
    renames: tuple[str, ...],
    drops: tuple[str, ...],
    source: str | None,
) -> int:
    """Apply the plan that 'quickscale preview' shows, and commit it.

    Files you never edited are updated; files you edited are merged with the new
    output (3-way); a true conflict leaves standard conflict markers in the file and
    exits 1; files you deleted stay deleted. The theme and the modules of
    quickscale.yml are embedded by git subtree (quickscale_themes/<name>/,
    quickscale_modules/<name>/) or removed when no longer listed. Changed models get
    their migration; a model or field that looks renamed is refused until --rename
    (keep its rows) or --drop says which. In a git repository generate then makes one commit holding
    quickscale.yml and exactly what it changed; your other uncommitted edits stay
    uncommitted. Whenever a step stops (a conflict, a venv that lacks a new module,
    an interrupt), the printed fix followed by 'quickscale generate' finishes the job.

    Unlike validate and preview, which never run a theme's or module's code, generate
    imports the project's apps, those of the theme and modules included (makemigrations,
    migrate): generate only with components you trust.
    """
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.config_adapter import CONFIG_FILE, load_spec
    from quickscale_toolchain.generator.embed import is_git_project
    from quickscale_toolchain.generator.engine import (
        apply_components,
        apply_plan,
        models_changed,
        plan_project,
        prepare_components,
    )
    from quickscale_toolchain.generator.ownership import RECORDS_DIR
    from quickscale_toolchain.generator.renames import encode_renames

    interrupt_on_sigterm()
    root = project_root(directory)
    spec = load_spec(root, source)
    plan = plan_project(root, spec)
    pending = transaction.load(root)
    chosen = _renames(root, spec, plan, pending, renames, drops, _as_typed(directory, source))
    plan.warnings = [w for w in plan.warnings if not _renamed_away(w, chosen)]
    print_warnings(plan)
    if plan.nothing_to_do and (pending.empty or (no_migrations and pending.only_migrations_owed)):
        click.echo("Nothing to do: the project matches quickscale.yml.")
        return 0
    resolved = prepare_components(plan, source)  # refusals here change nothing
    changed_models = models_changed(plan, spec)
    embedded = [op.component for op in plan.components if op.status.value == "embed"]
    if not no_migrations and (changed_models or embedded or not pending.empty):
        _require_environment(root, spec, _as_typed(directory, source))  # before any write
    # Written down before anything changes, so that a stop at any later point leaves the
    # next run knowing which paths its commit holds and which migrations are still owed.
    pending.add(
        [CONFIG_FILE, RECORDS_DIR, *(op.path for op in plan.ops if op.writes)],
        makemigrations=changed_models,  # owed even under --no-migrations
        migrate=[c.id for c in embedded],  # owed too until a run without --no-migrations
        notes=_notes(plan),
    )
    pending.add([op.prefix for op in plan.components])
    pending.renames = encode_renames(chosen)
    try:
        transaction.save(root, pending)
        for line in apply_components(plan, resolved):
            click.echo(f"  {line}")
        apply_plan(plan)
        for op in plan.ops:
            if op.writes or op.status.value in {"conflict", "deleted-by-user", "kept"}:
                click.echo(f"  {op.status.value:<16} {op.path}")
        if not plan.nothing_to_do:
            click.echo(f"Generated: {summary(plan)}.")
        if plan.conflicts:
            _report_conflicts(plan)
            return 1
        if no_migrations:
            _next_steps(root, spec.name, changed_models, embedded)
        else:
            _migrate(root, spec, pending)
        return _finish(root, pending, commit=is_git_project(root) and not no_commit)
    except KeyboardInterrupt:
        raise GenerateInterrupted(
            "interrupted: some files are regenerated, others not yet (each is whole)",
            "run 'quickscale generate' again to finish",
        ) from None


def _renames(
    root: Path,
    spec: ProjectSpec,
    plan: Plan,
    pending: Pending,
    renames: tuple[str, ...],
    drops: tuple[str, ...],
    command: str,
) -> tuple[Rename, ...]:
    """The renames to make: refused (nothing written) while quickscale.yml seems to rename
    a model or field and neither --rename nor --drop says what is meant."""
    from quickscale_toolchain.generator.config_adapter import CONFIG_FILE
    from quickscale_toolchain.generator.renames import (
        choose_renames,
        decode_renames,
        rename_candidates,
    )

    models = f"{spec.name}/generated_models.py"
    candidates = rename_candidates(plan.previous.bases.get(models), plan.records.get(models))
    return choose_renames(
        candidates,
        renames,
        drops,
        root / CONFIG_FILE,
        command=command,
        pending=decode_renames(pending.renames),
    )


def _as_typed(directory: Path | None, source: str | None) -> str:
    """This command as the user would type it again (a fix must run as given)."""
    words = ["quickscale", "generate"]
    if directory is not None:
        words += ["-C", shlex.quote(str(directory))]
    if source:
        words += ["--source", shlex.quote(source)]
    return " ".join(words)


def _renamed_away(warning: str, chosen: tuple[Rename, ...]) -> bool:
    """A "model X was removed … DROPPED" warning about a model that is being renamed."""
    from quickscale_toolchain.generator.renames import ModelRename

    return any(
        isinstance(r, ModelRename) and warning.startswith(f"model {r.old} was removed")
        for r in chosen
    )


def _notes(plan: Plan) -> list[str]:
    """Lines of the commit message: what this run changes, edits of the user's named."""
    notes = [f"{summary(plan)} (quickscale.yml as edited)"]
    notes += [f"{op.status.value} {op.prefix}/" for op in plan.components]
    merged = [op.path for op in plan.ops if op.writes and op.user_modified]
    if merged:
        notes.append(f"merged with your edits: {', '.join(merged)}")
    return notes


def _report_conflicts(plan: Plan) -> None:
    """One line: the files, and what finishes the job once their markers are resolved."""
    files = ", ".join(op.path for op in plan.conflicts)
    click.echo(
        f"error: {len(plan.conflicts)} file(s) have conflicts: {files} — resolve the "
        "conflict markers (<<<<<<< … >>>>>>>) in each, keeping the lines you want; then "
        "'quickscale generate' again finishes the job and commits",
        err=True,
    )


def _next_steps(root: Path, app: str, models: bool, embedded: list[Component]) -> None:
    """--no-migrations: the commands the user chose to run themselves."""
    where = _cd_prefix(root)
    if models:
        click.echo(
            f"Models changed; their migration is still owed. Next: {where}quickscale generate "
            f"(or python manage.py makemigrations {app})"
        )
    if embedded:
        names = ", ".join(c.id for c in embedded)
        click.echo(f"Embedded {names}. Next: {where}python manage.py migrate")


def _migrate(root: Path, spec: ProjectSpec, pending: Pending) -> None:
    """Make the migration of changed models and migrate embedded components: the steps a
    rerun still owes when a previous run stopped before them (``pending`` says which)."""
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.engine import project_python
    from quickscale_toolchain.generator.renames import decode_renames, makemigrations_with_renames

    app = spec.name
    if not (pending.makemigrations or pending.migrate):
        return
    python = project_python(root)  # its apps were checked before anything was written
    if pending.makemigrations:
        if python is None:
            raise EnvironmentLacking(
                "the models changed, and the project has no Python environment to make "
                "their migration",
                "run 'python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt', "
                "then 'quickscale generate' again",
            )
        before = transaction.untracked_or_changed(root, f"{app}/migrations")
        outcome = makemigrations_with_renames(root, app, decode_renames(pending.renames))
        if not outcome.ok:
            raise MigrationsFailed(
                f"makemigrations failed: {_last_line(outcome.output)}",
                "fix that, then run 'quickscale generate' again",
            )
        click.echo(outcome.output)
        after = transaction.untracked_or_changed(root, f"{app}/migrations")
        pending.add(sorted(after - before))
        pending.makemigrations = False
        transaction.save(root, pending)
    if pending.migrate:
        _migrate_components(root, python, pending)


def _require_environment(root: Path, spec: ProjectSpec, typed: str) -> None:
    """Refuse, before anything is written, when the project's venv cannot import every app
    of the new config (its settings will, and makemigrations and migrate load them).

    The fix names the exact install for that venv. An app of a component still to embed
    can only be installed from its embedded folder, so then the fix first writes the code
    (generate --no-migrations, which keeps the migration owed) and installs; either way
    one more generate finishes the job.
    """
    from quickscale_toolchain import catalog
    from quickscale_toolchain.generator.engine import install_command, missing_apps, project_python

    python = project_python(root)
    if python is None:  # no environment at all: the run stops later, saying how to make one
        return
    present = catalog.from_directory(root)
    apps: dict[str, bool] = {}  # app -> its component is embedded already
    for component in spec.components:
        entry = present.get(component) or spec.components_catalog().get(component)
        for app in entry.manifest.apps if entry else ():
            apps[app] = apps.get(app, True) and present.get(component) is not None
    lacking = missing_apps(root, python, list(apps))
    if not lacking:
        return
    install = install_command(root, python)
    fix = install if all(apps[app] for app in lacking) else f"{typed} --no-migrations && {install}"
    raise EnvironmentLacking(
        f"the project's Python ({_shown_python(root, python)}) cannot import "
        f"{', '.join(lacking)}, which quickscale.yml now needs; nothing was changed",
        f"run '{fix}', then 'quickscale generate' again",
    )


def _migrate_components(root: Path, python: str | None, pending: Pending) -> None:
    """``manage.py migrate`` for newly embedded components: best effort, since it only
    touches the local database (the code is complete without it)."""
    from quickscale_toolchain.components import Component
    from quickscale_toolchain.generator import transaction
    from quickscale_toolchain.generator.engine import migrate_project

    components = [Component.parse(text) for text in pending.migrate]
    names = ", ".join(pending.migrate)
    where = _cd_prefix(root)
    outcome = migrate_project(root, components)
    if not outcome.ran:
        click.echo(
            f"Embedded {names}; the project's environment was not found or "
            f"lacks them. Next: {where}{outcome.command}"
        )
    elif not outcome.ok:
        raise MigrationsFailed(
            f"migrate failed: {_last_line(outcome.output)}",
            "fix that, then run 'quickscale generate' again",
        )
    else:
        click.echo(f"Migrated: {names} are ready.")
    pending.migrate = []
    transaction.save(root, pending)


def _finish(root: Path, pending: Pending, *, commit: bool) -> int:
    """Close the run: forget the pending work and, in git, commit exactly its paths."""
    from quickscale_toolchain.generator import transaction

    if pending.makemigrations or pending.migrate:  # --no-migrations: still owed after the commit
        owed = transaction.Pending(makemigrations=pending.makemigrations, migrate=pending.migrate)
        owed.renames = pending.renames
        transaction.save(root, owed)
    else:
        transaction.clear(root)
    if not commit:
        return 0
    subject = "quickscale generate: apply quickscale.yml"
    body = "\n".join(f"- {note}" for note in pending.notes)
    made = transaction.commit(root, pending.paths, f"{subject}\n\n{body}\n" if body else subject)
    if made:
        click.echo(f"Committed {made[:12]}: {subject}.")
    return 0


def _shown_python(root: Path, python: str) -> str:
    return os.path.relpath(python, root) if Path(python).is_relative_to(root) else python


def _last_line(output: str) -> str:
    """Where Django puts the error: the last line of its output."""
    lines = output.strip().splitlines() or ["(no output)"]
    return lines[-1]


def _cd_prefix(root: Path) -> str:
    """``cd <project> && `` unless the project is the current directory, so a printed
    command can be pasted as it is."""
    return "" if root == Path.cwd().resolve() else f"cd {os.path.relpath(root)} && "
