"""The project's settings from its components' manifests: apps, middleware and values.

A component declares in ``[tool.quickscale.settings]`` which apps it adds (and before
which app, when order matters), which middleware (after and/or before a named one),
which of core's it replaces, and the plain values settings.py sets for it. This module
computes the order once, at generate time, checks it, and gives settings.py's template
plain lists and assignments: no line of the project's settings.py moves things around.

Middleware order is a topological sort of the declared constraints (core's own order
included). Among the middleware free to go next, the one whose anchor comes first wins
(core's order, then each component's declaration order), so each lands right after (or
before) what it names and the result never depends on anything but the manifests. A
cycle, or a name no one provides, is a ConfigError naming the manifest and its key.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quickscale_core import stack
from quickscale_toolchain.errors import ConfigError
from quickscale_toolchain.generator.pysource import LINE_LENGTH, bracketed, literal, width
from quickscale_toolchain.manifest import option_keys

if TYPE_CHECKING:
    from quickscale_toolchain.catalog import Entry

#: Core's groups a generated list spreads (``*DJANGO_APPS``) where it has them whole.
APP_GROUPS: Mapping[str, Sequence[str]] = {"DJANGO_APPS": stack.DJANGO_APPS}
MIDDLEWARE_GROUPS: Mapping[str, Sequence[str]] = {
    "MIDDLEWARE_TO_AUTHENTICATION": stack.MIDDLEWARE_TO_AUTHENTICATION,
    "MIDDLEWARE_AFTER_AUTHENTICATION": stack.MIDDLEWARE_AFTER_AUTHENTICATION,
}

Key = tuple[int, ...]


@dataclass(frozen=True)
class Item:
    """One list entry of settings.py: a Python expression and where it comes from."""

    code: str
    source: str = ""


@dataclass(frozen=True)
class _Declared:
    name: str
    source: str  # component id ("core" for core's own)
    where: str  # "<component prefix>/pyproject.toml"
    key: str  # the manifest key, e.g. "settings.middleware.0.after"
    after: str | None = None
    before: str | None = None


def manifest_path(entry: Entry) -> str:
    return f"{entry.component.prefix}/pyproject.toml"


def replaced(entries: Sequence[Entry]) -> set[str]:
    return {name for e in entries for name in e.manifest.settings_data.replaces}


def is_on(entry: Entry, chosen: Mapping[str, Any], option: str) -> bool:
    """Whether quickscale.yml (``chosen``: the module's options) sets ``option`` of the
    module off its default: a feature switch that is on."""
    return option in chosen and chosen[option] != _option_default(entry, option)


def switched_on(entries: Sequence[Entry], options: Mapping[str, Mapping[str, Any]]) -> list[Entry]:
    """``entries`` with the apps and middleware of each feature switch ``options`` (module
    -> its options from quickscale.yml) sets off its default, as if declared plainly; a
    switch whose value maps keys adds each key's app too (its manifest's ``keys``)."""
    result = []
    for entry in entries:
        data = entry.manifest.settings_data
        chosen = options.get(entry.component.name) or {}
        apps, placed = list(entry.manifest.apps), list(data.middleware)
        for option, (more_apps, more_middleware) in data.switches.items():
            if is_on(entry, chosen, option):
                keyed = data.keyed.get(option)
                per_key = keyed.apps(option_keys(chosen[option])) if keyed else ()
                apps += [name for name in (*more_apps, *per_key) if name not in apps]
                placed += more_middleware
        if len(apps) == len(entry.manifest.apps) and len(placed) == len(data.middleware):
            result.append(entry)
            continue
        settings = replace(data, middleware=tuple(placed))
        manifest = replace(entry.manifest, apps=tuple(apps), settings_data=settings)
        result.append(replace(entry, manifest=manifest))
    return result


def installed_apps(entries: Sequence[Entry], project: str) -> list[Item]:
    """INSTALLED_APPS in order: core's (less what a component replaces), each component's
    apps (those placed ``before`` an app inserted there), then the project's own app."""
    gone = replaced(entries)
    apps = [Item(literal(name), "") for name in stack.APPS if name not in gone]
    names = [name for name in stack.APPS if name not in gone]
    for entry in entries:
        for index, placed in enumerate(entry.manifest.settings_data.apps):
            if placed.before not in names:
                raise _unknown(
                    entry, f"settings.apps.{index}.before", placed.before or "", "app", names
                )
            at = names.index(placed.before)
            names.insert(at, placed.name)
            apps.insert(at, Item(literal(placed.name), entry.component.id))
        for name in entry.manifest.apps:
            names.append(name)
            apps.append(Item(literal(name), entry.component.id))
    apps.append(Item(literal(project), ""))
    return _spread(apps, APP_GROUPS)


def _spread(items: list[Item], groups: Mapping[str, Sequence[str]]) -> list[Item]:
    """``items`` with each run equal to a whole core group written as ``*GROUP``."""
    for group, members in groups.items():
        codes = [i.code for i in items]
        wanted = [literal(m) for m in members]
        for start in range(len(codes) - len(wanted) + 1):
            if codes[start : start + len(wanted)] == wanted:
                items = [*items[:start], Item(f"*{group}"), *items[start + len(wanted) :]]
                break
    return items


