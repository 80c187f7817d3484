"""What a project is made of, and the template context derived from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from quickscale_core import pins
from quickscale_core.config import ModelSpec
from quickscale_core.errors import ConfigError
from quickscale_core.generator import wiring
from quickscale_core.generator.customizations import models_context, rules_context
from quickscale_core.generator.wiring import ModuleChoice
from quickscale_core.names import validate_project_name


@dataclass(frozen=True)
class Extension:
    """What a module or theme adds to a generated project (wired in by later work).

    Kept as plain data so wiring a module is a matter of filling these tuples: the
    templates already lay them out in settings.py, urls.py and requirements.txt.
    """

    apps: tuple[str, ...] = ()  # INSTALLED_APPS entries, e.g. "quickscale_modules_auth"
    url_includes: tuple[tuple[str, str], ...] = ()  # (prefix, "module.urls")
    settings_lines: tuple[str, ...] = ()  # Python lines appended to settings.py
    requirements: tuple[str, ...] = ()  # requirement lines, e.g. "-e ./quickscale_modules/auth"
    settings_imports: tuple[str, ...] = ()  # import lines before settings_lines


def normalize_frontend_source(source: str) -> str:
    """``./custom_frontend/`` -> ``custom_frontend``; refuse paths leaving the project."""
    text = source.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    path = PurePosixPath(text.rstrip("/") or "custom_frontend")
    if path.is_absolute() or ".." in path.parts or str(path) in {"", "."}:
        raise ConfigError(
            f"frontend.source '{source}' must be a directory inside the project",
            "write a relative path such as ./custom_frontend/",
        )
    return str(path)


@dataclass(frozen=True)
class ProjectSpec:
    """The inputs of a render: everything a project's generated files depend on.

    Two equal specs render byte-identical files; nothing random or time-dependent
    belongs here (the development secret key goes to the git-ignored .env instead).
    """

    name: str
    theme: str = "starter"
    frontend_source: str = "custom_frontend"
    frontend_variant: str = "default"
    version: str = "0.1.0"
    models: tuple[ModelSpec, ...] = ()
    business_rules: tuple[str, ...] = ()
    modules: tuple[ModuleChoice, ...] = ()
    extensions: tuple[Extension, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        validate_project_name(self.name)
        if self.theme not in wiring.THEME_CHAIN:
            raise ConfigError(
                f"unknown theme '{self.theme}'",
                f"use one of: {', '.join(wiring.THEMES)}",
            )

    @property
    def components(self) -> tuple[str, ...]:
        """The shared components embedded by git subtree (themes, then modules)."""
        return wiring.components(self.theme, self.modules)

    @property
    def module_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.modules)

    def wiring(self) -> Extension:
        """What the theme and the enabled modules add to the project's files."""
        imports, lines = wiring.module_settings(self.title, self.modules)
        return Extension(
            url_includes=wiring.url_includes(self.theme, self.modules),
            settings_lines=lines,
            requirements=wiring.requirement_lines(self.theme, self.modules),
            settings_imports=imports,
        )

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").title()

    def template_context(self) -> dict[str, Any]:
        extensions = (self.wiring(), *self.extensions)
        env_vars = [(m.name, m.provider, m.env_vars) for m in self.modules if m.env_vars]
        return {
            "project_name": self.name,
            "project_title": self.title,
            "project_version": self.version,
            "theme": self.theme,
            "frontend_source": normalize_frontend_source(self.frontend_source),
            "frontend_variant": self.frontend_variant,
            **models_context(self.name, self.models),
            "business_rules": rules_context(self.business_rules),
            "theme_apps": list(wiring.theme_apps(self.theme)),
            "modules": list(self.module_names),
            "module_env_vars": env_vars,
            "extra_apps": [app for ext in extensions for app in ext.apps],
            "url_includes": [inc for ext in extensions for inc in ext.url_includes],
            "settings_imports": [line for ext in extensions for line in ext.settings_imports],
            "settings_lines": [line for ext in extensions for line in ext.settings_lines],
            "extra_requirements": [req for ext in extensions for req in ext.requirements],
            "pins": pins.as_dict(),
            "runtime_pins": pins.RUNTIME,
            "dev_pins": pins.DEV,
            "python_min": pins.PYTHON_MIN,
        }
