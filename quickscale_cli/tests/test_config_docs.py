"""docs/config.md stays true: its example configs are valid, its sample output is real,
its component reference is the manifests', and what it says of the CLI is what it does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from cli_support import minimal_project
from click.testing import CliRunner
from quickscale_cli.commands._reference import describe, reference_markdown
from quickscale_cli.main import cli
from quickscale_toolchain import catalog
from quickscale_toolchain.config import LATEST_VERSION, SCHEMA_VERSIONS, schema_path, validate_text

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "config.md"
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
EXAMPLES = [text for lang, text in BLOCKS if lang == "yaml" and "project:" in text]


def test_the_doc_shows_what_init_writes_then_a_file_using_every_section(run_cli, tmp_path):
    assert [e.split("\n")[0] for e in EXAMPLES] == ["schema_version: 2", "schema_version: 2"]
    assert run_cli("init", "acme", cwd=tmp_path).returncode == 0
    written = (tmp_path / "acme" / "quickscale.yml").read_text()
    assert yaml.safe_load(EXAMPLES[0]) == yaml.safe_load(written)


def test_the_first_module_example_is_valid_in_a_new_project_as_it_is(run_cli, tmp_path):
    """The snippet of "Enabling a module", appended to what init wrote, takes effect: no
    warning that modules are ignored (as schema 1 would give), no upgrade step first.
    tests/e2e/test_readme.py runs the rest of the example (generate, install, migrate)."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("\n### Enabling a module\n") :].split("\n## ", 1)[0]
    snippet = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)[0]
    assert run_cli("init", "acme", cwd=tmp_path).returncode == 0
    config = tmp_path / "acme" / "quickscale.yml"
    config.write_text(config.read_text() + snippet)
    checked = run_cli("validate", cwd=tmp_path / "acme")
    assert (checked.returncode, checked.stdout) == (0, "quickscale.yml: valid (schema_version 2)\n")
    preview = run_cli("preview", "--no-diff", cwd=tmp_path / "acme")
    [module] = re.findall(r"^  (\w+):", snippet, re.MULTILINE)
    assert f"embed   quickscale_modules/{module}/" in preview.stdout, preview.stdout


@pytest.mark.parametrize("text", EXAMPLES, ids=["init", "every-section"])
def test_documented_examples_are_valid(text: str):
    result = validate_text(text)
    assert result.ok and result.diagnostics == [], [d.format() for d in result.diagnostics]


def test_documented_validate_output_is_what_validate_prints(tmp_path, monkeypatch):
    minimal_project(
        tmp_path,
        "schema_version: 1\nproject:\n  nmae: acme\n  version: 0.1.0\n# Theme\n"
        "theme: startr\nbackend_extensions: acme.backend_extensions\n\n# Frontend\n"
        "frontend:\n  source: ../shared\n  variant: default\n",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    [sample] = [t for lang, t in BLOCKS if t.startswith("$ quickscale validate\n")]
    assert result.output == sample.removeprefix("$ quickscale validate\n")
    assert result.exit_code == 1


def _section(heading: str) -> str:
    """The text of the doc's section that starts with ``heading``, to the next one."""
    text = DOC.read_text(encoding="utf-8")
    return text[text.index(f"\n{heading}") :].split("\n## ", 2)[1]


def test_the_component_reference_is_what_the_manifests_and_the_command_give(run_cli, tmp_path):
    """Regenerate it with '.venv/bin/python scripts/config-docs' after a manifest change."""
    text = DOC.read_text(encoding="utf-8")
    documented = text.split("<!-- reference:start -->\n")[1].split("<!-- reference:end -->")[0]
    expected = reference_markdown(describe(e) for e in catalog.from_directory(ROOT, "source"))
    assert documented == expected, "run '.venv/bin/python scripts/config-docs'"
    printed = run_cli("components", "--format", "markdown", cwd=tmp_path)
    assert (printed.returncode, printed.stdout) == (0, documented), printed.stderr
    one = run_cli("components", "billing", "--format", "markdown", cwd=tmp_path)
    assert one.returncode == 0 and one.stdout.startswith("#### `modules/billing`\n")
    assert one.stdout in documented


def test_config_schema_defaults_to_the_version_the_project_declares(tmp_path):
    section = _section("## `quickscale config schema")
    said = " ".join(section.split())
    assert "Without `--version`, the version the project's `quickscale.yml` declares" in said
    assert f"else {LATEST_VERSION}, the latest" in said
    for version in SCHEMA_VERSIONS:
        project = tmp_path / f"v{version}"
        minimal_project(project, f"schema_version: {version}\nproject:\n  name: acme\n")
        done = CliRunner().invoke(cli, ["config", "schema", "--path", "-C", str(project)])
        assert (done.exit_code, done.output) == (0, f"{schema_path(version)}\n")
    done = CliRunner().invoke(cli, ["config", "schema", "--path", "-C", str(tmp_path)])
    assert done.output == f"{schema_path(LATEST_VERSION)}\n"


def test_the_editor_settings_map_the_schema_a_new_project_passes():
    """The VS Code example maps the latest schema, which accepts what init writes (v1
    refuses every schema-2 file), at the path a project's embedded core has it."""
    section = _section("## Editor support")
    [settings] = [json.loads(t) for lang, t in BLOCKS if lang == "json" and t in section]
    comments = re.findall(r"\$schema=(\S+)", section)
    mapped = [*settings["yaml.schemas"], *comments]
    assert mapped and all(p.endswith(f"/v{LATEST_VERSION}.json") for p in mapped), mapped
    from jsonschema import Draft202012Validator

    for path in mapped:
        # A project embeds quickscale_core at its root, as the monorepo holds it.
        schema = json.loads((ROOT / path).read_text(encoding="utf-8"))
        validator = Draft202012Validator(schema)
        for example in EXAMPLES:  # what init writes, and the file using every section
            assert list(validator.iter_errors(yaml.safe_load(example))) == [], path
