"""quickscale.yml -> ProjectSpec: the one place the generator reads the config.

The config package (quickscale_core.config) owns loading and validation with located
diagnostics; this adapter maps its result to a ProjectSpec. Until that API is available
it falls back to a plain safe YAML load with the checks generation itself needs, so
switching is a change in :func:`read_config` only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quickscale_core.errors import ConfigError, UsageError
from quickscale_core.generator.context import ProjectSpec
from quickscale_core.generator.customizations import parse_models, parse_rules

CONFIG_FILE = "quickscale.yml"


def read_config(path: Path) -> dict[str, Any]:
    """The config at ``path`` as plain data (mappings, lists, scalars)."""
    import yaml  # imported here: keeps the CLI's start-up light

    if not path.is_file():
        raise UsageError(
            f"no {CONFIG_FILE} in {path.parent}",
            "run the command inside a project made by 'quickscale init', or pass --directory",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"{CONFIG_FILE} is not valid YAML: {str(error).splitlines()[0]}",
            "fix the file (check it with 'quickscale validate'), then retry",
        ) from error
    if not isinstance(data, dict):
        raise ConfigError(f"{CONFIG_FILE} must be a mapping", "start from 'schema_version: 2'")
    return data


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"'{key}' in {CONFIG_FILE} must be a mapping", f"write '{key}:' keys")
    return value


def spec_from_config(data: dict[str, Any]) -> ProjectSpec:
    """Map loaded config data to the render inputs."""
    version = data.get("schema_version")
    if version not in (1, 2):
        raise ConfigError(
            f"schema_version {version!r} is not supported", "write 'schema_version: 2'"
        )
    project = _mapping(data, "project")
    name = project.get("name")
    if not isinstance(name, str):
        raise ConfigError("project.name is missing", "add 'project: {name: mysite}'")
    frontend = _mapping(data, "frontend")
    customizations = _mapping(data, "customizations")
    if customizations and version == 1:
        raise ConfigError(
            "customizations need schema_version 2", "set 'schema_version: 2' at the top"
        )
    return ProjectSpec(
        name=name,
        theme=str(data.get("theme") or "starter"),
        frontend_source=str(frontend.get("source") or "./custom_frontend/"),
        frontend_variant=str(frontend.get("variant") or "default"),
        version=str(project.get("version") or "0.1.0"),
        models=parse_models(customizations.get("models")),
        business_rules=parse_rules(customizations.get("business_rules")),
    )


def load_spec(root: Path) -> ProjectSpec:
    """The ProjectSpec of the project at ``root``, from its quickscale.yml."""
    return spec_from_config(read_config(root / CONFIG_FILE))
