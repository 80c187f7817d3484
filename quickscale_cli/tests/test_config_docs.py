"""docs/config.md stays true: its example configs are valid, its sample output is real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import minimal_project
from click.testing import CliRunner
from quickscale_cli.main import cli
from quickscale_core.config import validate_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "config.md"
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
EXAMPLES = [text for lang, text in BLOCKS if lang == "yaml" and "project:" in text]


def test_the_doc_has_both_examples():
    assert [e.split("\n")[0] for e in EXAMPLES] == ["schema_version: 1", "schema_version: 2"]


@pytest.mark.parametrize("text", EXAMPLES, ids=["v1", "v2"])
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
