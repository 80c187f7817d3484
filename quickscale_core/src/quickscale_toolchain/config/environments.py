"""``environments:`` in quickscale.yml: per-environment overrides, their rules and the
effective config of one environment.

An entry overrides values only (frontend variant, domain and allowed hosts, the deploy
target and its options, module options, process counts); secrets never go in the file.
The JSON Schema checks each entry's shape (every entry has the same schema, module
options included); the rules here check what crosses keys: a module override names an
enabled module, each target has the options it needs and none of another target's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from quickscale_toolchain.config.diagnostics import Diagnostic, KeyPath, did_you_mean, quote_list

if TYPE_CHECKING:
    from quickscale_toolchain.config.loader import Document

#: What each deploy target needs, and the options that belong to it alone.
TARGET_REQUIRED: dict[str, tuple[str, ...]] = {"compose": ("host",), "fly": ("app",)}
TARGET_ONLY: dict[str, tuple[str, ...]] = {
    "compose": ("host", "acme_email"),
    "fly": ("app", "region"),
}
DEFAULT_FLY_REGION = "ams"

_VARIANT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class EnvironmentConfig:
    """One entry of ``environments``, typed; None / empty means "as above"."""

    name: str
    variant: str | None = None
    domain: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    target: str | None = None
    deploy: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    web: int = 1
    worker: int = 0
    modules: MappingProxyType[str, Mapping[str, Any]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def hosts(self) -> tuple[str, ...]:
        """The hosts Django answers to here: ``allowed_hosts``, else the domain; on Fly
        also the app's own ``<app>.fly.dev`` (where Fly serves it before any domain)."""
        hosts = list(self.allowed_hosts or ((self.domain,) if self.domain else ()))
        app = self.deploy.get("app")
        if self.target == "fly" and app and f"{app}.fly.dev" not in hosts:
            hosts.append(f"{app}.fly.dev")
        return tuple(hosts)


def build_environments(data: Mapping[str, Any]) -> dict[str, EnvironmentConfig]:
    """Typed entries of a valid document's ``environments`` (name -> entry)."""
    result = {}
    for name, entry in (data.get("environments") or {}).items():
        entry = entry or {}
        deploy = dict(entry.get("deploy") or {})
        processes = entry.get("processes") or {}
        result[name] = EnvironmentConfig(
            name=name,
            variant=(entry.get("frontend") or {}).get("variant"),
            domain=entry.get("domain"),
            allowed_hosts=tuple(entry.get("allowed_hosts") or ()),
            target=deploy.pop("target", None),
            deploy=MappingProxyType(deploy),
            web=int(processes.get("web", 1)),
            worker=int(processes.get("worker", 0)),
            modules=MappingProxyType(
                {
                    module: MappingProxyType(dict(options or {}))
                    for module, options in (entry.get("modules") or {}).items()
                }
            ),
        )
    return result


