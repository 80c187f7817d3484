"""`quickscale config upgrade` and `config schema` through the real console script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import minimal_project, run
from quickscale_toolchain.errors import ExitCode

COMMENTED_V1 = """\
# Client: ACME Corp. — keep this header
schema_version: 1  # format version
project:
  name: acme       # python package
  version: 0.1.0

theme: starter     # scaffolded from
backend_extensions: acme.backend_extensions
frontend:
  source: ./custom_frontend/
  # the client's variant
  variant: default
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return minimal_project(tmp_path / "acme", COMMENTED_V1)


def test_upgrade_keeps_comments_and_validates_as_v2(quickscale_bin, project):
    result = run(quickscale_bin, "config", "upgrade", cwd=project)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "Upgraded quickscale.yml from schema_version 1 to 2" in result.stdout
    text = (project / "quickscale.yml").read_text()
    assert text == COMMENTED_V1.replace("schema_version: 1", "schema_version: 2")
    for line in COMMENTED_V1.splitlines():
        if "#" in line:
            assert line[line.index("#") :] in text
    check = run(quickscale_bin, "validate", cwd=project)
    assert check.returncode == ExitCode.OK
    assert check.stdout == "quickscale.yml: valid (schema_version 2)\n"


def test_upgrading_twice_is_a_no_op(quickscale_bin, project):
    run(quickscale_bin, "config", "upgrade", cwd=project)
    again = run(quickscale_bin, "config", "upgrade", "quickscale.yml", cwd=project)
    assert again.returncode == ExitCode.OK
    assert "already schema_version 2; nothing to upgrade" in again.stdout


def test_upgrade_refuses_an_invalid_file_untouched(quickscale_bin, project):
    broken = COMMENTED_V1.replace("theme: starter", "theme: startr")
    (project / "quickscale.yml").write_text(broken)
    result = run(quickscale_bin, "config", "upgrade", cwd=project)
    assert result.returncode == ExitCode.FAILED
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: quickscale.yml cannot be upgraded: fix its errors first")
    assert lines[1].startswith("quickscale.yml:7:8: error: theme: 'startr' is not a valid theme")
    assert (project / "quickscale.yml").read_text() == broken


def test_upgrade_of_a_missing_file_is_a_usage_error(quickscale_bin, tmp_path):
    result = run(quickscale_bin, "config", "upgrade", "nope.yml", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE and "nope.yml does not exist" in result.stderr


def test_schema_prints_the_json_schema_and_its_path(quickscale_bin, tmp_path):
    printed = run(quickscale_bin, "config", "schema", cwd=tmp_path)
    assert printed.returncode == 0
    assert json.loads(printed.stdout)["title"] == "quickscale.yml (schema_version 2)"
    v1 = run(quickscale_bin, "config", "schema", "--version", "1", "--path", cwd=tmp_path)
    path = Path(v1.stdout.strip())
    assert path.name == "v1.json" and path.is_file()
