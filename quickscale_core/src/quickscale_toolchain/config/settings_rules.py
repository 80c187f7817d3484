"""The settings the enabled components' manifests give a project, checked at validate.

Generation computes INSTALLED_APPS and MIDDLEWARE from the manifests' constraints
(quickscale_toolchain.generator.settings_model); a conflict there (a middleware ordered
after one nobody provides, a cycle) is reported by ``quickscale validate`` as one error
at the module of quickscale.yml that brings it in, naming the manifest and its key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from quickscale_toolchain.config.diagnostics import Diagnostic
from quickscale_toolchain.config.loader import Document
from quickscale_toolchain.errors import ConfigError, QuickScaleError

if TYPE_CHECKING:
    from quickscale_toolchain.catalog import Catalog, Entry


def settings_diagnostics(doc: Document, components: Catalog) -> Iterator[Diagnostic]:
    from quickscale_toolchain.generator import settings_model

    modules = doc.data.get("modules") or {}
    theme = doc.data.get("theme") or components.default_theme()
    if not isinstance(modules, dict) or not isinstance(theme, str):
        return
    try:
        entries = components.resolve(theme, list(modules))
    except QuickScaleError:  # an unknown component: the schema says so
        return
    chosen = {name: o for name, o in modules.items() if isinstance(o, dict)}
    yield from _switches_per_environment(doc, entries, chosen)
    entries = settings_model.switched_on(entries, chosen)
    try:
        settings_model.check(entries)
    except ConfigError as error:
        blamed = [
            e.component.name
            for e in entries
            if error.message.startswith(settings_model.manifest_path(e))
        ]
        name = blamed[0] if blamed and blamed[0] in modules else None
        path: tuple[str, ...] = ("modules", name) if name else ("modules",)
        yield doc.error(path, error.message, error.hint, key=True)


def _switches_per_environment(
    doc: Document, entries: Sequence[Entry], chosen: dict[str, dict[str, Any]]
) -> Iterator[Diagnostic]:
    """An option that switches a feature (it brings apps or middleware) is the same in
    every environment: INSTALLED_APPS, and so the database's tables, are not per
    environment."""
    environments = doc.data.get("environments")
    if not isinstance(environments, dict):
        return
    for entry in entries:
        module = entry.component.name
        switches = entry.manifest.settings_data.switches
        top = chosen.get(module, {})
        for env, body in environments.items():
            given = ((body or {}).get("modules") or {}) if isinstance(body, dict) else {}
            options = given.get(module) if isinstance(given, dict) else None
            for option in switches:
                if not isinstance(options, dict) or option not in options:
                    continue
                default = entry.manifest.options.get(option, {}).get("default")
                if options[option] == top.get(option, default):
                    continue
                yield doc.error(
                    ("environments", env, "modules", module, option),
                    f"'{option}' of module '{module}' turns a feature on or off (it "
                    "installs apps or middleware): it is the same in every environment",
                    f"set it under 'modules: {module}:' and remove it here",
                )
