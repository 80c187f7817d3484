"""quickscale.yml: safe parsing, schemas v1/v2, located diagnostics, typed config, upgrade.

Library API (the CLI and the generator use only these):

* :func:`load_config` — path -> :class:`ProjectConfig`, or :class:`InvalidConfigError`
  listing every diagnostic;
* :func:`validate_file` — path -> list of :class:`Diagnostic` (errors and warnings);
* :func:`validate_text` — check text before it is written (``init --interactive``);
* :func:`upgrade_file` — rewrite a schema-1 file as schema 2, comments kept;
* :func:`schema_path` — the shipped JSON Schema file of a version (for editors).

Importing this package imports nothing else: each name loads its module when first
used, so `init`, which needs only the typed model, never loads PyYAML, the schema code
or jsonschema (validating does).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quickscale_toolchain.config.diagnostics import Diagnostic, KeyPath, Severity
    from quickscale_toolchain.config.model import (
        CONFIG_FILENAME,
        Customizations,
        FieldSpec,
        FrontendConfig,
        ModelSpec,
        ModuleConfig,
        ProjectConfig,
        ProjectInfo,
    )
    from quickscale_toolchain.config.schema import LATEST_VERSION, SCHEMA_VERSIONS, schema_path
    from quickscale_toolchain.config.upgrade import UpgradeResult, upgrade_file
    from quickscale_toolchain.config.validate import (
        InvalidConfigError,
        Validation,
        load_config,
        validate_file,
        validate_path,
        validate_text,
    )

# Each public name and the module of this package that defines it.
_DEFINED_IN = {
    "Diagnostic": "diagnostics",
    "KeyPath": "diagnostics",
    "Severity": "diagnostics",
    "CONFIG_FILENAME": "model",
    "Customizations": "model",
    "FieldSpec": "model",
    "FrontendConfig": "model",
    "ModelSpec": "model",
    "ModuleConfig": "model",
    "ProjectConfig": "model",
    "ProjectInfo": "model",
    "LATEST_VERSION": "schema",
    "SCHEMA_VERSIONS": "schema",
    "schema_path": "schema",
    "UpgradeResult": "upgrade",
    "upgrade_file": "upgrade",
    "InvalidConfigError": "validate",
    "Validation": "validate",
    "load_config": "validate",
    "validate_file": "validate",
    "validate_path": "validate",
    "validate_text": "validate",
}

__all__ = [
    "CONFIG_FILENAME",
    "LATEST_VERSION",
    "SCHEMA_VERSIONS",
    "Customizations",
    "Diagnostic",
    "FieldSpec",
    "FrontendConfig",
    "InvalidConfigError",
    "KeyPath",
    "ModelSpec",
    "ModuleConfig",
    "ProjectConfig",
    "ProjectInfo",
    "Severity",
    "UpgradeResult",
    "Validation",
    "load_config",
    "schema_path",
    "upgrade_file",
    "validate_file",
    "validate_path",
    "validate_text",
]


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (PEP 562)."""
    module = _DEFINED_IN.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
