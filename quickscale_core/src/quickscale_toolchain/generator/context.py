"""What a project is made of, and the template context derived from it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from quickscale_toolchain import pins
from quickscale_toolchain.components import Component
from quickscale_toolchain.config import ModelSpec
from quickscale_toolchain.config.environments import EnvironmentConfig
from quickscale_toolchain.core_support import check_compatible
from quickscale_toolchain.django_support import check_supported
from quickscale_toolchain.errors import ConfigError
from quickscale_toolchain.generator import settings_model
from quickscale_toolchain.generator.customizations import models_context, rules_context
from quickscale_toolchain.generator.pysource import import_from
from quickscale_toolchain.generator.render import RenderedFile
from quickscale_toolchain.generator.wiring import ModuleChoice, Wiring, entry_layout, wire
from quickscale_toolchain.manifest import ModelMarkings
from quickscale_toolchain.names import validate_project_name

if TYPE_CHECKING:
    from quickscale_toolchain.catalog import Catalog


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


def core_field_markings(project: str) -> tuple[ModelMarkings, ...]:
    """Core's own field markings, in the manifests' shape: the project's user model
    (core's template), the sessions and the cache table (hold what a login holds)."""
    return (
        ModelMarkings(f"{project}.User", (("password", ("secret",)),)),
        ModelMarkings(
            "sessions.Session", (("session_key", ("secret",)), ("session_data", ("secret",)))
        ),
        ModelMarkings("quickscale_core.CacheEntry", (("value", ("secret",)),)),
    )


def core_personal_data(project: str) -> tuple[ModelMarkings, ...]:
    """Core's own personal data, in the manifests' shape: the account itself and the
    admin's log of what a staff user changed."""
    return (
        ModelMarkings(f"{project}.User", user="pk", description="Your account", erase="delete"),
        ModelMarkings(
            "admin.LogEntry",
            user="user",
            description="Changes you made in the admin",
            erase="delete",
        ),
    )


def _personal_data_layout(
    rows: list[tuple[str, dict[str, dict[str, Any]], str, str]],
) -> list[tuple[str, list[tuple[str, list[Any]]], list[Any]]]:
    """QUICKSCALE_PERSONAL_DATA as component_settings.py.j2 writes it: per component, its
    models' (key, value, layout) and its hooks' (see wiring.entry_layout), so that long
    descriptions and reasons are wrapped as ruff format wraps them."""
    laid = []
    for component, models, before_erase, sample in rows:
        declared = [
            (model, [(k, v, entry_layout(k, v, 16)) for k, v in keys.items()])
            for model, keys in models.items()
        ]
        hooks = [
            (k, v, entry_layout(k, v, 8))
            for k, v in (("before_erase", before_erase), ("sample", sample))
        ]
        laid.append((component, declared, hooks))
    return laid


@dataclass(frozen=True)
class ProjectSpec:
    """The inputs of a render: everything a project's generated files depend on.

    Two equal specs render byte-identical files; nothing random or time-dependent
    belongs here (the development secret key goes to the git-ignored .env instead).
    ``theme`` None means the source's default theme. ``catalog`` is where the theme's
    and the modules' manifests are read from (None: the source's, see
    :func:`quickscale_toolchain.catalog.for_source`).
    """

    name: str
    theme: str | None = None
    frontend_source: str = "custom_frontend"
    frontend_variant: str = "default"
    version: str = "0.1.0"
    models: tuple[ModelSpec, ...] = ()
    business_rules: tuple[str, ...] = ()
    modules: tuple[ModuleChoice, ...] = ()
    environments: tuple[EnvironmentConfig, ...] = ()
    catalog: Catalog | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        validate_project_name(self.name)

    def components_catalog(self) -> Catalog:
        if self.catalog is None:
            from quickscale_toolchain.catalog import for_source

            object.__setattr__(self, "catalog", for_source(None))
        assert self.catalog is not None
        return self.catalog

    @property
    def theme_name(self) -> str:
        """The theme in use: the config's, else the source's default."""
        if self.theme:
            return self.theme
        default = self.components_catalog().default_theme()
        if default is None:
            raise ConfigError(
                "quickscale.yml names no theme and the source marks none as default",
                "add 'theme: NAME' to quickscale.yml (see 'quickscale themes')",
            )
        return default

    @functools.cached_property
    def wiring(self) -> Wiring:
        """The embedded components and what they add (from their manifests)."""
        return wire(self.components_catalog(), self.theme_name, self.modules)

    @property
    def components(self) -> tuple[Component, ...]:
        """The shared components embedded by git subtree (themes, then modules)."""
        return self.wiring.components

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").title()

    def template_context(self) -> dict[str, Any]:
        wiring = self.wiring
        check_compatible(wiring.entries)  # each accepts this core (its manifest and code)
        check_supported(wiring.entries)  # requirements.txt installs them all on pins.DJANGO
        context: dict[str, Any] = {
            "project_name": self.name,
            "project_title": self.title,
            "project_version": self.version,
            "theme": self.theme_name,
            "frontend_source": normalize_frontend_source(self.frontend_source),
            "frontend_variant": self.frontend_variant,
            **models_context(self.name, self.models),
            # models.py imports each generated model by name (Django loads models.py).
            "models_import_noqa": import_from(
                f"{self.name}.generated_models", [m.name for m in self.models], "# noqa: F401"
            ),
            "business_rules": rules_context(self.business_rules),
            "modules": list(wiring.modules),
            # quickscale.yml's commented list of what can be enabled (init only).
            "offered_modules": self.components_catalog().modules,
            "theme_chain": [c.name for c in wiring.components if c.kind == "themes"],
            "component_apps": list(wiring.apps),
            # A module path "__project__.x" is x in the project's own package (a file
            # the component contributes there), as in project-file paths.
            "url_includes": [
                (
                    prefix,
                    self.name + module[len("__project__") :]
                    if module.startswith("__project__.")
                    else module,
                    localized,
                )
                for prefix, module, localized in wiring.url_includes
            ],
            "extra_requirements": list(wiring.requirement_lines()),
            "module_env_vars": wiring.env_vars(),
            "offline_env": list(wiring.offline_env()),
            "home_links": list(wiring.home_links()),
            # (label, app_label.Model, component id): each enabled component's counters,
            # for a dashboard a component's settings snippet may write out.
            "counters": [
                (counter.label, counter.model, entry.component.id)
                for entry in wiring.entries
                for counter in entry.manifest.counters
            ],
            "csp_sources": wiring.csp_sources(),
            # (model, [(field, markings, source)]): core's and the components' markings.
            "field_markings": wiring.field_markings(core_field_markings(self.name)),
            # (component id, {model: declaration}, before-erase, sample): core's, then each
            # component's personal data, in wiring order (QUICKSCALE_PERSONAL_DATA).
            "personal_data": _personal_data_layout(
                wiring.personal_data(core_personal_data(self.name))
            ),
            # Debian packages the image installs for the components, sorted, each once.
            "system_packages": sorted(
                {pkg for entry in wiring.entries for pkg in entry.manifest.system_packages}
            ),
            "pins": pins.as_dict(),
            "runtime_pins": pins.RUNTIME,
            "dev_pins": pins.DEV,
            "toolchain_pins": pins.TOOLCHAIN,
            # CI, the update workflow and the Dockerfile run this one Python version.
            "python_min": pins.PYTHON_MIN,
            "python_image": pins.PYTHON_IMAGE,
            "gettext_version": pins.GETTEXT_VERSION,
            "cli_pins": pins.CLI,
        }
        context.update(self._settings_context(wiring))
        context["settings_snippets"] = wiring.settings_snippets(context)
        context["environments"] = [self._environment_context(e, context) for e in self.environments]
        # component id -> [(environment, its settings snippet)] where an environment
        # changes that module's options (settings.py picks one by QUICKSCALE_ENV).
        per_environment: dict[str, list[tuple[str, str]]] = {}
        for environment in context["environments"]:
            for component, _where, text in environment["snippets"]:
                per_environment.setdefault(component, []).append((environment["name"], text))
        context["environment_snippets"] = per_environment
        return context

    def _settings_context(self, wiring: Wiring) -> dict[str, Any]:
        """settings.py's lists and assignments, from the manifests (settings_model)."""
        options = {
            name: {**wiring.options.get(name, {}), "provider": wiring.providers.get(name)}
            for name in wiring.modules
        }
        per_environment = {e.name: e.modules for e in self.environments if e.modules}
        rows = settings_model.assignments(
            wiring.entries, options, per_environment, self.name, self.title
        )
        entries = settings_model.switched_on(wiring.entries, options)
        return {
            "installed_apps": settings_model.installed_apps(entries, self.name),
            "middleware": settings_model.middleware(entries),
            "component_settings": rows,
            "component_names": {row.name for _, assigned in rows for row in assigned},
        }

    def _environment_context(
        self, environment: EnvironmentConfig, context: dict[str, Any]
    ) -> dict[str, Any]:
        """What settings.py writes for one environment: the defaults of the variables it
        sets, and the settings of each module whose options it changes."""
        variables = []
        if environment.hosts:
            variables.append(("DJANGO_ALLOWED_HOSTS", ",".join(environment.hosts)))
            origins = [f"https://{h}" for h in environment.hosts if not h.startswith(".")]
            variables.append(("DJANGO_CSRF_TRUSTED_ORIGINS", ",".join(origins)))
        if environment.domain:
            # Where mailed links (password resets) point, whatever Host a request names.
            variables.append(("DJANGO_SITE_URL", f"https://{environment.domain}"))
        if environment.variant:
            variables.append(("QUICKSCALE_VARIANT", environment.variant))
        if environment.target:
            # Both targets put exactly one TLS-terminating proxy in front of the site
            # (Caddy; Fly's edge): without it the HTTPS redirect loops (docs/security.md).
            variables.append(("DJANGO_TRUSTED_PROXY_COUNT", "1"))
        snippets: list[tuple[str, str, str]] = []
        if environment.modules:
            choices = []
            for module in self.modules:
                override = dict(environment.modules.get(module.name, {}))
                provider = override.pop("provider", module.provider)
                choices.append(ModuleChoice(module.name, provider, {**module.options, **override}))
            changed = {f"modules/{name}" for name in environment.modules}
            wiring = wire(self.components_catalog(), self.theme_name, choices)
            snippets = [s for s in wiring.settings_snippets(context) if s[0] in changed]
        return {"name": environment.name, "variables": variables, "snippets": snippets}

    def render_contributions(self, context: dict[str, Any]) -> dict[str, RenderedFile]:
        """The project files the theme and modules contribute (their templates)."""
        return self.wiring.project_files(context)
