"""What ``quickscale components`` and docs/config.md say about a component, read from its
manifest alone: its options (flattened from their JSON Schema), its providers with the
environment variables each reads, what it requires, and copy-paste examples.

One description (``describe``, plain JSON data) feeds the three outputs (JSON, text and
Markdown), so they cannot disagree with each other or with the manifests.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quickscale_toolchain.catalog import Entry
    from quickscale_toolchain.manifest import Example, Manifest

_TYPE_NAMES = {"array": "list", "object": "mapping", "null": "empty"}
#: The example a manifest without any gets: what every module accepts, an empty entry.
_DEFAULTS = "Enabled with its defaults: an empty entry."


def describe(entry: Entry) -> dict[str, Any]:
    """Everything the manifest says that a user needs to enable the component."""
    manifest = entry.manifest
    module = entry.component.kind == "modules"
    return {
        "id": entry.component.id,
        "kind": entry.component.singular,
        "name": manifest.name,
        "version": manifest.version,
        "description": manifest.description,
        "requires": [r.id for r in manifest.requires],
        "providers": [p.name for p in manifest.providers],
        "default_provider": manifest.default_provider,
        "environment": [
            {
                "provider": p.name,
                "default": p.name == manifest.default_provider,
                "description": p.description,
                "required": list(p.env),
                "optional": list(p.optional_env),
            }
            for p in manifest.providers
        ],
        "options": _options(manifest) if module else [],
        "examples": [
            {"description": e.description, "yaml": example_yaml(manifest, e)}
            for e in _examples(manifest)
        ],
        "schema": manifest.options_schema() if module else None,
        "personal_data": _personal_data(manifest),
    }


#: What erasure does to a declared model's rows, in a word or two.
_ERASED = {"delete": "deleted", "anonymize": "anonymized", "keep": "kept"}


def _personal_data(manifest: Manifest) -> str:
    """One line on the personal data the component declares (docs/privacy.md: the rest)."""
    models = manifest.personal_models
    if models:
        said = "; ".join(
            f"{m.description} ({m.model}, {_ERASED.get(m.erase, m.erase)} on erasure)"
            for m in models
        )
        return f"Personal data: {said}. What export and erasure do: docs/privacy.md."
    if manifest.personal_data.holds is False:
        return "Personal data: none, it says."
    return "Personal data: not declared; export and erasure leave it out (validate warns)."


def _examples(manifest: Manifest) -> tuple[Example, ...]:
    from quickscale_toolchain.manifest import Example

    if manifest.examples:
        return manifest.examples
    if manifest.component.kind == "themes":
        return (Example("Use it as the project's theme."),)
    return (Example(_DEFAULTS),)


def example_yaml(manifest: Manifest, example: Example) -> str:
    """The example as the lines to paste into quickscale.yml."""
    import yaml

    if manifest.component.kind == "themes":
        return f"theme: {manifest.name}\n"
    options = json.loads(json.dumps(dict(example.options)))
    if not options:
        return f"modules:\n  {manifest.name}:\n"
    body = yaml.dump(
        options, Dumper=_dumper(), sort_keys=False, default_flow_style=False, allow_unicode=True
    )
    return f"modules:\n  {manifest.name}:\n" + textwrap.indent(body, "    ")


def _dumper() -> type:
    """A YAML dumper (PyYAML, imported on use) that indents lists under their key."""
    import yaml

    class Dumper(yaml.SafeDumper):
        """Lists indented under their key, as people write them in quickscale.yml."""

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    return Dumper


# --- Options: the JSON Schema fragment, one row per key a user can write ----------------


def _options(manifest: Manifest) -> list[dict[str, Any]]:
    properties = manifest.options_schema()["properties"]
    rows: list[dict[str, Any]] = []
    for name, schema in properties.items():
        default = manifest.default_provider if name == "provider" else schema.get("default")
        _flatten(name, schema, False, default, rows)
    return rows


def _flatten(
    name: str,
    schema: Mapping[str, Any],
    required: bool,
    default: Any,
    rows: list[dict[str, Any]],
    together: Iterable[str] = (),
) -> None:
    """A row for the key ``name``, then one for each key below it; ``together`` are the
    rules its mapping sets on it with its sibling keys."""
    rows.append(
        {
            "name": name,
            "type": _type(schema),
            "required": required,
            "default": default,
            "allowed": "; ".join([*_allowed(schema), *together]),
            "description": str(schema.get("description", "")),
        }
    )
    items = schema.get("items")
    if isinstance(items, Mapping):
        _children(f"{name}[].", items, rows)
    _children(f"{name}.", schema, rows)
    values = schema.get("additionalProperties")
    if isinstance(values, Mapping) and values:
        _flatten(f"{name}.<key>", values, False, values.get("default"), rows)


def _children(prefix: str, schema: Mapping[str, Any], rows: list[dict[str, Any]]) -> None:
    required = set(schema.get("required", ()))
    exclusive = list(schema.get("x-exclusive", ()))
    needs = schema.get("dependentRequired", {})
    for key, sub in schema.get("properties", {}).items():
        together = []
        if key in exclusive:
            together.append("not with " + " or ".join(k for k in exclusive if k != key))
        if key in needs:
            together.append("needs " + " and ".join(needs[key]))
        _flatten(prefix + key, sub, key in required, sub.get("default"), rows, together)


def _type(schema: Mapping[str, Any]) -> str:
    declared = schema.get("type")
    if declared is None and "enum" in schema:
        declared = sorted({_json_type(v) for v in schema["enum"]})
    names = [declared] if isinstance(declared, str) else list(declared or [])
    return " or ".join(_TYPE_NAMES.get(n, n) for n in names) or "any"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "number" if isinstance(value, float) else "string"


def _allowed(schema: Mapping[str, Any]) -> Iterable[str]:
    """The schema's constraints, in words (the keywords quickscale.yml's schemas use)."""
    if "enum" in schema:
        yield "one of: " + ", ".join(scalar(v) for v in schema["enum"])
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        yield f"{low} to {high}"
    elif low is not None:
        yield f"at least {low}"
    elif high is not None:
        yield f"at most {high}"
    if schema.get("minLength") == 1:
        yield "not empty"
    elif "minLength" in schema:
        yield f"at least {schema['minLength']} characters"
    if "minItems" in schema:
        count = schema["minItems"]
        yield f"at least {count} item{'s' if count != 1 else ''}"
    if "pattern" in schema:
        yield _rule(schema)
    names = schema.get("propertyNames")
    if isinstance(names, Mapping) and "pattern" in names:
        yield f"keys: {_rule(names)}"
    if isinstance(names, Mapping) and "enum" in names:  # social login's provider ids
        yield "keys: one of: " + ", ".join(scalar(v) for v in names["enum"])
    if isinstance(names, Mapping) and names.get("x-refused"):  # and those it turns away
        yield "not offered: " + ", ".join(sorted(names["x-refused"]))
    if "x-unique-by" in schema:
        yield f"no two items share a {schema['x-unique-by']}"
    if "x-exactly-one" in schema:
        yield f"exactly one item has {schema['x-exactly-one']}: true"


def _rule(schema: Mapping[str, Any]) -> str:
    """A pattern in words: its error message after "is not a …: ", else the regex."""
    message = str(schema.get("patternErrorMessage", ""))
    head, colon, rule = message.partition(": ")
    if colon and head.startswith("is not"):
        return rule
    return message.removeprefix("must be ") if message else f"matches {schema['pattern']}"


def scalar(value: Any) -> str:
    """A value as it is written in YAML (true, 3, eur)."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return json.dumps(value)


