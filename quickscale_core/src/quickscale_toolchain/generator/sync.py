"""Bring a project in line with its config: plan (writes nothing), then apply.

plan_project() computes every file's and every embedded subtree's fate;
prepare_components() checks, changing nothing, that the subtrees can move;
apply_components() embeds or removes them; apply_plan() writes every file atomically,
then the ownership records.
"""

from __future__ import annotations

import os
from pathlib import Path

from quickscale_toolchain.changes import ComponentStatus
from quickscale_toolchain.errors import ConfigError
from quickscale_toolchain.generator import embed, ownership, wiring
from quickscale_toolchain.generator.atomic import (
    remove_file,
    remove_stale_temporaries,
    write_atomic,
)
from quickscale_toolchain.generator.config_adapter import CONFIG_FILE, load_spec
from quickscale_toolchain.generator.confine import check_confined
from quickscale_toolchain.generator.context import ProjectSpec, normalize_frontend_source
from quickscale_toolchain.generator.plan import Plan, compute_plan, removed_models
from quickscale_toolchain.generator.project_files import managed_files
from quickscale_toolchain.generator.render import RenderedFile
from quickscale_toolchain.source import Source


def _check_variant(root: Path, spec: ProjectSpec, files: dict[str, RenderedFile]) -> None:
    source = normalize_frontend_source(spec.frontend_source)
    folder = f"{source}/variants/{spec.frontend_variant}"
    generated = any(path.startswith(folder + "/") for path in files)
    if not generated and not (root / folder).is_dir():
        raise ConfigError(
            f"frontend.variant '{spec.frontend_variant}' has no folder {folder}/",
            f"create it (e.g. copy {source}/variants/default/) or pick an existing variant",
        )


def plan_project(root: Path, spec: ProjectSpec | None = None) -> Plan:
    """The plan that brings the project at ``root`` in line with its config."""
    root = root.resolve()
    spec = spec or load_spec(root)
    files = managed_files(spec)
    _check_variant(root, spec, files)
    plan = compute_plan(root, files)
    plan.components = embed.plan_components(root, spec.components)
    check_confined(root, [op.prefix for op in plan.components])  # folders to embed or remove
    for op in plan.components:
        if op.status is ComponentStatus.REMOVE:
            plan.warnings.append(wiring.removal_warning(op.component, spec.components_catalog()))
    models_path = f"{spec.name}/generated_models.py"
    gone = removed_models(plan.previous.bases.get(models_path), plan.records.get(models_path))
    for name in gone:
        plan.warnings.append(
            f"model {name} was removed from {CONFIG_FILE}: its table "
            f"{spec.name}_{name.lower()} and every row in it will be DROPPED by the next "
            f"'manage.py migrate'; back the data up first "
            f"('python manage.py dumpdata {spec.name}.{name} > {name.lower()}.json'), "
            "or put the model back in the config"
        )
    return plan


def apply_plan(plan: Plan) -> None:
    """Write the plan: each file atomically, then the records (bases, manifest last).

    Every step is idempotent, so a run killed at any point converges when rerun: a file
    already equal to its new render plans as unchanged, and the records catch up.
    """
    root = plan.root
    touched = {(root / op.path).parent for op in plan.ops}
    touched |= {ownership.base_path(root, path).parent for path in plan.records}
    remove_stale_temporaries(touched | {root / ownership.RECORDS_DIR})
    for op in plan.ops:
        if not op.writes:
            continue
        target = root / op.path
        if op.new is None:
            remove_file(target, root)
        else:
            executable = op.executable or (target.exists() and os.access(target, os.X_OK))
            write_atomic(target, op.new, executable=executable)
    if not plan.records_current:
        ownership.write(root, plan.records, plan.previous)


def prepare_components(plan: Plan, source: str | None = None) -> Source | None:
    """Check, changing nothing, that the plan's subtrees can be embedded or removed; return
    the source to embed from (None when there is nothing to embed or remove).

    Refuses with DirtyTreeError when a folder to embed or remove holds uncommitted
    changes, and with a SourceError when the source lacks a wanted component.
    """
    if not plan.components:
        return None
    from quickscale_toolchain.source import check_components, resolve_source

    embed.require_clean_prefixes(plan.root, plan.components)
    resolved = resolve_source(source)
    wanted = [op.component.id for op in plan.components if op.status is ComponentStatus.EMBED]
    check_components(resolved, wanted)
    return resolved


def apply_components(plan: Plan, source: Source | None) -> list[str]:
    """Embed or remove the plan's subtrees (before apply_plan writes the files), from the
    source prepare_components() checked. Returns one line per change made."""
    if not plan.components or source is None:
        return []
    return embed.apply_components(plan.root, plan.components, source)


def models_changed(plan: Plan, spec: ProjectSpec) -> bool:
    """Whether this plan changes the models: the generated ones, or the project's
    models.py (a newer core's user model, e.g. the ``language`` field, is merged in)."""
    paths = {f"{spec.name}/generated_models.py", f"{spec.name}/models.py"}
    return any(op.path in paths and op.writes for op in plan.ops)