def _declared_middleware(entries: Sequence[Entry]) -> list[_Declared]:
    gone = replaced(entries)
    core = [name for name in stack.MIDDLEWARE if name not in gone]
    declared = [
        _Declared(name, "core", "quickscale_core/stack.py", "MIDDLEWARE", previous)
        for previous, name in zip([None, *core], core, strict=False)
    ]
    for entry in entries:
        for index, placed in enumerate(entry.manifest.settings_data.middleware):
            declared.append(
                _Declared(
                    placed.name,
                    entry.component.id,
                    manifest_path(entry),
                    f"settings.middleware.{index}",
                    placed.after,
                    placed.before,
                )
            )
    return declared


def middleware(entries: Sequence[Entry]) -> list[Item]:
    """MIDDLEWARE in the order the declared constraints give (see the module docstring)."""
    declared = _declared_middleware(entries)
    by_name = {d.name: d for d in declared}
    for d in declared:
        for side in ("after", "before"):
            ref = getattr(d, side)
            if ref is not None and ref not in by_name:
                raise ConfigError(
                    f"{d.where}: {d.key}.{side}: '{ref}' is no middleware of core or of an "
                    "enabled component",
                    f"name one of: {', '.join(by_name)}; or enable the component providing it",
                )
    keys = _keys(declared, by_name)
    edges: dict[str, set[str]] = {d.name: set() for d in declared}  # name -> must follow
    for d in declared:
        if d.after is not None:
            edges[d.name].add(d.after)
        if d.before is not None:
            edges[d.before].add(d.name)
    ordered: list[str] = []
    waiting = dict(edges)
    while waiting:
        ready = [n for n, needs in waiting.items() if not needs - set(ordered)]
        if not ready:
            stuck = next(by_name[n] for n in waiting if by_name[n].source != "core")
            raise _cycle(stuck, sorted(waiting, key=lambda n: keys[n]))
        chosen = min(ready, key=lambda n: keys[n])
        ordered.append(chosen)
        del waiting[chosen]
    items = [Item(literal(name), by_name[name].source) for name in ordered]
    return _spread(items, MIDDLEWARE_GROUPS)


def _keys(declared: list[_Declared], by_name: Mapping[str, _Declared]) -> dict[str, Key]:
    """Each middleware's place among those free to go: core's at their index; another
    just after (or before) its anchor, declaration order breaking ties."""
    keys: dict[str, Key] = {}

    def key(d: _Declared, trail: tuple[str, ...]) -> Key:
        if d.name in keys:
            return keys[d.name]
        if d.name in trail:
            raise _cycle(d, list(trail))
        rank = declared.index(d)
        if d.source == "core":
            found: Key = (rank,)
        elif d.after is not None:
            found = (*key(by_name[d.after], (*trail, d.name)), 1, rank)
        elif d.before is not None:
            found = (*key(by_name[d.before], (*trail, d.name)), -1, rank)
        else:
            found = (len(declared), rank)
        keys[d.name] = found
        return found

    for d in declared:
        key(d, ())
    return keys


def _cycle(d: _Declared, names: Sequence[str]) -> ConfigError:
    return ConfigError(
        f"{d.where}: {d.key}: the middleware order has a cycle: {' -> '.join(names)}",
        "fix 'after'/'before' in one of those components' [tool.quickscale.settings]",
    )


def _unknown(entry: Entry, key: str, ref: str, what: str, names: Sequence[str]) -> ConfigError:
    return ConfigError(
        f"{manifest_path(entry)}: {key}: '{ref}' is no {what} of core or of an enabled "
        "component before it",
        f"name one of: {', '.join(names)}",
    )


def check(entries: Sequence[Entry]) -> None:
    """Raise the ConfigError the settings of ``entries`` would give generation."""
    installed_apps(entries, "project")
    middleware(entries)


def python_value(value: Any, project: str, title: str) -> str:
    """A manifest value as a Python expression: placeholders filled, paths under BASE_DIR."""
    if isinstance(value, Mapping) and "path" in value:
        return f"BASE_DIR / {python_value(value['path'], project, title)}"
    if isinstance(value, str):
        return literal(value.replace("__project__", project).replace("__title__", title))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(python_value(v, project, title) for v in value) + "]"
    return literal(value)


_ENV_READERS = {bool: "env.bool", int: "env.int", float: "env.float", list: "env.list"}


def option_value(
    default: Any, per_environment: Mapping[str, Any], variable: str, project: str, title: str
) -> str:
    """An option's assignment: its value, another per QUICKSCALE_ENV where an environment
    of quickscale.yml changes it, and the environment ``variable`` over both if given."""
    code = python_value(default, project, title)
    if per_environment:
        choices = ", ".join(
            f"{literal(name)}: {python_value(v, project, title)}"
            for name, v in per_environment.items()
        )
        code = f"{{{choices}}}.get(QUICKSCALE_ENV, {code})"
    if variable:
        reader = _ENV_READERS.get(type(default), "env.str")
        code = f"{reader}({literal(variable)}, default={code})"
    return code