# --- Text: for a person at a terminal (words wrapped, never split) ----------------------


def detail_text(described: Mapping[str, Any], width: int) -> str:
    """``quickscale components NAME``: the component's description, then its options,
    providers, requirements and examples."""
    lines = [f"{described['id']} {described['version']}"]
    lines += _wrap(described["description"], width, "  ", "  ")
    if "enabled" in described:
        lines += _wrap(f"({_state(described)})", width, "  ", "  ")
    if described["requires"]:
        needed = ", ".join(described["requires"])
        lines += ["", *_wrap(f"Requires {needed} (embedded with it).", width, "", "  ")]
    if described["options"]:
        lines += ["", f"Options, under 'modules: {described['name']}:' in quickscale.yml:"]
        for row in described["options"]:
            lines += _wrap(f"{row['name']}: {_facts(row)}", width, "  ", "      ")
            lines += _wrap(row["description"], width, "      ", "      ")
    elif described["kind"] == "module":
        lines += ["", "Options: none."]
    if described["environment"]:
        lines += ["", "Providers ('provider:' in its entry; * the default) and the environment"]
        lines += ["variables each reads (required ones when DEBUG is off):"]
        for provider in described["environment"]:
            star = "*" if provider["default"] else ""
            lines += _wrap(f"{provider['provider']}{star}: {_env(provider)}", width, "  ", "      ")
            lines += _wrap(provider["description"], width, "      ", "      ")
    for example in described["examples"]:
        lines += ["", *_wrap(f"Example: {example['description']}", width, "", "  ")]
        lines += ["", *example["yaml"].splitlines()]
    lines += ["", *_wrap(described["personal_data"], width, "", "  ")]
    lines += ["", "Put it in quickscale.yml, then run 'quickscale generate'."]
    return "\n".join(lines) + "\n"


