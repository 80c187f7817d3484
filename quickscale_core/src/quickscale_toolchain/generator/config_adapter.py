"""quickscale.yml -> ProjectSpec: the one place the generator reads the config.

Loading and validation (safe YAML, schemas v1/v2, located diagnostics) belong to
quickscale_toolchain.config; this adapter maps its typed ProjectConfig to the render inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quickscale_toolchain import catalog, config
from quickscale_toolchain.catalog import Catalog
from quickscale_toolchain.generator.confine import check_confined
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.wiring import ModuleChoice

CONFIG_FILE = config.CONFIG_FILENAME


def spec_from_project_config(
    project: config.ProjectConfig, components: Catalog | None = None
) -> ProjectSpec:
    """The render inputs of a validated config; ``components`` is where the theme's and
    modules' manifests come from (None: the source's)."""
    modules = tuple(
        ModuleChoice(name, m.provider, m.options) for name, m in project.modules.items()
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
        environments=tuple(project.environments.values()),
        catalog=components,
    )


def load_spec(root: Path, source: str | None = None) -> ProjectSpec:
    """The ProjectSpec of the project at ``root``, from its validated quickscale.yml.

    Its components are the project's embedded ones over those of ``source`` (default:
    the usual source resolution). Filesystem rules are skipped (the generator creates
    the frontend folders itself and checks the variant folder against what it renders).
    Raises ConfigError listing every problem, or UsageError when the file cannot be read.
    """
    check_confined(root, [CONFIG_FILE])  # its values end up in committed files
    components = catalog.for_project(root, source)
    loaded = config.load_config(root / CONFIG_FILE, check_filesystem=False, components=components)
    return spec_from_project_config(loaded, components)


def spec_from_config(data: dict[str, Any]) -> ProjectSpec:
    """The ProjectSpec of config ``data`` (as YAML would load it), validated the same way.

    For tests, benchmarks and callers holding a config in memory.
    """
    import yaml

    text = yaml.safe_dump(data, sort_keys=False)
    components = catalog.for_source(None)
    result = config.validate_text(text, components=components)
    if not result.ok or result.document is None or result.schema_version is None:
        raise config.InvalidConfigError(CONFIG_FILE, result.diagnostics)
    from quickscale_toolchain.config.model import build_config

    typed = build_config(
        result.document.data, result.schema_version, Path(CONFIG_FILE), tuple(result.diagnostics)
    )
    return spec_from_project_config(typed, components)
