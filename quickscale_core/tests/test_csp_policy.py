"""Content-Security-Policy: the sources components may add, and how generation adds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from quickscale_core.csp_policy import (
    EXTENSIBLE_DIRECTIVES,
    extend_policy,
    merged_sources,
    source_problem,
)
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog, pins
from quickscale_toolchain.catalog import Catalog, Entry
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.scaffold import write_files
from quickscale_toolchain.generator.wiring import ModuleChoice
from quickscale_toolchain.manifest import ManifestError, parse_manifest

ROOT = monorepo_root()
BASE = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'"]}}


def manifest(name: str, csp: str) -> str:
    return (
        f'[project]\nname = "{name}"\nversion = "0.1.0"\n'
        f'[tool.quickscale]\nkind = "module"\nname = "{name}"\n'
        f"[tool.quickscale.csp]\n{csp}"
    )


def module(name: str, csp: str) -> Entry:
    return Entry(parse_manifest(manifest(name, csp), f"quickscale_modules/{name}/pyproject.toml"))


@pytest.mark.parametrize(
    ("directive", "source"),
    [
        ("img-src", "https://media.example.com"),
        ("img-src", "https://media.example.com:8443/uploads/"),
        ("form-action", "https://checkout.pay.example"),
        ("connect-src", "wss://push.example.com/socket"),
        ("frame-src", "https://10.0.0.1"),
    ],
)
def test_an_exact_origin_may_be_added(directive: str, source: str) -> None:
    assert source_problem(directive, source) is None


@pytest.mark.parametrize(
    ("directive", "source", "why"),
    [
        ("img-src", "*", "wildcard"),
        ("img-src", "https://*.example.com", "wildcard"),
        ("img-src", "https://media.example.com/*", "wildcard"),
        ("script-src", "'unsafe-inline'", "keyword"),
        ("script-src", "'unsafe-eval'", "keyword"),
        ("script-src", "'self'", "keyword"),
        ("img-src", "data:", "bare scheme"),
        ("img-src", "https:", "bare scheme"),
        ("img-src", "http://media.example.com", "must use https://"),
        ("script-src", "wss://push.example.com", "must use https://"),
        ("img-src", "https://localhost", "not an origin"),
        ("img-src", "https://a.example.com https://b.example.com", "not an origin"),
        ("img-src", "https://a.example.com; script-src 'unsafe-inline'", "not an origin"),
        ("img-src", "https://a.example.com:70000", "no valid port"),
        ("default-src", "https://media.example.com", "not a directive"),
        ("frame-ancestors", "https://media.example.com", "not a directive"),
    ],
)
def test_wildcards_keywords_and_non_origins_are_refused(directive, source, why) -> None:
    problem = source_problem(directive, source)
    assert problem is not None and why in problem
    with pytest.raises(ValueError, match=why):
        extend_policy(BASE, {directive: [source]})


def test_the_manifest_schema_names_exactly_the_directives_components_may_extend() -> None:
    schema = json.loads(
        (ROOT / "quickscale_core/src/quickscale_toolchain/manifest.schema.json").read_text()
    )
    assert sorted(schema["properties"]["csp"]["properties"]) == sorted(EXTENSIBLE_DIRECTIVES)


def test_a_manifest_declares_sources_per_directive() -> None:
    entry = module("media", '"img-src" = ["https://media.example.com"]\n')
    assert entry.manifest.csp == (("img-src", ("https://media.example.com",)),)


@pytest.mark.parametrize(
    ("csp", "message"),
    [
        ('"img-src" = ["https://*.example.com"]\n', r"csp\.img-src: .* is a wildcard"),
        ('"script-src" = ["\'unsafe-inline\'"]\n', r"csp\.script-src: .* keyword"),
        ('"default-src" = ["https://a.example.com"]\n', "csp"),
        ('"img-src" = []\n', "csp.img-src"),
        ('"img-src" = "https://a.example.com"\n', "csp.img-src"),
    ],
)
def test_a_manifest_with_a_wildcard_or_an_unknown_directive_is_refused(csp, message) -> None:
    with pytest.raises(ManifestError, match=message):
        module("media", csp)


def test_extending_a_directive_the_policy_lacks_keeps_the_default_source() -> None:
    policy = extend_policy(BASE, {"frame-src": ["https://pay.example.com"]})
    assert policy["DIRECTIVES"]["frame-src"] == ["'self'", "https://pay.example.com"]
    again = extend_policy(policy, {"frame-src": ["https://pay.example.com"]})
    assert again == policy  # a source is added once
    assert BASE["DIRECTIVES"] == {"default-src": ["'self'"], "img-src": ["'self'"]}  # a copy


def test_sources_are_merged_in_wiring_order_each_kept_once() -> None:
    merged = merged_sources(
        [
            ("modules/media", {"img-src": ["https://cdn.example.com"]}),
            ("modules/pay", {"img-src": ["https://cdn.example.com", "https://pay.example.com"]}),
            ("modules/pay2", {"form-action": ["https://pay.example.com"]}),
        ]
    )
    assert merged == [
        ("form-action", [("https://pay.example.com", "modules/pay2")]),
        (
            "img-src",
            [
                ("https://cdn.example.com", "modules/media"),
                ("https://pay.example.com", "modules/pay"),
            ],
        ),
    ]


def test_generation_writes_the_enabled_components_sources_into_the_policy(tmp_path) -> None:
    extra = Catalog(
        [
            module("media", '"img-src" = ["https://media.example.com"]\n'),
            module(
                "pay",
                '"form-action" = ["https://checkout.pay.example"]\n'
                '"frame-src" = ["https://js.pay.example"]\n'
                '"img-src" = ["https://media.example.com"]\n',
            ),
        ]
    )
    source = extra.over(catalog.from_directory(ROOT, "checkout"))
    chosen = (ModuleChoice("media"), ModuleChoice("pay"))
    files = render_project(ProjectSpec("acme", modules=chosen, catalog=source))
    settings = files["acme/settings.py"].content.decode()
    sources = files["acme/component_settings.py"].content.decode()
    assert "CONTENT_SECURITY_POLICY = extend_policy(" in settings
    assert '"https://media.example.com",  # modules/media' in sources
    assert '"https://checkout.pay.example",  # modules/pay' in sources
    assert "*" not in sources.split("CSP_SOURCES = ", 1)[1]

    # The project's settings, imported for real: the base policy plus the sources.
    write_files(tmp_path, files)
    policy = "json.dumps(s.CONTENT_SECURITY_POLICY, default=repr)"  # NONCE is an object
    probe = f"import json, acme.settings as s; print({policy})"
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "false"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    directives = json.loads(done.stdout)["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "https://media.example.com"]
    assert directives["form-action"] == ["'self'", "https://checkout.pay.example"]
    assert directives["frame-src"] == ["'self'", "https://js.pay.example"]
    assert not any("unsafe" in s for sources in directives.values() for s in sources)


def test_a_project_without_component_sources_keeps_the_base_policy_untouched() -> None:
    files = render_project(ProjectSpec("acme", catalog=catalog.from_directory(ROOT, "checkout")))
    assert "extend_policy" not in files["acme/settings.py"].content.decode()


def test_the_monorepo_tests_with_the_django_csp_projects_pin() -> None:
    runtime = dict(pins.RUNTIME)
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert f"django-csp=={runtime['django-csp']}" in lines
