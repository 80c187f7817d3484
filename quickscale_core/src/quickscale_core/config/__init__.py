"""quickscale.yml: safe parsing, schemas v1/v2, located diagnostics, typed config, upgrade.

Library API (the CLI and the generator use only these):

* :func:`load_config` — path -> :class:`ProjectConfig`, or :class:`InvalidConfigError`
  listing every diagnostic;
* :func:`validate_file` — path -> list of :class:`Diagnostic` (errors and warnings);
* :func:`validate_text` — check text before it is written (``init --interactive``);
* :func:`upgrade_file` — rewrite a schema-1 file as schema 2, comments kept;
* :func:`schema_path` — the shipped JSON Schema file of a version (for editors).

Importing this package does not import jsonschema; validating does.
"""

from quickscale_core.config.diagnostics import Diagnostic, KeyPath, Severity
from quickscale_core.config.model import (
    Customizations,
    FieldSpec,
    FrontendConfig,
    ModelSpec,
    ModuleConfig,
    ProjectConfig,
    ProjectInfo,
)
from quickscale_core.config.schema import LATEST_VERSION, SCHEMA_VERSIONS, schema_path
from quickscale_core.config.upgrade import UpgradeResult, upgrade_file
from quickscale_core.config.validate import (
    CONFIG_FILENAME,
    InvalidConfigError,
    Validation,
    load_config,
    validate_file,
    validate_path,
    validate_text,
)

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
