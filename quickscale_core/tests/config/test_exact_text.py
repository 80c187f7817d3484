"""Every string of quickscale.yml means exactly what is written: no control characters,
no final line break, no text longer than where it lands, and patterns read as editors do.

The string fields are found by walking the shipped schemas (v1, v2 and each first-party
module's option schema, from its manifest), so a field added later is covered or makes
the coverage test fail. Each hostile value (a control character, a trailing line break,
NUL, thousands of characters) is a ``validate`` error located at that value, or, for free
text, comes back from the generated code as exactly the same string constant.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quickscale_testing.modules import unavailable
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog
from quickscale_toolchain.config import validate_text
from quickscale_toolchain.config.schema import assembled_schema, ecma_regex, load_schema
from quickscale_toolchain.config.text_rules import FREE_TEXT
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.project_files import render_project

ROOT = monorepo_root()
FIRST_PARTY = catalog.from_directory(ROOT, "checkout")
MANIFEST_SCHEMA = ROOT / "quickscale_core" / "src" / "quickscale_toolchain" / "manifest.schema.json"

#: A step of a field's place in the schema: a property name, ITEM (any list item),
#: ENTRY (the value of any key of a free-keyed mapping) or KEY (such a key itself).
ITEM, ENTRY, KEY = "[]", "{}", "<key>"
Where = tuple[str, ...]
KeyPath = tuple[str | int, ...]
Field = tuple[int, Where, dict[str, Any], KeyPath | None]


# --- every pattern of every shipped schema, in Node ----------------------------------
def patterns(node: Any) -> Iterator[str]:
    """Each ``pattern`` string anywhere in a schema (properties named "pattern" excluded)."""
    if isinstance(node, list):
        for item in node:
            yield from patterns(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "properties" and isinstance(value, dict):
                yield from (p for child in value.values() for p in patterns(child))
            else:
                yield from patterns(value)


def shipped_patterns() -> list[str]:
    schemas: list[Any] = [load_schema(1), load_schema(2)]
    schemas.append(json.loads(MANIFEST_SCHEMA.read_text(encoding="utf-8")))
    schemas += [entry.manifest.options_schema() for entry in FIRST_PARTY]
    return sorted({p for schema in schemas for p in patterns(schema)})


#: Texts each pattern is tried on, in Node and in Python: both must agree on every one.
PROBES = [
    "",
    "a",
    "abc",
    "abc\n",
    "abc\r\n",
    "\nabc",
    "Product",
    "Product\n",
    "unit_price",
    "0.1.0",
    "1.0.0-rc.1+build.5\n",
    "www.acme.com",
    "www.acme.com\n",
    ".acme.com",
    "ssh://deploy@203.0.113.7:22",
    "ssh://deploy@203.0.113.7\n",
    "ops@acme.com",
    "ops@acme.com\n",
    "eur",
    "eur\n",
    "9.00",
    "0",
    "00.0",
    "todo.lists",
    "todo.lists\n",
    "prod",
    "acme-app",
    "ams",
    "a$b",
    "é",
]

NODE_SCRIPT = r"""
const {patterns, probes} = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const p of patterns) {
  try {
    const re = new RegExp(p, 'u');
    out[p] = probes.map((s) => re.test(s));
  } catch (e) {
    out[p] = String(e);
  }
}
process.stdout.write(JSON.stringify(out));
"""


def node_results(pattern_list: list[str]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js (node) is not installed: apt-get install nodejs")
    done = subprocess.run(
        [node, "-e", NODE_SCRIPT],
        input=json.dumps({"patterns": pattern_list, "probes": PROBES}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    results: dict[str, Any] = json.loads(done.stdout)
    return results


def test_every_shipped_pattern_is_ecma_262_and_means_the_same_in_python() -> None:
    """Editors compile the schemas' patterns as JavaScript (``u`` flag); validate must
    accept and refuse exactly the texts they do: ``^[a-z]+$`` refuses ``"abc\\n"``."""
    found = shipped_patterns()
    assert len(found) >= 20  # the walk finds the schemas' patterns
    results = node_results(found)
    refused = {p: r for p, r in results.items() if isinstance(r, str)}
    assert refused == {}, "not ECMA-262 (write it as JavaScript reads it)"
    differ = [
        (p, s, node)
        for p in found
        for s, node in zip(PROBES, results[p], strict=True)
        if bool(ecma_regex(p).search(s)) != node
    ]
    assert differ == []
    # The probes do tell the two meanings of $ apart, for the patterns of the finding.
    python_dollar = [p for p in found if any(re.search(p, s) and s.endswith("\n") for s in PROBES)]
    assert len(python_dollar) >= 5, python_dollar


# --- the string fields of the schemas -----------------------------------------------
def string_fields(node: Any, where: Where = ()) -> Iterator[tuple[Where, dict[str, Any]]]:
    """(where, schema) of every string-valued place: values with a string type, a
    pattern, a length or a string enum, free text, and the keys of free-keyed mappings."""
    if not isinstance(node, dict):
        return
    types = node.get("type")
    types = [types] if isinstance(types, str) else types or []
    enum = node.get("enum", [])
    stringy = "string" in types or any(isinstance(v, str) for v in enum)
    if node.get(FREE_TEXT) is True or stringy or {"pattern", "maxLength"} & set(node):
        yield where, node
        return
    for name, child in (node.get("properties") or {}).items():
        yield from string_fields(child, (*where, name))
    yield from string_fields(node.get("items"), (*where, ITEM))
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield (*where, KEY), {"type": "string", **node.get("propertyNames", {})}
        yield from string_fields(extra, (*where, ENTRY))


def places(data: Any, where: Where, path: KeyPath = ()) -> Iterator[KeyPath]:
    """Concrete key paths of ``data`` matching ``where`` (a KEY place ends in its key)."""
    if not where:
        yield path
        return
    step, rest = where[0], where[1:]
    if step == ITEM and isinstance(data, list):
        for index, item in enumerate(data):
            yield from places(item, rest, (*path, index))
    elif step in (ENTRY, KEY) and isinstance(data, dict):
        for key, item in data.items():
            if step == KEY:
                yield (*path, key)
            else:
                yield from places(item, rest, (*path, key))
    elif isinstance(data, dict) and step in data:
        yield from places(data[step], rest, (*path, step))


#: A v2 config that gives every string field of the schema a valid value.
SAMPLE_V2: dict[str, Any] = {
    "schema_version": 2,
    "project": {"name": "acme", "version": "1.0.1"},
    "theme": "starter",
    "backend_extensions": "acme.backend_extensions",
    "frontend": {"source": "./custom_frontend", "variant": "client_a"},
    "modules": {
        "auth": {"provider": "allauth"},
        "backup": {"provider": "local", "schedule": "daily"},
        "notifications": {"provider": "console"},
        "payments": {"provider": "stripe"},
        "billing": {
            "provider": "stripe",
            "plans": [
                {
                    "key": "free",
                    "name": "Free",
                    "default": True,
                    "entitlements": {"todo.lists": {"limit": 3}},
                },
                {
                    "key": "pro",
                    "name": "Pro",
                    "price": "9.00",
                    "currency": "eur",
                    "interval": "month",
                },
            ],
        },
    },
    "customizations": {
        "models": [
            {
                "name": "Product",
                "description": "Something we sell.",
                "fields": [
                    {
                        "name": "status",
                        "type": "string",
                        "choices": ["draft", "live"],
                        "default": "draft",
                        "help_text": "Where it is.",
                    },
                    {"name": "notes", "type": "text", "default": "Some text"},
                ],
            },
            {
                "name": "Review",
                "fields": [
                    {
                        "name": "product",
                        "type": "foreign_key",
                        "to": "Product",
                        "on_delete": "cascade",
                    }
                ],
            },
        ],
        "business_rules": ["Products need approval"],
    },
    "environments": {
        "prod": {
            "frontend": {"variant": "client_a"},
            "domain": "www.acme.com",
            "allowed_hosts": ["acme.com"],
            "deploy": {
                "target": "compose",
                "host": "ssh://deploy@203.0.113.7",
                "acme_email": "ops@acme.com",
            },
        },
        "staging": {"deploy": {"target": "fly", "app": "acme-app", "region": "ams"}},
    },
}

# The auth module's social login: every provider option (openid_connect's own and any
# other provider's), with a value.
SAMPLE_V2["modules"]["auth"]["social"] = {
    "openid_connect": {
        "server_url": "https://id.acme.com",
        "name": "Acme ID",
        "scope": ["openid"],
        "auth_params": {"prompt": "login"},
    },
    "github": {"scope": ["user:email"], "auth_params": {"allow_signup": "false"}},
}
# Its two-factor authentication: the factors offered, and who must have one.
SAMPLE_V2["modules"]["auth"]["mfa"] = ["totp", "webauthn"]
SAMPLE_V2["modules"]["auth"]["mfa_required"] = "staff"

SAMPLE_V1: dict[str, Any] = {
    "schema_version": 1,
    "project": {"name": "acme", "version": "1.0.1"},
    "theme": "starter",
    "backend_extensions": "acme.backend_extensions",
    "frontend": {"source": "./custom_frontend", "variant": "client_a"},
}

#: How a value grows past any bound while keeping its pattern (by default: its last
#: character repeated), so that only a length bound can refuse it.
GROW: dict[Where, Callable[[str, int], str]] = {
    ("environments", ENTRY, "domain"): lambda value, n: "a." * (n // 2) + value,
    ("environments", ENTRY, "allowed_hosts", ITEM): lambda value, n: "a." * (n // 2) + value,
    ("environments", ENTRY, "deploy", "acme_email"): lambda value, n: "o" * n + value,
}
#: Longer than any bound a string has (PATH_MAX, the longest, is 4096 bytes).
OVER_LONG = st.integers(min_value=4097, max_value=6000)
CONTROLS = st.sampled_from([chr(c) for c in range(32)] + ["\x7f", "\x85", "\x9b"])


def hostile(value: str, grow: Callable[[str, int], str]) -> st.SearchStrategy[str]:
    def inserted(at_and_char: tuple[int, str]) -> str:
        at, char = at_and_char
        return value[:at] + char + value[at:]

    return st.one_of(
        st.just(value + "\n"),
        st.just(value + "\0"),
        st.tuples(st.integers(0, len(value)), CONTROLS).map(inserted),
        OVER_LONG.map(lambda n: grow(value, n)),
    )


def fields_of(version: int) -> list[Field]:
    """(version, where, schema, a key path of the sample there) of each string field."""
    schema = _inlined(assembled_schema(version, FIRST_PARTY))
    sample = SAMPLE_V1 if version == 1 else SAMPLE_V2
    rows = []
    for where, node in string_fields(schema):
        if where[:3] == ("environments", ENTRY, "modules"):
            continue  # the top-level modules' schema again ("$ref": "#/properties/modules")
        found = next(places(sample, where), None)
        rows.append((version, where, node, found))
    return rows


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    from quickscale_toolchain.config.schema import inlined_schema

    return inlined_schema(json.dumps(schema, sort_keys=True))


FIELDS = fields_of(1) + fields_of(2)


def field_id(row: Field) -> str:
    return f"v{row[0]}:" + ".".join(row[1])


def test_the_samples_are_valid_and_give_every_string_field_a_value() -> None:
    for sample in (SAMPLE_V1, SAMPLE_V2):
        result = validate_text(yaml.safe_dump(sample), components=FIRST_PARTY)
        assert result.ok, [d.format() for d in result.diagnostics]
    missing = [field_id(row) for row in FIELDS if row[3] is None]
    assert missing == [], "give these fields a value in SAMPLE_V1/SAMPLE_V2"
    wheres = {field_id(row) for row in FIELDS}
    # The walk reaches the modules' options and the free-keyed mappings.
    assert {"v2:modules.billing.plans.[].name", "v2:environments.<key>"} <= wheres
    assert "v2:modules.billing.plans.[].entitlements.<key>" in wheres
    assert len(FIELDS) >= 40


def replaced(data: dict[str, Any], path: KeyPath, value: str, *, key: bool) -> dict[str, Any]:
    """A copy of ``data`` with the value (or, if ``key``, the key) at ``path`` replaced."""
    data = copy.deepcopy(data)
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    if key:
        parent[value] = parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    return data


def python_constants(data: dict[str, Any]) -> set[str]:
    """Every string constant of the Python modules generated from ``data``."""
    files = render_project(spec_from_config(data))
    found: set[str] = set()
    for name, generated in files.items():
        if name.endswith(".py"):
            tree = ast.parse(generated.content.decode("utf-8"), name)
            found |= {
                n.value
                for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            }
    return found


LENGTH_WORDS = re.compile(r"characters|at most|more than")


@pytest.mark.parametrize("row", FIELDS, ids=field_id)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_hostile_string_is_a_located_error_or_comes_back_exactly(
    row: Field, data: st.DataObject
) -> None:
    version, where, node, path = row
    assert path is not None  # the coverage test names the field the samples miss
    is_key = where[-1] == KEY
    original = str(path[-1]) if is_key else _get(SAMPLE_V1 if version == 1 else SAMPLE_V2, path)
    value = data.draw(hostile(original, GROW.get(where, lambda v, n: v + v[-1] * n)))
    config = replaced(SAMPLE_V1 if version == 1 else SAMPLE_V2, path, value, key=is_key)
    at = (*path[:-1], value) if is_key else path
    # Not allow_unicode: PyYAML would then write U+0085 (a YAML line break) unescaped.
    result = validate_text(yaml.safe_dump(config), components=FIRST_PARTY)
    located = [d for d in result.diagnostics if d.is_error and d.path == at]
    if node.get(FREE_TEXT) is True and not located:
        assert result.ok, [d.format() for d in result.diagnostics]
        assert value in python_constants(config)
        return
    assert located, (value, [d.format() for d in result.diagnostics])
    assert all("\n" not in d.format() and len(d.format()) < 600 for d in located)
    pattern = node.get("pattern")
    unbounded = pattern is None or ecma_regex(pattern).search(value)
    if len(value) > 4096 and unbounded and "enum" not in node:
        # Only a length bound can have refused it: the message says so.
        assert any(LENGTH_WORDS.search(d.message) for d in located), located[0].format()


def _get(data: Any, path: KeyPath) -> str:
    for part in path:
        data = data[part]
    assert isinstance(data, str)
    return data


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('domain: "www.acme.com\\n"', "'www.acme.com\\n' ends with a line break"),
        ("domain: |\n      www.acme.com\n", "'www.acme.com\\n' ends with a line break"),
        ('allowed_hosts: ["acme.com\\n"]', "'acme.com\\n' ends with a line break"),
        (
            'domain: acme.com\n    deploy: {target: compose, host: "ssh://h\\n"}',
            "'ssh://h\\n' ends with a line break",
        ),
        ('domain: "www.acme\\0.com"', "contains a NUL character (U+0000)"),
        ('domain: "www.acme\\e.com"', "contains an escape character (U+001B)"),
    ],
)
def test_the_findings_values_are_refused_in_one_line(written: str, expected: str) -> None:
    """The security test's values: a trailing line break in a domain, a host, a Docker
    host; one error each, at the value, naming the character (no second error)."""
    text = f"schema_version: 2\nproject: {{name: acme}}\nenvironments:\n  prod:\n    {written}\n"
    result = validate_text(text)
    (only,) = result.diagnostics
    assert only.is_error and only.path[:2] == ("environments", "prod")
    assert expected in only.message and "\n" not in only.format()


def test_a_too_long_plan_name_or_one_with_nul_is_refused_before_migrate() -> None:
    """Finding 9: a 500-character plan name, or one with NUL, passed validate."""
    plans = "    plans:\n      - {key: free, name: %s, default: true}\n"
    head = "schema_version: 2\nproject: {name: acme}\nmodules:\n  payments:\n  billing:\n"
    for name, says in (("P" * 500, "is 500 characters long"), ('"Fr\\0ee"', "NUL character")):
        (only,) = validate_text(head + plans % name).diagnostics
        assert only.path == ("modules", "billing", "plans", 0, "name") and says in only.message


def test_the_schema_validator_reads_dollar_as_the_end_of_the_text() -> None:
    """Even without the control-character rule, a pattern ending in ``$`` refuses a
    final line break, as in an editor (jsonschema's own keyword uses ``re.search``)."""
    from quickscale_toolchain.config.loader import parse
    from quickscale_toolchain.config.schema import schema_diagnostics

    text = 'schema_version: 2\nproject: {name: acme}\nenvironments:\n  prod: {domain: "a.com\\n"}\n'
    found = list(schema_diagnostics(parse(text, "quickscale.yml"), 2))
    assert [d.path for d in found] == [("environments", "prod", "domain")]
    assert "is not a domain name" in found[0].message
