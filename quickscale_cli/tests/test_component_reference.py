"""``quickscale components NAME`` tells a user how to enable a component, from its
manifest alone, and every example it shows is one ``quickscale validate`` accepts.

The components, their options, providers and examples come from the source's
manifests, not from a list here: a new module folder is covered the moment it exists.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli
from quickscale_toolchain import catalog

ONE_LINE_ERROR = re.compile(r"^error: \S.* — \S.*$")


def _cli(
    quickscale_bin: str, source: Path, *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUICKSCALE_SOURCE": str(source), "COLUMNS": "80"}
    return subprocess.run(
        [quickscale_bin, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def project(
    quickscale_bin: str, source_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """One `quickscale init acme` the tests of this file only read, or restore."""
    parent = tmp_path_factory.mktemp("reference")
    done = _cli(quickscale_bin, source_repo, "init", "acme", cwd=parent)
    assert done.returncode == 0, done.stderr
    return parent / "acme"


@pytest.fixture(scope="module")
def described(quickscale_bin: str, source_repo: Path, tmp_path_factory: pytest.TempPathFactory):
    """What `quickscale components --format json` says of every component, by id."""
    done = _cli(
        quickscale_bin,
        source_repo,
        "components",
        "--format",
        "json",
        cwd=tmp_path_factory.mktemp("outside"),
    )
    assert done.returncode == 0, done.stderr
    return {row["id"]: row for row in json.loads(done.stdout)}


def test_every_example_shown_passes_validate_when_pasted_into_a_new_project(
    run_cli: RunCli, source_repo: Path, project: Path, described: dict[str, dict[str, Any]]
):
    offered = catalog.for_source(str(source_repo))
    assert sorted(described) == sorted(e.component.id for e in offered)
    config = project / "quickscale.yml"
    original = config.read_text()
    assert not re.search(r"^modules:", original, re.MULTILINE)  # init leaves it commented
    checked = 0
    try:
        for entry in offered:
            examples = described[entry.component.id]["examples"]
            # The manifest's own examples, in order; one default example when it has none.
            wanted = [e.description for e in entry.manifest.examples]
            assert [e["description"] for e in examples] == (wanted or [examples[0]["description"]])
            for example in examples:
                pasted = example["yaml"]
                if pasted.startswith("theme:"):  # a theme replaces the theme line
                    text = re.sub(r"^theme: .*\n", pasted, original, count=1, flags=re.MULTILINE)
                else:  # a module's lines go at the end, as docs/config.md says
                    text = original + pasted
                config.write_text(text)
                done = run_cli("validate", cwd=project)
                label = f"{entry.component.id}: {example['description']}"
                assert (done.returncode, done.stdout) == (
                    0,
                    "quickscale.yml: valid (schema_version 2)\n",
                ), (label, pasted, done.stdout, done.stderr)
                checked += 1
    finally:
        config.write_text(original)
    assert checked >= len(described)


def test_components_name_shows_options_defaults_allowed_values_providers_env_and_requires(
    run_cli: RunCli, source_repo: Path, tmp_path: Path, described: dict[str, dict[str, Any]]
):
    """For each component, the text says everything its JSON (and manifest) says."""
    offered = catalog.for_source(str(source_repo))
    for entry in offered:
        manifest = entry.manifest
        done = run_cli("components", manifest.name, cwd=tmp_path, env={"COLUMNS": "80"})
        assert done.returncode == 0, done.stderr
        text = done.stdout
        words = " ".join(text.split())  # wrapped lines read as one text
        assert text.startswith(f"{entry.component.id} {manifest.version}\n")
        assert " ".join(manifest.description.split()) in words
        for required in manifest.requires:
            assert f"Requires {required.id}" in words
        properties = (
            manifest.options_schema()["properties"] if entry.component.kind == "modules" else {}
        )
        rows = {row["name"]: row for row in described[entry.component.id]["options"]}
        assert set(properties) <= set(rows)
        for name, schema in properties.items():
            assert f"  {name}: " in text, (entry.component.id, name)
            default = manifest.default_provider if name == "provider" else schema.get("default")
            assert rows[name]["default"] == default
            if default is not None:
                assert f"default {json.dumps(default).strip(chr(34))}" in words
            for value in schema.get("enum", ()):
                assert value in rows[name]["allowed"] and value in words
        for provider in manifest.providers:
            star = "*" if provider.name == manifest.default_provider else ""
            needs = [
                f"{label} {', '.join(names)}"
                for label, names in (
                    ("requires", provider.env),
                    ("optional", provider.optional_env),
                )
                if names
            ]
            said = "; ".join(needs) or "no environment variables"
            assert f" {provider.name}{star}: {said}" in words, (entry.component.id, said)
        for example in described[entry.component.id]["examples"]:
            assert example["yaml"] in text  # verbatim, ready to paste
        assert text.rstrip().endswith("then run 'quickscale generate'.")


def test_billing_s_plan_syntax_is_shown_without_its_readme(run_cli: RunCli, tmp_path: Path):
    done = run_cli("components", "modules/billing", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    billing = json.loads(done.stdout)
    rows = {row["name"]: row for row in billing["options"]}
    assert rows["plans"]["type"] == "list"
    assert "exactly one item has default: true" in rows["plans"]["allowed"]
    assert rows["plans[].key"]["required"] and rows["plans[].name"]["required"]
    assert rows["plans[].interval"]["allowed"] == "one of: month, year"
    price = rows["plans[].price"]["allowed"]
    assert "in quotes" in price and "not with price_minor; needs currency and interval" in price
    assert rows["plans[].entitlements.<key>.limit"]["type"] == "integer"
    assert billing["requires"] == ["modules/payments"]
    [example] = billing["examples"]
    assert "price: '9.00'" in example["yaml"] and "price_minor: 9900" in example["yaml"]
    by_name = run_cli("components", "billing", "--format", "json", cwd=tmp_path)
    assert json.loads(by_name.stdout) == billing


@pytest.mark.parametrize(
    ("name", "guess"),
    [
        ("biling", "billing"),
        ("modules/notification", "modules/notifications"),
        ("Starter", "starter"),
        ("no_such_thing", None),
    ],
)
def test_an_unknown_name_is_one_line_with_did_you_mean_and_the_list(
    run_cli: RunCli,
    tmp_path: Path,
    described: dict[str, dict[str, Any]],
    name: str,
    guess: str | None,
):
    done = run_cli("components", name, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    [line] = done.stderr.splitlines()
    assert ONE_LINE_ERROR.match(line), line
    assert f"no component named '{name}'" in line
    if guess:
        assert f"did you mean '{guess}'? run 'quickscale components {guess}'" in line
    else:
        assert "did you mean" not in line
    assert line.endswith("the components are: " + ", ".join(described))


def test_inside_a_project_it_says_where_the_component_stands(run_cli: RunCli, project: Path):
    config = project / "quickscale.yml"
    original = config.read_text()
    version = json.loads(run_cli("components", "starter", "--format", "json", cwd=project).stdout)
    embedded = f"(enabled in this project, {version['embedded_version']} embedded)"
    cases = [
        ("starter", original, embedded),
        ("auth", original, "(not enabled in this project)"),
        (
            "auth",
            original + "modules:\n  auth:\n",
            "(enabled in quickscale.yml, not embedded yet: run 'quickscale generate')",
        ),
    ]
    try:
        for name, text, state in cases:
            config.write_text(text)
            done = run_cli("components", name, cwd=project, env={"COLUMNS": "100"})
            assert done.returncode == 0, done.stderr
            assert f"  {state}" in done.stdout.splitlines(), done.stdout
    finally:
        config.write_text(original)
