"""The validated configuration as typed, immutable values, defaults filled in.

The generator works from these, never from raw YAML dicts: every field it reads has one
type and one default, decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from quickscale_toolchain.config.diagnostics import Diagnostic
from quickscale_toolchain.config.environments import EnvironmentConfig, build_environments

CONFIG_FILENAME = "quickscale.yml"

DEFAULT_VERSION = "0.1.0"
DEFAULT_FRONTEND_SOURCE = "./custom_frontend/"
DEFAULT_VARIANT = "default"

#: max_length used when a field of these types gives none (Django's own defaults but 255).
DEFAULT_MAX_LENGTH = {"string": 255, "slug": 50, "email": 254, "url": 200}
#: max_digits and decimal_places of a decimal field that gives none.
DEFAULT_MAX_DIGITS = 10
DEFAULT_DECIMAL_PLACES = 2


@dataclass(frozen=True)
class ProjectInfo:
    name: str
    version: str = DEFAULT_VERSION


@dataclass(frozen=True)
class FrontendConfig:
    source: str = DEFAULT_FRONTEND_SOURCE
    variant: str = DEFAULT_VARIANT


@dataclass(frozen=True)
class ModuleConfig:
    """One entry of ``modules``; ``options`` holds its keys other than ``provider``.

    ``provider`` is None when the config names none: the module's manifest decides.
    """

    name: str
    provider: str | None
    options: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class FieldSpec:
    """One field of a customization model; attributes that do not apply are None."""

    name: str
    type: str
    required: bool = True
    unique: bool = False
    has_default: bool = False
    default: Any = None
    help_text: str = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    max_digits: int | None = None
    decimal_places: int | None = None
    to: str | None = None
    on_delete: str | None = None


@dataclass(frozen=True)
class ModelSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    description: str = ""


@dataclass(frozen=True)
class Customizations:
    models: tuple[ModelSpec, ...] = ()
    business_rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectConfig:
    """A valid quickscale.yml. Schema-1 files have no modules or customizations (ignored).

    ``theme`` is None when the file names none (the source's default theme applies).
    ``warnings`` are the diagnostics that did not make the file invalid.
    ``environments`` are the deployment environments' overrides (none in schema 1).
    """

    path: Path
    schema_version: int
    project: ProjectInfo
    theme: str | None
    backend_extensions: str
    frontend: FrontendConfig
    modules: MappingProxyType[str, ModuleConfig]
    customizations: Customizations
    warnings: tuple[Diagnostic, ...] = ()
    #: ``environments`` (schema 2): name -> overrides, for ``deploy --env`` and settings.
    environments: MappingProxyType[str, EnvironmentConfig] = field(
        default_factory=lambda: MappingProxyType({})
    )


def build_config(
    data: dict[str, Any], version: int, path: Path, warnings: tuple[Diagnostic, ...] = ()
) -> ProjectConfig:
    """Typed view of ``data``, which must already be valid for schema ``version``."""
    project = ProjectInfo(
        name=data["project"]["name"],
        version=data["project"].get("version", DEFAULT_VERSION),
    )
    frontend_data = data.get("frontend") or {}
    frontend = FrontendConfig(
        source=frontend_data.get("source", DEFAULT_FRONTEND_SOURCE),
        variant=frontend_data.get("variant", DEFAULT_VARIANT),
    )
    modules: dict[str, ModuleConfig] = {}
    customizations = Customizations()
    if version >= 2:
        for name, options in (data.get("modules") or {}).items():
            options = dict(options or {})
            provider = options.pop("provider", None)
            modules[name] = ModuleConfig(name, provider, MappingProxyType(options))
        custom = data.get("customizations") or {}
        customizations = Customizations(
            models=tuple(_model(m) for m in custom.get("models") or ()),
            business_rules=tuple(custom.get("business_rules") or ()),
        )
    return ProjectConfig(
        path=path,
        schema_version=version,
        project=project,
        theme=data.get("theme"),
        backend_extensions=data.get("backend_extensions", f"{project.name}.backend_extensions"),
        frontend=frontend,
        modules=MappingProxyType(modules),
        customizations=customizations,
        warnings=warnings,
        environments=MappingProxyType(build_environments(data) if version >= 2 else {}),
    )


def _model(data: dict[str, Any]) -> ModelSpec:
    return ModelSpec(
        name=data["name"],
        fields=tuple(_field(f) for f in data["fields"]),
        description=data.get("description", ""),
    )


def _field(data: dict[str, Any]) -> FieldSpec:
    kind = data["type"]
    decimal = kind == "decimal"
    return FieldSpec(
        name=data["name"],
        type=kind,
        required=data.get("required", True),
        unique=data.get("unique", False),
        has_default="default" in data,
        default=data.get("default"),
        help_text=data.get("help_text", ""),
        max_length=int(data.get("max_length", DEFAULT_MAX_LENGTH.get(kind, 0))) or None,
        choices=tuple(data.get("choices") or ()),
        max_digits=int(data.get("max_digits", DEFAULT_MAX_DIGITS)) if decimal else None,
        decimal_places=int(data.get("decimal_places", DEFAULT_DECIMAL_PLACES)) if decimal else None,
        to=data.get("to"),
        on_delete=data.get("on_delete", "cascade") if kind == "foreign_key" else None,
    )