def _state(described: Mapping[str, Any]) -> str:
    """Where the component stands in the project the command runs in."""
    embedded = described["embedded_version"]
    if not described["enabled"]:
        return "not enabled in this project" + (f"; {embedded} is embedded" if embedded else "")
    if embedded:
        return f"enabled in this project, {embedded} embedded"
    return "enabled in quickscale.yml, not embedded yet: run 'quickscale generate'"


def _facts(row: Mapping[str, Any]) -> str:
    facts = [row["type"] + (", required" if row["required"] else "")]
    if row["default"] is not None:
        facts.append(f"default {scalar(row['default'])}")
    if row["allowed"]:
        facts.append(row["allowed"])
    return "; ".join(facts)


def _env(provider: Mapping[str, Any]) -> str:
    parts = []
    if provider["required"]:
        parts.append("requires " + ", ".join(provider["required"]))
    if provider["optional"]:
        parts.append("optional " + ", ".join(provider["optional"]))
    return "; ".join(parts) or "no environment variables"


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    if not text:
        return []
    return textwrap.wrap(
        text,
        width=max(width, len(rest) + 20),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


# --- Markdown: the reference in docs/config.md ------------------------------------------


def reference_markdown(described: Iterable[Mapping[str, Any]]) -> str:
    """Each component as a Markdown section: description, options table, providers
    table, examples. docs/config.md holds this text (a test keeps it equal)."""
    out: list[str] = []
    for item in described:
        out += [f"#### `{item['id']}`", "", _cell(item["description"])]
        if item["requires"]:
            out[-1] += " Requires " + ", ".join(f"`{r}`" for r in item["requires"]) + "."
        if item["options"]:
            out += ["", "| option | type | default | allowed | description |"]
            out += ["| --- | --- | --- | --- | --- |"]
            for row in item["options"]:
                kind = row["type"] + (", required" if row["required"] else "")
                default = "—" if row["default"] is None else f"`{scalar(row['default'])}`"
                cells = [f"`{row['name']}`", kind, default, row["allowed"], row["description"]]
                out.append("| " + " | ".join(_cell(c) or "—" for c in cells) + " |")
        elif item["kind"] == "module":
            out += ["", "No options."]
        if item["environment"]:
            out += ["", "| provider | requires (when `DEBUG` is off) | optional | description |"]
            out += ["| --- | --- | --- | --- |"]
            for p in item["environment"]:
                name = f"`{p['provider']}`" + (" (default)" if p["default"] else "")
                needed = ", ".join(f"`{v}`" for v in p["required"]) or "—"
                optional = ", ".join(f"`{v}`" for v in p["optional"]) or "—"
                out.append(f"| {name} | {needed} | {optional} | {_cell(p['description']) or '—'} |")
        for example in item["examples"]:
            out += ["", _cell(example["description"]), "", "```yaml", example["yaml"] + "```"]
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
