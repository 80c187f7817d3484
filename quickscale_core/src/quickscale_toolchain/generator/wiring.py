"""Themes and modules as generated-project wiring, computed from their manifests.

A theme or module travels into a project by git subtree (``quickscale_themes/<name>/``,
``quickscale_modules/<name>/``) and is wired in by plain lines of settings.py (see
:mod:`quickscale_toolchain.generator.settings_model`), urls.py and requirements.txt,
plus the project files it contributes. Everything here comes from
the components' manifests (see :mod:`quickscale_toolchain.manifest`): core names no
component, so a new module is a new folder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from quickscale_core.csp_policy import merged_sources

from quickscale_toolchain.catalog import Catalog, Entry
from quickscale_toolchain.components import Component
from quickscale_toolchain.errors import ConfigError
from quickscale_toolchain.generator import settings_model
from quickscale_toolchain.generator.pysource import LINE_LENGTH, literal, text_pieces, width
from quickscale_toolchain.generator.render import RenderedFile, render_templates, render_text
from quickscale_toolchain.manifest import ModelMarkings, option_keys


@dataclass(frozen=True)
class ModuleChoice:
    """One enabled module as the config chose it: a provider (None: the default) and
    its other options."""

    name: str
    provider: str | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Wiring:
    """The components a project embeds, in order, and what each adds to the project."""

    entries: tuple[Entry, ...]
    providers: Mapping[str, str | None]  # module name -> the provider in use
    # module name -> its other options from quickscale.yml (what its templates read)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def components(self) -> tuple[Component, ...]:
        return tuple(e.component for e in self.entries)

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(e.component.name for e in self.entries if e.component.kind == "modules")

    @property
    def apps(self) -> tuple[str, ...]:
        return tuple(app for e in self.entries for app in e.manifest.apps)

    @property
    def url_includes(self) -> tuple[tuple[str, str, bool], ...]:
        """(prefix, module, localized): localized ones may take a language prefix."""
        return tuple(
            (u.prefix, u.module, u.localized) for e in self.entries for u in e.manifest.urls
        )

    def requirement_lines(self) -> tuple[str, ...]:
        """Editable installs of the embedded subtrees, then the components' exact pins,
        then those of each feature switch quickscale.yml turns on."""
        lines = [f"-e ./{c.prefix}" for c in self.components]
        lines += [f"{name}=={version}" for e in self.entries for name, version in e.manifest.pins]
        for entry in self.entries:  # what a feature switched on needs beyond that
            chosen = self.options.get(entry.component.name, {})
            for option, pinned in entry.manifest.settings_data.switch_pins.items():
                if settings_model.is_on(entry, chosen, option):
                    more = [f"{name}=={version}" for name, version in pinned]
                    lines += [line for line in more if line not in lines]
        return tuple(lines)

    def env_vars(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(module, provider, variable names) for .env.example and compose.yaml; an
        option naming keys adds each key's variables, as (module, key, ...): social
        login's providers are providers too."""
        rows = []
        for entry in self.entries:
            provider = entry.manifest.provider(self.providers.get(entry.component.name))
            if provider is not None and provider.all_env:
                rows.append((entry.component.name, provider.name, provider.all_env))
            chosen = self.options.get(entry.component.name, {})
            for option, keyed in entry.manifest.settings_data.keyed.items():
                for key in option_keys(chosen.get(option)):
                    names = keyed.variables([key])
                    if names:
                        rows.append((entry.component.name, key, names))
        return rows

    def offline_env(self) -> tuple[tuple[str, str], ...]:
        return tuple(pair for e in self.entries for pair in e.manifest.offline_env)

    def home_links(self) -> tuple[Any, ...]:
        return tuple(link for e in self.entries for link in e.manifest.home_links)

    def csp_sources(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(directive, [(source, component id)]): what the components add to the CSP,
        with the sources of each key an option names (social login's providers)."""
        declared: list[tuple[str, Mapping[str, Sequence[str]]]] = []
        for entry in self.entries:
            declared.append((entry.component.id, dict(entry.manifest.csp)))
            chosen = self.options.get(entry.component.name, {})
            for option, keyed in entry.manifest.settings_data.keyed.items():
                declared.append((entry.component.id, keyed.sources(chosen.get(option))))
        return merged_sources(declared)

    def field_markings(
        self, own: Sequence[ModelMarkings] = ()
    ) -> list[tuple[str, list[tuple[str, list[str], str]]]]:
        """(model, [(field, markings, source)]): ``own`` (core's, source "core"), then
        each component's [tool.quickscale.models], in wiring order. A field two sources
        mark is listed once, with every marking and the first source."""
        declared = [("core", m) for m in own]
        declared += [(e.component.id, m) for e in self.entries for m in e.manifest.models]
        merged: dict[str, dict[str, tuple[list[str], str]]] = {}
        for source, markings in declared:
            if not markings.fields:  # a model declared for its personal data alone
                continue
            row = merged.setdefault(markings.model, {})
            for name, marks in markings.fields:
                known, first = row.get(name, ([], source))
                row[name] = ([*known, *(m for m in marks if m not in known)], first)
        return [
            (model, [(name, marks, source) for name, (marks, source) in row.items()])
            for model, row in merged.items()
        ]

    def personal_data(
        self, own: Sequence[ModelMarkings] = ()
    ) -> list[tuple[str, dict[str, dict[str, Any]], str, str]]:
        """(component id, {model: its six keys}, before-erase, sample): ``own`` (core's),
        then each component's declarations, in wiring order; every component is listed,
        one that holds none with no models."""
        rows = [("core", _declarations(own), "", "")]
        for entry in self.entries:
            personal = entry.manifest.personal_data
            models = _declarations(entry.manifest.personal_models)
            rows.append((entry.component.id, models, personal.before_erase, personal.sample))
        return rows

    def _component_context(self, entry: Entry, context: Mapping[str, Any]) -> dict[str, Any]:
        name = entry.component.name
        is_module = entry.component.kind == "modules"
        provider = self.providers.get(name) if is_module else None
        options = dict(self.options.get(name, {})) if is_module else {}
        return {
            **context,
            "component": entry.component.id,
            "provider": provider,
            "options": options,
        }

    def settings_snippets(self, context: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """(component id, where the snippet comes from, rendered text), in wiring order.

        Only a component from before settings as data has one (``settings`` a template
        path in its manifest); today's declare ``[tool.quickscale.settings]`` instead,
        which settings_model turns into plain lists and assignments."""
        return self._snippets("settings", context)

    def backend_extension_snippets(self, context: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """(component id, where it comes from, rendered text) of the stubs components add
        to the project's backend_extensions.py, in wiring order."""
        return self._snippets("backend_extensions", context)

    def _snippets(self, field: str, context: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """Each component's template named by its manifest's ``field``, rendered; those
        that render to nothing left out."""
        snippets = []
        for entry in self.entries:
            path = getattr(entry.manifest, field)
            if not path:
                continue
            where = f"{entry.component.prefix}/{path}"
            text = render_text(entry.text(path), self._component_context(entry, context), where)
            if text.strip():
                snippets.append((entry.component.id, where, text.strip()))
        return snippets

    def project_files(self, context: Mapping[str, Any]) -> dict[str, RenderedFile]:
        """Files the components contribute; a later component's file replaces an earlier
        one's at the same path (a theme builds on its base theme)."""
        files: dict[str, RenderedFile] = {}
        for entry in self.entries:
            templates = {k: v.encode("utf-8") for k, v in entry.project_templates().items()}
            origin = f"{entry.component.prefix}/{(entry.manifest.project_files or '').strip('/')}"
            files.update(
                render_templates(templates, self._component_context(entry, context), origin)
            )
        return files


def entry_layout(key: str, value: Any, indent: int) -> list[tuple[str, bool]] | None:
    """How ruff formats ``"key": value,`` at column ``indent`` in a dict the template
    writes: None when it fits on its line; else the value's parts, one per line, each
    with whether it still needs ``# noqa: E501`` (one word longer than a line): a text's
    pieces (an implicit concatenation in parentheses), a list's items. The template
    writes every part through ``pyrepr``."""
    if indent + width(f"{literal(key)}: {literal(value)},") <= LINE_LENGTH:
        return None
    room = LINE_LENGTH - indent - 4
    if isinstance(value, str):
        return [(p, width(literal(p)) > room) for p in text_pieces(value, room)]
    if isinstance(value, list) and value:
        return [(str(item), width(literal(item)) + 1 > room) for item in value]
    return None


def _declarations(models: Sequence[ModelMarkings]) -> dict[str, dict[str, Any]]:
    """model -> what the runtime reads of it, every key always present."""
    return {
        m.model: {
            "user": m.user,
            "description": m.description,
            "erase": m.erase,
            "export": None if m.export is None else list(m.export),
            "anonymize": list(m.anonymize),
            "reason": m.reason,
        }
        for m in models
        if m.user
    }


def wire(catalog: Catalog, theme: str, modules: Sequence[ModuleChoice]) -> Wiring:
    """The wiring of ``theme`` and ``modules``; ConfigError for what cannot be wired."""
    entries = catalog.resolve(theme, [m.name for m in modules])
    chosen = {m.name: m for m in modules}
    providers: dict[str, str | None] = {}
    for entry in entries:
        if entry.component.kind != "modules":
            continue
        manifest = entry.manifest
        wanted = chosen[manifest.name].provider if manifest.name in chosen else None
        if wanted and manifest.provider(wanted) is None:
            names = ", ".join(p.name for p in manifest.providers) or "none"
            raise ConfigError(
                f"modules.{manifest.name}.provider '{wanted}' is not one the module offers",
                f"use one of: {names}",
            )
        providers[manifest.name] = wanted or manifest.default_provider
    options = {name: MappingProxyType(dict(m.options)) for name, m in chosen.items()}
    return Wiring(tuple(entries), MappingProxyType(providers), MappingProxyType(options))


def removal_warning(component: Component, catalog: Catalog) -> str:
    """What removing ``component`` means for the database (from its manifest)."""
    entry = catalog.get(component)
    tables = entry.manifest.tables if entry else ()
    where = component.prefix
    if not tables:
        return f"{component} will be removed ({where}/ and its wiring); it has no tables"
    assert entry is not None
    apps = " ".join(entry.manifest.dump_apps) or component.name
    backup = "_".join(entry.manifest.dump_apps) or component.name
    return (
        f"{component} will be removed ({where}/ and its wiring): its tables "
        f"{', '.join(tables)} stay in the database with their rows, but nothing uses them "
        f"any more; back them up first ('python manage.py dumpdata {apps} > {backup}.json' "
        "before generating), then drop them by hand if you no longer need them"
    )
