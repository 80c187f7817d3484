"""docs/config.md stays true: its example configs are valid, its sample output is real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from cli_support import minimal_project
from click.testing import CliRunner
from quickscale_cli.main import cli
from quickscale_core.config import validate_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "config.md"
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
