"""A component's manifest: what a module or theme says about itself, as data.

Each module and theme carries a ``[tool.quickscale]`` table in its own
``pyproject.toml``. Core reads it (TOML, checked against ``manifest.schema.json``) and
never imports or runs the component's Python to learn about it, so a new module is a
new folder and nothing in core changes. Files the manifest names (its settings snippet,
the project files it contributes) are templates inside the component.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from quickscale_core.csp_policy import source_problem

from quickscale_toolchain import cache
from quickscale_toolchain.components import Component
from quickscale_toolchain.core_support import refusal, running_core_version
from quickscale_toolchain.distribution.versions import core_allows
from quickscale_toolchain.errors import QuickScaleError

MANIFEST_FILE = "pyproject.toml"


class ManifestError(QuickScaleError):
    """A component's ``[tool.quickscale]`` table is missing or malformed."""


@dataclass(frozen=True)
class Provider:
    """One provider a module can use, and the environment variables it reads."""

    name: str
    env: tuple[str, ...] = ()  # required when DEBUG is off
    optional_env: tuple[str, ...] = ()
    description: str = ""

    @property
    def all_env(self) -> tuple[str, ...]:
        return (*self.env, *self.optional_env)


@dataclass(frozen=True)
class UrlInclude:
    prefix: str  # "accounts/" ("" mounts at the root)
    module: str  # "package.urls"
    localized: bool = True  # False: outside the language prefixes (webhooks, callbacks)


@dataclass(frozen=True)
class Link:
    """A link the home page offers: a Django URL name and who sees it."""

    label: str
    url: str
    audience: str = "anyone"  # anyone | anonymous | authenticated


@dataclass(frozen=True)
class Counter:
    """An admin dashboard counter: the number of rows of ``model`` (app_label.Model)."""

    label: str
    model: str


@dataclass(frozen=True)
class ModelMarkings:
    """What a manifest marks on one model (``app_label.Model``): each field's markings.

    One shape for every marking of a field ("secret": never exported, never logged);
    later facts about a model, or new words for a field, extend this table rather than
    starting another (docs/architecture.md, "Field markings").
    """

    model: str
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Personal data: the lookup path to the user who owns a row ("" holds none)
    user: str = ""
    description: str = ""  # what the rows are, said to the user
    erase: str = ""  # delete | anonymize | keep
    export: tuple[str, ...] | None = None  # None: every concrete field not marked secret
    anonymize: tuple[str, ...] = ()  # the fields erasure blanks (erase = "anonymize")
    reason: str = ""  # why rows are kept (anonymize, keep)

    def marked(self, marking: str) -> tuple[str, ...]:
        """The names of the fields that carry ``marking``, in the manifest's order."""
        return tuple(name for name, marks in self.fields if marking in marks)


@dataclass(frozen=True)
class PersonalData:
    """``[tool.quickscale.personal-data]``: the component's personal data as a whole.

    ``holds`` False says it holds none (None: the manifest does not say); the hooks are
    dotted paths of callables taking the user, run by the generated project, never here.
    """

    holds: bool | None = None
    before_erase: str = ""
    sample: str = ""


def _model_markings(label: str, spec: Mapping[str, Any]) -> ModelMarkings:
    export = spec.get("export")
    return ModelMarkings(
        label,
        tuple((f, tuple(m)) for f, m in spec.get("fields", {}).items()),
        user=str(spec.get("user", "")),
        description=str(spec.get("description", "")),
        erase=str(spec.get("erase", "")),
        export=None if export is None else tuple(export),
        anonymize=tuple(spec.get("anonymize", ())),
        reason=str(spec.get("reason", "")),
    )


