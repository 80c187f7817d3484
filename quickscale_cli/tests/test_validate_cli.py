"""`quickscale validate` as a user runs it: the real console script, its output, exit codes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cli_support import minimal_project, run
from quickscale_toolchain.errors import ExitCode

V1 = """\
schema_version: 1
project:
  name: acme
  version: 0.1.0
theme: starter
backend_extensions: acme.backend_extensions
frontend:
  source: ./custom_frontend/
  variant: default
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return minimal_project(tmp_path / "acme", V1)


def test_valid_file_exits_0_with_a_summary(quickscale_bin, project):
    result = run(quickscale_bin, "validate", cwd=project)
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stdout == "quickscale.yml: valid (schema_version 1)\n"


def test_warnings_alone_still_exit_0(quickscale_bin, project):
    (project / "quickscale.yml").write_text(V1 + "modules:\n  auth:\n")
    result = run(quickscale_bin, "validate", "quickscale.yml", cwd=project)
    assert result.returncode == ExitCode.OK
    assert result.stdout.splitlines() == [
        "quickscale.yml:10:1: warning: modules: 'modules' is not supported in schema_version 1 "
        "and is ignored — run 'quickscale config upgrade' to move to schema_version 2, "
        "or remove it",
        "quickscale.yml: valid (schema_version 1), 1 warning",
    ]


def test_every_problem_is_reported_in_one_run_sorted_by_position(quickscale_bin, project):
    text = V1.replace("name: acme", "nmae: acme").replace("theme: starter", "theme: startr")
    (project / "quickscale.yml").write_text(text + "features: [x]\n")
    result = run(quickscale_bin, "validate", cwd=project)
    assert result.returncode == ExitCode.FAILED
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0:3] for line in lines[:-1]] == [
        ["quickscale.yml:3:3", "error", "project.nmae"],
        ["quickscale.yml:5:8", "error", "theme"],
        ["quickscale.yml:10:1", "error", "features"],
    ]
    assert "did you mean 'name'?" in lines[0] and "did you mean 'starter'?" in lines[1]
    assert lines[-1] == "quickscale.yml: invalid, 3 errors"


def test_json_format_for_ci(quickscale_bin, project):
    (project / "quickscale.yml").write_text(V1.replace("theme: starter", "theme: startr"))
    result = run(quickscale_bin, "validate", "--format", "json", cwd=project)
    assert result.returncode == ExitCode.FAILED
    assert json.loads(result.stdout) == [
        {
            "file": "quickscale.yml",
            "line": 5,
            "column": 8,
            "severity": "error",
            "path": "theme",
            "message": "'startr' is not a valid theme",
            "hint": "did you mean 'starter'? allowed: 'starter', 'todo'",
        }
    ]
    (project / "quickscale.yml").write_text(V1)
    absolute = str(project / "quickscale.yml")
    valid = run(quickscale_bin, "validate", "--format", "json", absolute, cwd=project.parent)
    assert valid.returncode == ExitCode.OK and json.loads(valid.stdout) == []


def test_path_argument_names_the_file_as_given(quickscale_bin, project):
    (project / "quickscale.yml").write_text(V1.replace("variant: default", "variant: vip"))
    result = run(quickscale_bin, "validate", "acme/quickscale.yml", cwd=project.parent)
    assert result.returncode == ExitCode.FAILED
    assert result.stdout.startswith("acme/quickscale.yml:9:12: error: frontend.variant: ")


@pytest.mark.parametrize(
    ("argument", "says"),
    [
        ("missing.yml", "error: missing.yml does not exist"),
        (
            ".",
            "error: . is a directory, not a config file — pass the file inside it: quickscale.yml",
        ),
        ("quickscale.yml/x.yml", "error: cannot read quickscale.yml/x.yml"),
    ],
)
def test_unreadable_paths_are_usage_errors(quickscale_bin, project, argument, says):
    result = run(quickscale_bin, "validate", argument, cwd=project)
    assert result.returncode == ExitCode.USAGE
    assert result.stderr.startswith(says) and result.stdout == ""


def test_no_config_in_the_current_directory_is_a_usage_error(quickscale_bin, tmp_path):
    result = run(quickscale_bin, "validate", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE and "quickscale.yml does not exist" in result.stderr


def test_bad_format_option_is_a_usage_error(quickscale_bin, project):
    result = run(quickscale_bin, "validate", "--format", "xml", cwd=project)
    assert result.returncode == ExitCode.USAGE


def test_python_tag_through_the_real_cli_runs_nothing(quickscale_bin, project, tmp_path):
    marker = tmp_path / "marker"
    (project / "quickscale.yml").write_text(
        V1.replace("theme: starter", f"theme: !!python/object/apply:os.system ['touch {marker}']")
    )
    started = time.perf_counter()
    result = run(quickscale_bin, "validate", cwd=project)
    elapsed = time.perf_counter() - started
    assert result.returncode == ExitCode.FAILED
    assert result.stdout.startswith(
        "quickscale.yml:5:8: error: theme: the YAML tag '!!python/object/apply:os.system' "
        "would build a Python object; it is refused"
    )
    assert not marker.exists()
    assert elapsed < 2.0  # process start-up included; the check itself is milliseconds


def test_hostile_files_fail_fast_through_the_real_cli(quickscale_bin, project):
    bomb = "schema_version: 2\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (project / "bomb.yml").write_text(bomb)
    with (project / "big.yml").open("wb") as stream:
        stream.write(b"schema_version: 2\n# " + b"x" * (50 * 1024 * 1024) + b"\n")
    for name, says in (("bomb.yml", "billion laughs"), ("big.yml", "larger than 1024 KiB")):
        started = time.perf_counter()
        result = run(quickscale_bin, "validate", name, cwd=project)
        elapsed = time.perf_counter() - started
        assert result.returncode == ExitCode.FAILED and says in result.stdout, result.stdout
        assert elapsed < 2.0, f"{name}: {elapsed:.2f}s"


def test_validate_and_config_are_listed_in_help(quickscale_bin, tmp_path):
    result = run(quickscale_bin, "--help", cwd=tmp_path)
    assert "validate" in result.stdout and "config" in result.stdout
