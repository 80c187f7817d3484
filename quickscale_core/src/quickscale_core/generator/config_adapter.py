"""quickscale.yml -> ProjectSpec: the one place the generator reads the config.

Loading and validation (safe YAML, schemas v1/v2, located diagnostics) belong to
quickscale_core.config; this adapter maps its typed ProjectConfig to the render inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quickscale_core import config
from quickscale_core.errors import QuickScaleError
from quickscale_core.generator.context import ProjectSpec
from quickscale_core.generator.wiring import module_choices

CONFIG_FILE = config.CONFIG_FILENAME


def spec_from_project_config(
    project: config.ProjectConfig, search: Sequence[Path] = ()
) -> ProjectSpec:
    """The render inputs of a validated config.

    The theme and ``modules`` become the spec's wiring (one Extension, see
    ProjectSpec.wiring); ``search`` lists directories that may hold the modules' data
    files when the modules are not installed in this Python (the project, the source).
    """
    modules = module_choices(
        {name: (m.provider, m.options) for name, m in project.modules.items()}, search
    )
    return ProjectSpec(
        name=project.project.name,
        theme=project.theme,
        frontend_source=project.frontend.source,
        frontend_variant=project.frontend.variant,
        version=project.project.version,
        models=project.customizations.models,
        business_rules=tuple(project.customizations.business_rules),
        modules=modules,
    )


def load_spec(root: Path) -> ProjectSpec:
    """The ProjectSpec of the project at ``root``, from its validated quickscale.yml.

    Filesystem rules are skipped (the generator creates the frontend folders itself and
    checks the variant folder against what it renders). Raises ConfigError listing every
    problem, or UsageError when the file cannot be read.
    """
    loaded = config.load_config(root / CONFIG_FILE, check_filesystem=False)
    return spec_from_project_config(loaded, (root, *_source_checkouts()))


def _source_checkouts() -> tuple[Path, ...]:
    """The local source checkout, where the modules' data files can be read from."""
    from quickscale_core.source import resolve_source

    try:
        source = resolve_source(None)
    except QuickScaleError:  # only a fallback location; the render reports what is missing
        return ()
    return (source.local_path,) if source.local_path else ()


def spec_from_config(data: dict[str, Any]) -> ProjectSpec:
    """The ProjectSpec of config ``data`` (as YAML would load it), validated the same way.

    For tests, benchmarks and callers holding a config in memory.
    """
    import yaml

    text = yaml.safe_dump(data, sort_keys=False)
    result = config.validate_text(text)
    if not result.ok or result.document is None or result.schema_version is None:
        raise config.InvalidConfigError(CONFIG_FILE, result.diagnostics)
    from quickscale_core.config.model import build_config

    typed = build_config(
        result.document.data, result.schema_version, Path(CONFIG_FILE), tuple(result.diagnostics)
    )
    return spec_from_project_config(typed)