def _personal_data_problem(
    models: Iterable[ModelMarkings], holds: bool | None
) -> tuple[str, str] | None:
    """(key: what is wrong, the fix) for the first model table whose personal-data keys
    do not go together, None when they all do (the schema checked each key alone)."""
    for m in models:
        key = f"models.{m.model}"
        said = [k for k in ("description", "erase", "export", "anonymize", "reason") if _has(m, k)]
        if not m.user:
            if not m.fields:
                return f"{key}: declares neither fields nor user", "mark fields, or add 'user'"
            if said:
                return (
                    f"{key}: '{said[0]}' says what erasure or export does, but the model "
                    "has no 'user'",
                    "add 'user' (the lookup path to the row's owner) or remove it",
                )
            continue
        if holds is False:
            return (
                f"{key}: has 'user', but [tool.quickscale.personal-data] says holds = false",
                "remove 'holds = false' (the component holds personal data)",
            )
        missing = [k for k in ("description", "erase") if not _has(m, k)]
        if missing:
            return (
                f"{key}: 'user' needs {' and '.join(repr(k) for k in missing)}",
                "say what the rows are (description) and what erasure does "
                "(erase = delete | anonymize | keep)",
            )
        if m.erase == "anonymize" and not m.anonymize:
            return (
                f"{key}: erase = \"anonymize\" needs 'anonymize'",
                'list the fields erasure blanks: anonymize = ["field", ...]',
            )
        if m.erase != "anonymize" and m.anonymize:
            return (
                f"{key}: 'anonymize' needs erase = \"anonymize\"",
                "set erase = \"anonymize\" or remove 'anonymize'",
            )
        if m.erase in ("anonymize", "keep") and not m.reason:
            return (
                f"{key}: erase = \"{m.erase}\" needs 'reason'",
                "say in a sentence why the rows are kept (bookkeeping law, say)",
            )
        if m.erase == "delete" and m.reason:
            return (
                f"{key}: 'reason' says why rows are kept, but erase = \"delete\"",
                'remove \'reason\', or set erase = "anonymize" or "keep"',
            )
        secret = set(m.marked("secret"))
        exported = [f for f in m.export or () if f in secret]
        if exported:
            return (
                f"{key}: export names '{exported[0]}', a field marked secret",
                "remove it from export (secret fields are never exported)",
            )
    return None


def _has(markings: ModelMarkings, key: str) -> bool:
    value = getattr(markings, key)
    return value is not None and value not in ("", ())


@dataclass(frozen=True)
class Placed:
    """An app or middleware and where it goes: after and/or before a named one."""

    name: str
    after: str | None = None
    before: str | None = None


