"""`quickscale preview --env NAME`: the effective config of one environment, on a real project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from cli_support import init_with_config

ENVIRONMENTS = {
    "staging": {"domain": "staging.acme.com", "deploy": {"target": "fly", "app": "acme-staging"}},
    "production": {
        "domain": "www.acme.com",
        "processes": {"web": 2},
        "modules": {"notifications": {"provider": "console"}},
    },
}


@pytest.fixture
def project(run_cli, tmp_path: Path) -> Path:
    modules = {"notifications": {"provider": "postmark"}}
    return init_with_config(run_cli, tmp_path, modules=modules, environments=ENVIRONMENTS)


def test_preview_env_prints_the_effective_config_and_its_hash(run_cli, project: Path):
    before = (project / "quickscale.yml").read_bytes()
    shown = run_cli("preview", "--env", "production", cwd=project)
    assert shown.returncode == 0, shown.stderr
    header, _, body = shown.stdout.partition("\n")
    assert header.startswith("# Effective config of environment 'production' (sha256 ")
    effective = yaml.safe_load(body)
    assert effective["modules"] == {"notifications": {"provider": "console"}}
    assert effective["environment"] == {
        "name": "production",
        "domain": "www.acme.com",
        "processes": {"web": 2, "worker": 0},
    }
    assert "environments" not in effective
    as_json = json.loads(
        run_cli("preview", "--env", "production", "--format", "json", cwd=project).stdout
    )
    assert as_json["config"] == effective and as_json["hash"] in header
    staging = json.loads(
        run_cli("preview", "--env", "staging", "--format", "json", cwd=project).stdout
    )
    assert staging["config"]["modules"] == {"notifications": {"provider": "postmark"}}
    assert staging["hash"] != as_json["hash"]
    assert (project / "quickscale.yml").read_bytes() == before


def test_an_unknown_environment_is_a_usage_error_naming_the_ones_there_are(run_cli, project: Path):
    wrong = run_cli("preview", "--env", "prod", cwd=project)
    assert wrong.returncode == 2
    assert wrong.stderr.strip().splitlines() == [
        "error: quickscale.yml has no environment 'prod' — did you mean 'production'? "
        "its environments: 'staging', 'production'"
    ]


def test_the_documented_environments_are_valid_next_to_the_documented_modules():
    from quickscale_toolchain.config import validate_text

    docs = Path(__file__).resolve().parents[2] / "docs"
    text = (docs / "config.md").read_text(encoding="utf-8")
    section = text[text.index("### `environments` (schema 2)") :].split("\n### ", 1)[0]
    (example,) = [b for b in section.split("```yaml\n")[1:]]
    base = "schema_version: 2\nproject: {name: acme}\nmodules:\n  notifications:\n"
    result = validate_text(base + example.split("```")[0])
    assert result.ok and result.diagnostics == [], [d.format() for d in result.diagnostics]
    for block in (docs / "deploy.md").read_text(encoding="utf-8").split("```yaml\n")[1:]:
        result = validate_text(base + block.split("```")[0])
        assert result.ok, [d.format() for d in result.diagnostics]