def effective_data(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The config as environment ``name`` sees it: the top level with that entry's
    overrides applied (a module's options merged key by key), without ``environments``.

    ``data`` must be a valid document; KeyError if it has no environment ``name``.
    """
    entry = dict((data.get("environments") or {})[name] or {})
    result = {k: v for k, v in data.items() if k != "environments"}
    variant = (entry.get("frontend") or {}).get("variant")
    if variant is not None:
        result["frontend"] = {**(data.get("frontend") or {}), "variant": variant}
    if entry.get("modules"):
        modules = {k: dict(v or {}) for k, v in (data.get("modules") or {}).items()}
        for module, options in entry["modules"].items():
            modules[module] = {**modules.get(module, {}), **(options or {})}
        result["modules"] = {k: (v or None) for k, v in modules.items()}
    deployment: dict[str, Any] = {}
    for key in ("domain", "allowed_hosts", "deploy", "processes"):
        if key in entry:
            deployment[key] = entry[key]
    processes = {"web": 1, "worker": 0, **(entry.get("processes") or {})}
    deployment["processes"] = processes
    result["environment"] = {"name": name, **deployment}
    return result


def config_hash(data: Mapping[str, Any]) -> str:
    """A stable SHA-256 of a config mapping (canonical JSON: sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def environment_diagnostics(doc: Document, project_dir: Path | None) -> Iterator[Diagnostic]:
    """The rules across keys of every ``environments`` entry (the schema checks shapes)."""
    environments = doc.data.get("environments")
    if not isinstance(environments, dict):
        return
    enabled = doc.data.get("modules")
    enabled = enabled if isinstance(enabled, dict) else {}
    for name, entry in environments.items():
        if not isinstance(entry, dict):
            continue
        base: KeyPath = ("environments", name)
        yield from _module_overrides(doc, base, entry, enabled)
        yield from _deploy(doc, base, entry)
        yield from _variant(doc, base, entry, project_dir)


def _module_overrides(
    doc: Document, base: KeyPath, entry: dict[str, Any], enabled: dict[str, Any]
) -> Iterator[Diagnostic]:
    modules = entry.get("modules")
    if not isinstance(modules, dict):
        return
    for module in modules:
        if module not in enabled:
            guess = did_you_mean(module, list(enabled))
            hint = f"did you mean '{guess}'? " if guess else ""
            first = "enable it under the top-level 'modules:' first"
            hint += (
                f"{first} (enabled: {quote_list(sorted(enabled))})"
                if enabled
                else f"{first}: an environment changes a module's options, it never adds one"
            )
            yield doc.error(
                (*base, "modules", module),
                f"module '{module}' is not enabled in 'modules:'",
                hint,
                key=True,
            )


def _deploy(doc: Document, base: KeyPath, entry: dict[str, Any]) -> Iterator[Diagnostic]:
    deploy = entry.get("deploy")
    if not isinstance(deploy, dict) or deploy.get("target") not in TARGET_REQUIRED:
        return
    target = deploy["target"]
    where: KeyPath = (*base, "deploy")
    for key in TARGET_REQUIRED[target]:
        if key not in deploy:
            example = {"host": "host: ssh://deploy@203.0.113.7", "app": "app: acme-production"}
            yield doc.error(
                (*where, key),
                f"target '{target}' needs '{key}'",
                f"add '{example[key]}' under '{'.'.join(map(str, where))}:'",
                key=True,
            )
    for other, keys in TARGET_ONLY.items():
        if other == target:
            continue
        for key in keys:
            if key in deploy and key not in TARGET_ONLY[target]:
                yield doc.error(
                    (*where, key),
                    f"'{key}' is an option of target '{other}', not '{target}'",
                    f"remove it, or set 'target: {other}'",
                    key=True,
                )
    if entry.get("domain") is None and target == "compose":
        yield doc.error(
            where,
            "target 'compose' needs the environment's 'domain' (Caddy gets its certificate for it)",
            f"add 'domain: www.example.com' under '{'.'.join(map(str, base))}:'",
        )


def _variant(
    doc: Document, base: KeyPath, entry: dict[str, Any], project_dir: Path | None
) -> Iterator[Diagnostic]:
    frontend = entry.get("frontend")
    if project_dir is None or not isinstance(frontend, dict):
        return
    variant = frontend.get("variant")
    source = (doc.data.get("frontend") or {}).get("source", "./custom_frontend/")
    if not isinstance(variant, str) or not _VARIANT.match(variant) or not isinstance(source, str):
        return
    from quickscale_toolchain.config.loader import probe  # validation has loaded it already

    directory = project_dir / source / "variants"
    if ".." in Path(source).parts or Path(source).is_absolute():
        return  # reported on frontend.source
    if not probe((directory / variant).is_dir):
        existing = sorted(p.name for p in directory.glob("*/") if p.is_dir())
        shown = f"{source.rstrip('/')}/variants/{variant}/".removeprefix("./")
        hint = f"create '{shown}'"
        hint += f", or choose one of: {', '.join(existing)}" if existing else ""
        yield doc.error(
            (*base, "frontend", "variant"), f"variant '{variant}' has no directory '{shown}'", hint
        )