@dataclass(frozen=True)
class OptionKeys:
    """What each key of an option mapping keys to options adds (social login's
    providers): ``{key}`` is the key, ``{KEY}`` the key in capitals."""

    app: str = ""  # INSTALLED_APPS entry per key, e.g. "allauth.socialaccount.providers.{key}"
    env: tuple[str, ...] = ()  # variables per key, required where DEBUG is off
    # key -> variables that key needs beyond ``env`` (Apple's team id and private key)
    env_of: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    csp: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # key -> (directive, the key's option holding a URL whose origin the directive gets)
    csp_origin: Mapping[str, tuple[tuple[str, str], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def apps(self, keys: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.app.replace("{key}", k) for k in keys) if self.app else ()

    def variables(self, keys: Iterable[str]) -> tuple[str, ...]:
        return tuple(
            name.replace("{KEY}", k.upper())
            for k in keys
            for name in (*self.env, *self.env_of.get(k, ()))
        )

    def sources(self, value: Any) -> dict[str, list[str]]:
        """directive -> sources of the keys the option's ``value`` names, in its order: each
        key's declared origins, and the origin of the URL its ``csp-origin`` option holds
        (an OpenID Connect server's), when that is one exact https origin."""
        found: dict[str, list[str]] = {}
        for key in option_keys(value):
            for directive, origins in self.csp.get(key, ()):
                found.setdefault(directive, []).extend(origins)
            options = value[key] if isinstance(value[key], Mapping) else {}
            for directive, option in self.csp_origin.get(key, ()):
                origin = _origin(options.get(option))
                if origin and source_problem(directive, origin) is None:
                    found.setdefault(directive, []).append(origin)
        return found


def _origin(url: Any) -> str:
    """``scheme://host[:port]`` of ``url`` ("" for anything else)."""
    from urllib.parse import urlsplit

    if not isinstance(url, str):
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}" if parts.scheme and parts.netloc else ""


def option_keys(value: Any) -> tuple[str, ...]:
    """The keys an option's value names (a mapping's keys), none for anything else."""
    return tuple(str(k) for k in value) if isinstance(value, Mapping) else ()


@dataclass(frozen=True)
class SettingsData:
    """What a component adds to settings.py, as data (``[tool.quickscale.settings]``).

    Generation turns it into plain assignments (quickscale_toolchain.generator.
    settings_model); the library settings behind them are the component's app's own
    defaults, never written into the project.
    """

    apps: tuple[Placed, ...] = ()  # placed before a named app; ``apps`` are appended
    middleware: tuple[Placed, ...] = ()
    replaces: tuple[str, ...] = ()  # core's apps and middleware left out
    context_processors: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    theme_values: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # option of quickscale.yml (or "provider") -> (setting, environment variable or "")
    options: Mapping[str, tuple[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    collects: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # option -> (apps, middleware) it brings when set off its default (a feature switch)
    switches: Mapping[str, tuple[tuple[str, ...], tuple[Placed, ...]]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # option -> what each key of its value adds (OptionKeys)
    keyed: Mapping[str, OptionKeys] = field(default_factory=lambda: MappingProxyType({}))
    # option -> exact pins (name, version) of a feature switch, required only when on
    switch_pins: Mapping[str, tuple[tuple[str, str], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )


def _settings_data(table: Any) -> SettingsData:
    if not isinstance(table, dict):
        return SettingsData()
    return SettingsData(
        apps=tuple(Placed(x["name"], before=x["before"]) for x in table.get("apps", ())),
        middleware=tuple(
            Placed(x["name"], x.get("after"), x.get("before")) for x in table.get("middleware", ())
        ),
        replaces=tuple(table.get("replaces", ())),
        context_processors=tuple(table.get("context-processors", ())),
        values=MappingProxyType(dict(table.get("values", {}))),
        theme_values=MappingProxyType(
            {k: MappingProxyType(dict(v)) for k, v in table.get("theme-values", {}).items()}
        ),
        options=MappingProxyType(
            {k: (v["setting"], v.get("env", "")) for k, v in table.get("options", {}).items()}
        ),
        collects=MappingProxyType(dict(table.get("collects", {}))),
        switches=MappingProxyType(
            {
                k: (
                    tuple(v.get("apps", ())),
                    tuple(
                        Placed(x["name"], x.get("after"), x.get("before"))
                        for x in v.get("middleware", ())
                    ),
                )
                for k, v in table.get("options", {}).items()
                if "apps" in v or "middleware" in v
            }
        ),
        keyed=MappingProxyType(
            {k: _option_keys(v["keys"]) for k, v in table.get("options", {}).items() if "keys" in v}
        ),
        switch_pins=MappingProxyType(
            {
                k: tuple((str(n), str(version)) for n, version in v["pins"].items())
                for k, v in table.get("options", {}).items()
                if "pins" in v
            }
        ),
    )


def _option_keys(table: Mapping[str, Any]) -> OptionKeys:
    return OptionKeys(
        app=str(table.get("app", "")),
        env=tuple(table.get("env", ())),
        env_of=MappingProxyType({k: tuple(v) for k, v in table.get("env-of", {}).items()}),
        csp=MappingProxyType(
            {
                key: tuple((d, tuple(sources)) for d, sources in directives.items())
                for key, directives in table.get("csp", {}).items()
            }
        ),
        csp_origin=MappingProxyType(
            {
                key: tuple((d, str(option)) for d, option in directives.items())
                for key, directives in table.get("csp-origin", {}).items()
            }
        ),
    )


@dataclass(frozen=True)
class Example:
    """A copy-paste example of a module's entry under ``modules:`` in quickscale.yml."""

    description: str
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Manifest:
    """What core knows about one module or theme (see docs/architecture.md)."""

    component: Component
    version: str
    description: str
    requires: tuple[Component, ...] = ()
    core_compatibility: str | None = None
    apps: tuple[str, ...] = ()
    urls: tuple[UrlInclude, ...] = ()
    tables: tuple[str, ...] = ()
    dump_apps: tuple[str, ...] = ()
    settings: str | None = None  # an older component's settings snippet template
    settings_data: SettingsData = field(default_factory=SettingsData)
    project_files: str | None = None  # directory of contributed project-file templates
    backend_extensions: str | None = None  # template appended to backend_extensions.py
    pins: tuple[tuple[str, str], ...] = ()
    # [project] dependencies as written (PEP 508): what pip installs with the component
    dependencies: tuple[str, ...] = ()
    providers: tuple[Provider, ...] = ()
    default_provider: str | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    offline_env: tuple[tuple[str, str], ...] = ()
    home_links: tuple[Link, ...] = ()
    counters: tuple[Counter, ...] = ()
    # Debian packages of the production image, (name, exact version)
    system_packages: tuple[tuple[str, str], ...] = ()
    # Content-Security-Policy sources per directive, e.g. ("img-src", ("https://cdn.x",))
    csp: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Markings of fields of the models its apps (or the libraries it installs) define
    models: tuple[ModelMarkings, ...] = ()
    personal_data: PersonalData = field(default_factory=PersonalData)
    default: bool = False  # a theme: the one ``init`` uses when none is named
    examples: tuple[Example, ...] = ()

    @property
    def name(self) -> str:
        return self.component.name

    def provider(self, name: str | None) -> Provider | None:
        """The provider called ``name`` (None: the default); None if it has no providers."""
        wanted = name or self.default_provider
        return next((p for p in self.providers if p.name == wanted), None)

    @property
    def declares_personal_data(self) -> bool:
        """Whether it says what personal data it holds: a model with ``user``, or
        ``holds = false`` (validate warns about an enabled component that does not)."""
        return self.personal_data.holds is False or any(m.user for m in self.models)

    @property
    def personal_models(self) -> tuple[ModelMarkings, ...]:
        """Its models that hold a user's data, in the manifest's order."""
        return tuple(m for m in self.models if m.user)

    @property
    def all_pins(self) -> tuple[tuple[str, str], ...]:
        """Every pin a project may get from it: its own, then each feature switch's."""
        found = list(self.pins)
        for pinned in self.settings_data.switch_pins.values():
            found += [pin for pin in pinned if pin not in found]
        return tuple(found)

    def referenced_files(self) -> tuple[str, ...]:
        """Paths inside the component that the manifest points at (files or a folder)."""
        return tuple(p for p in (self.settings, self.project_files, self.backend_extensions) if p)

    def options_schema(self) -> dict[str, Any]:
        """The JSON Schema of this module's entry under ``modules:`` in quickscale.yml."""
        properties: dict[str, Any] = {}
        if self.providers:
            default = f" Default {self.default_provider}." if self.default_provider else ""
            properties["provider"] = {
                "enum": [p.name for p in self.providers],
                "description": f"Which provider the module uses.{default}",
            }
        properties.update(json.loads(json.dumps(dict(self.options))))
        return {
            "type": ["object", "null"],
            "description": self.description,
            "additionalProperties": False,
            "properties": properties,
        }


_SCHEMA = Path(__file__).with_name("manifest.schema.json")


@functools.cache
def _schema_bytes() -> bytes:
    return _SCHEMA.read_bytes()


@functools.cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(_schema_bytes()))


def _schema_errors(table: dict[str, Any]) -> list[Any]:
    """jsonschema's errors for ``table``, sorted."""
    return sorted(_validator().iter_errors(table), key=lambda e: list(e.absolute_path))


def _example_errors(manifest: Manifest) -> list[tuple[str, str]]:
    """(key, message) for each example whose options the module's own option schema
    refuses: an example a user copies must at least have the shape validate wants."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(manifest.options_schema())
    problems = []
    for index, example in enumerate(manifest.examples):
        for error in validator.iter_errors(json.loads(json.dumps(dict(example.options)))):
            path = "".join(f".{p}" for p in error.absolute_path)
            problems.append((f"examples.{index}.options{path}", error.message))
    return problems


def parse_manifest(text: str, where: str, component: Component | None = None) -> Manifest:
    """The manifest in pyproject.toml ``text``; ``where`` names the file in errors.

    ``component``, when known from the file's location, must match what it declares.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"{where} is not valid TOML: {error}", "fix the file") from None
    table = data.get("tool", {}).get("quickscale")
    if not isinstance(table, dict):
        raise ManifestError(
            f"{where} has no [tool.quickscale] table",
            "declare the component there (see docs/architecture.md, 'Manifests')",
        )
    # Both checks need jsonschema (~50 ms): skipped for text that passed them before
    # under this exact schema (see quickscale_toolchain.cache).
    cache_key = (text.encode("utf-8"), _schema_bytes())
    fresh = not cache.seen("manifests", *cache_key)
    errors = _schema_errors(table) if fresh else []
    if errors:
        # A manifest for a newer core uses keys this toolchain does not know: say so.
        declared = table.get("core-compatibility")
        core = running_core_version()
        if isinstance(declared, str) and not core_allows(declared, core):
            version = str(table.get("version") or data.get("project", {}).get("version") or "")
            named = f"{table.get('kind', '')}s/{table.get('name', '')}"
            raise refusal(named, version, declared, core)
        first = errors[0]
        key = ".".join(str(p) for p in first.absolute_path) or "[tool.quickscale]"
        hint = "fix the manifest (its schema is quickscale_toolchain/manifest.schema.json)"
        if first.validator == "additionalProperties":
            # In a project, a key its core does not know comes from a newer source.
            hint += "; if it comes from a source newer than the project's core, run "
            hint += "'quickscale update --component core'"
        raise ManifestError(f"{where}: {key}: {first.message}", hint)
    project = data.get("project", {})
    kind = f"{table['kind']}s"
    declared = Component(kind, table["name"])
    if component is not None and component != declared:
        raise ManifestError(
            f"{where} declares {declared.id}, but it lives at {component.prefix}/",
            f"set kind and name in [tool.quickscale] to match {component.id}",
        )
    version = str(table.get("version") or project.get("version") or "")
    if not version:
        raise ManifestError(f"{where} declares no version", "set [project] version")
    default_provider = table.get("default-provider")
    if bool(default_provider) != bool(table.get("providers")) or (
        default_provider and default_provider not in table["providers"]
    ):
        raise ManifestError(
            f"{where}: default-provider must name one of [tool.quickscale.providers]",
            "declare providers and pick one as default-provider (or neither)",
        )
    csp = tuple((d, tuple(s)) for d, s in table.get("csp", {}).items())
    sourced = [(f"csp.{d}", d, sources) for d, sources in csp]
    settings_table = table.get("settings")
    options_table = settings_table.get("options", {}) if isinstance(settings_table, dict) else {}
    for option, spec in options_table.items():
        for key, directives in spec.get("keys", {}).get("csp", {}).items():
            prefix = f"settings.options.{option}.keys.csp.{key}"
            sourced += [(f"{prefix}.{d}", d, sources) for d, sources in directives.items()]
    for place, directive, sources in sourced:
        for source in sources:
            problem = source_problem(directive, source)
            if problem:
                raise ManifestError(
                    f"{where}: {place}: {problem}",
                    "declare the exact origins the component loads from or posts to",
                )
    providers = tuple(
        Provider(
            name,
            tuple(spec.get("env", ())),
            tuple(spec.get("optional-env", ())),
            spec.get("description", ""),
        )
        for name, spec in table.get("providers", {}).items()
    )
    personal = table.get("personal-data", {})
    manifest = Manifest(
        component=declared,
        version=version,
        description=str(table.get("description") or project.get("description") or ""),
        requires=tuple(Component.parse(r) for r in table.get("requires", ())),
        core_compatibility=table.get("core-compatibility"),
        apps=tuple(table.get("apps", ())),
        urls=tuple(
            UrlInclude(u["prefix"], u["module"], u.get("localized", True))
            for u in table.get("urls", ())
        ),
        tables=tuple(table.get("tables", ())),
        dump_apps=tuple(table.get("dump-apps", ())),
        settings=table["settings"] if isinstance(table.get("settings"), str) else None,
        settings_data=_settings_data(table.get("settings")),
        project_files=table.get("project-files"),
        backend_extensions=table.get("backend-extensions"),
        pins=tuple((str(k), str(v)) for k, v in table.get("pins", {}).items()),
        dependencies=tuple(str(d) for d in project.get("dependencies", ())),
        providers=providers,
        default_provider=default_provider,
        options=MappingProxyType(dict(table.get("options", {}))),
        offline_env=tuple((str(k), str(v)) for k, v in table.get("offline-env", {}).items()),
        home_links=tuple(
            Link(x["label"], x["url"], x.get("audience", "anyone"))
            for x in table.get("home-links", ())
        ),
        counters=tuple(Counter(x["label"], x["model"]) for x in table.get("counters", ())),
        system_packages=tuple(
            (str(k), str(v)) for k, v in table.get("system-packages", {}).items()
        ),
        csp=csp,
        models=tuple(
            _model_markings(label, spec) for label, spec in table.get("models", {}).items()
        ),
        personal_data=PersonalData(
            holds=personal.get("holds"),
            before_erase=str(personal.get("before-erase", "")),
            sample=str(personal.get("sample", "")),
        ),
        default=bool(table.get("default", False)),
        examples=tuple(
            Example(x["description"], MappingProxyType(dict(x.get("options", {}))))
            for x in table.get("examples", ())
        ),
    )
    unsound = _personal_data_problem(manifest.models, manifest.personal_data.holds)
    if unsound:
        raise ManifestError(f"{where}: {unsound[0]}", unsound[1])
    if fresh:
        problems = _example_errors(manifest)
        if problems:
            key_path, message = problems[0]
            raise ManifestError(
                f"{where}: {key_path}: {message}",
                f"fix the example: it is what a user writes under 'modules: {declared.name}:'",
            )
        cache.remember("manifests", *cache_key)
    return manifest
