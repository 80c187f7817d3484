"""One environment of a project, resolved: its effective config, hash and deploy target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quickscale_toolchain.config.environments import EnvironmentConfig, config_hash, effective_data
from quickscale_toolchain.errors import UsageError

CONFIG_FILE = "quickscale.yml"


@dataclass(frozen=True)
class Environment:
    """What ``deploy --env NAME`` and ``preview --env NAME`` act on."""

    root: Path
    project: str
    config: EnvironmentConfig
    effective: dict[str, Any]  # the top level with this environment's overrides
    modules: dict[str, tuple[str | None, dict[str, Any]]]  # name -> (provider, options)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def config_hash(self) -> str:
        return config_hash(self.effective)


def load_environment(root: Path, name: str, *, check_filesystem: bool = True) -> Environment:
    """Environment ``name`` of the project at ``root``, from its validated quickscale.yml.

    Raises ``InvalidConfigError`` (every diagnostic) when the file is invalid, and
    ``UsageError`` when it has no environment ``name`` (listing those it has).
    """
    from quickscale_toolchain import catalog, config
    from quickscale_toolchain.config.diagnostics import did_you_mean, quote_list

    components = catalog.for_project(root, None)
    result = config.validate_path(
        root / CONFIG_FILE,
        file=CONFIG_FILE,
        check_filesystem=check_filesystem,
        components=components,
    )
    if not result.ok or result.document is None or result.schema_version is None:
        raise config.InvalidConfigError(CONFIG_FILE, result.diagnostics)
    data = result.document.data
    environments = data.get("environments") or {}
    if name not in environments:
        if not environments:
            raise UsageError(
                f"quickscale.yml has no environments, so no environment '{name}'",
                f"add 'environments:' with '{name}:' under it (docs/config.md)",
            )
        guess = did_you_mean(name, list(environments)) or next(
            (e for e in environments if e.startswith(name)), None
        )
        hint = f"did you mean '{guess}'? " if guess else ""
        raise UsageError(
            f"quickscale.yml has no environment '{name}'",
            hint + f"its environments: {quote_list(list(environments))}",
        )
    from quickscale_toolchain.config.environments import build_environments

    effective = effective_data(data, name)
    modules = {}
    for module, options in (effective.get("modules") or {}).items():
        options = dict(options or {})
        modules[module] = (options.pop("provider", None), options)
    return Environment(
        root=root,
        project=data["project"]["name"],
        config=build_environments(data)[name],
        effective=effective,
        modules=modules,
    )