CONTEXT_PROCESSORS = 'TEMPLATES[0]["OPTIONS"]["context_processors"]'


@dataclass(frozen=True)
class Assignment:
    """``name = code`` in settings.py; ``items`` instead: a list written one per line.
    ``collected``: data gathered from every component, written to component_settings.py."""

    name: str
    code: str = ""
    items: tuple[Item, ...] = ()
    operator: str = "="
    collected: bool = False
    comment: str = ""  # ends the first line when it fits (the component's id)

    @property
    def text(self) -> str:
        """The statement as ruff formats it (a call too long for one line wrapped)."""
        start = f"{self.name} {self.operator} "
        note = f"  # {self.comment}" if self.comment else ""
        if self.items:
            lines = []
            for index, item in enumerate(self.items):
                code = f"    {item.code},"
                said = item.source or (self.comment if index == 0 else "")
                if not said:
                    lines.append(code)
                elif width(f"{code}  # {said}") <= LINE_LENGTH:
                    lines.append(f"{code}  # {said}")
                else:  # the source on a line of its own, above
                    lines += [f"    # {said}", code]
            return start + "[\n" + "\n".join(lines) + "\n]"
        line = start + self.code
        if width(line + note) <= LINE_LENGTH:
            return line + note
        node = ast.parse(self.code, mode="eval").body
        if width(line) <= LINE_LENGTH or not isinstance(node, ast.Call):
            return line
        args = [ast.get_source_segment(self.code, a) or "" for a in node.args]
        args += [f"{k.arg}={ast.get_source_segment(self.code, k.value)}" for k in node.keywords]
        head = f"{start}{ast.get_source_segment(self.code, node.func)}("
        return bracketed(head, args, ")")


def assignments(
    entries: Sequence[Entry],
    options: Mapping[str, Mapping[str, Any]],
    per_environment: Mapping[str, Mapping[str, Mapping[str, Any]]],
    project: str,
    title: str,
) -> list[tuple[str, list[Assignment]]]:
    """(component id, its assignments), in wiring order, from each manifest's values and
    options. ``options``: module -> its options (with "provider") as quickscale.yml sets
    them; ``per_environment``: environment -> module -> the options it changes."""
    themes = {e.component.name for e in entries if e.component.kind == "themes"}
    result = []
    for entry in entries:
        data = entry.manifest.settings_data
        values = dict(data.values)
        for theme, extra in data.theme_values.items():
            if theme in themes:
                values.update(extra)
        rows = [Assignment(n, python_value(v, project, title)) for n, v in values.items()]
        if data.context_processors:
            processors = tuple(Item(literal(p)) for p in data.context_processors)
            rows.insert(0, Assignment(CONTEXT_PROCESSORS, items=processors, operator="+="))
        chosen = options.get(entry.component.name, {})
        for option, (setting, variable) in data.options.items():
            default = chosen.get(option, _option_default(entry, option))
            changed = {
                env: modules[entry.component.name][option]
                for env, modules in per_environment.items()
                if option in modules.get(entry.component.name, {})
                and modules[entry.component.name][option] != default
            }
            off = default == _option_default(entry, option)
            if option in data.switches and off and not changed:
                continue  # a feature left off writes nothing
            code = option_value(default, changed, variable, project, title)
            rows.append(Assignment(setting, code))
        for setting, what in data.collects.items():
            items = tuple(_collected(entries, what))
            rows.append(Assignment(setting, items=items, collected=True))
        if rows:
            first = next((i for i, row in enumerate(rows) if not row.collected), None)
            if first is not None:
                rows[first] = replace(rows[first], comment=entry.component.id)
            result.append((entry.component.id, rows))
    return result


def _option_default(entry: Entry, option: str) -> Any:
    if option == "provider":
        return entry.manifest.default_provider
    return entry.manifest.options.get(option, {}).get("default")


def _collected(entries: Sequence[Entry], what: str) -> list[Item]:
    """What every enabled component declares under ``what`` (counters), as list items."""
    assert what == "counters"
    return [
        Item(literal({"label": c.label, "model": c.model}), e.component.id)
        for e in entries
        for c in e.manifest.counters
    ]


def component_assignments(directory: Path, **options: Any) -> dict[str, str]:
    """name -> code that settings.py of a project "acme" assigns for the component in
    ``directory`` with ``options`` (its own tests check that their options get there)."""
    from quickscale_toolchain.catalog import Entry
    from quickscale_toolchain.manifest import MANIFEST_FILE, parse_manifest

    path = directory / MANIFEST_FILE
    manifest = parse_manifest(path.read_text(encoding="utf-8"), str(path))
    rows = assignments([Entry(manifest)], {manifest.name: options}, {}, "acme", "Acme")
    return {row.name: row.code for _, assigned in rows for row in assigned}
