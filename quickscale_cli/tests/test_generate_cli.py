"""`quickscale preview`, `generate` and `status` as a user runs them, on a real project."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

SETTINGS = "acme/settings.py"
PRODUCT = {
    "name": "Product",
    "fields": [{"name": "name", "type": "string"}, {"name": "price", "type": "decimal"}],
}


def snapshot(root: Path) -> dict[str, str]:
    """Every path under root, .git included: content hash, mode and mtime."""
    out = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        body = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        out[str(path.relative_to(root))] = (
            f"{info.st_mode:o}:{info.st_mtime_ns}:{hashlib.sha256(body).hexdigest()}"
        )
    return out


def set_config(project: Path, *, models=None, variant="default") -> None:
    path = project / "quickscale.yml"
    data = yaml.safe_load(path.read_text())
    data["schema_version"] = 2
    data["frontend"]["variant"] = variant
    data.pop("customizations", None)
    if models:
        data["customizations"] = {"models": models}
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.fixture
def project(run_cli, tmp_path: Path) -> Path:
    result = run_cli("init", "acme", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "acme"


def test_help_lists_the_generation_commands(run_cli, tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    for name in ("preview", "generate", "status"):
        assert f"  {name} " in result.stdout


def test_a_fresh_project_is_in_sync(run_cli, project):
    assert "Nothing to do" in run_cli("preview", cwd=project).stdout
    status = run_cli("status", cwd=project)
    assert status.returncode == 0 and "In sync" in status.stdout


def test_a_clone_is_in_sync_after_init_and_after_generate(run_cli, project, tmp_path):
    """Every record generate reads is committed, also those an ignore rule matches (the
    project's `.env.*` matches .quickscale/base/.env.example.base), so a fresh clone, an
    update bot's for one, finds the project in sync."""

    def ignored_records(repo: Path) -> list[str]:
        listed = ["git", "ls-files", "--others", "--ignored", "--exclude-standard"]
        out = subprocess.run(listed, cwd=repo, capture_output=True, text=True, check=True)
        # pending.json is not a record: the work a stopped generate still owes, never committed
        records = [path for path in out.stdout.splitlines() if path.startswith(".quickscale/")]
        return [path for path in records if path != ".quickscale/pending.json"]

    def clone_status(name: str) -> subprocess.CompletedProcess[str]:
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True)
        return run_cli("status", "--no-migrations", cwd=clone)

    assert ignored_records(project) == []
    after_init = clone_status("after-init")
    assert after_init.returncode == 0 and "In sync" in after_init.stdout, after_init.stdout

    # A project made before the fix: the base is on disk, ignored and never committed.
    base = ".quickscale/base/.env.example.base"
    for args in (["rm", "-q", "--cached", base], ["commit", "-qm", "as made before"]):
        subprocess.run(["git", *args], cwd=project, check=True)
    assert ignored_records(project) == [base] and clone_status("before").returncode != 0
    set_config(project, models=[PRODUCT])
    assert run_cli("generate", "--no-migrations", cwd=project).returncode == 0
    assert ignored_records(project) == []
    after_generate = clone_status("after-generate")
    assert after_generate.returncode == 0, after_generate.stdout + after_generate.stderr
    assert "In sync" in after_generate.stdout


def test_preview_writes_nothing_and_shows_statuses_and_diffs(run_cli, project):
    settings = project / SETTINGS
    settings.write_text("# the user's note\n" + settings.read_text())
    (project / "README.md").unlink()
    set_config(project, models=[PRODUCT], variant="client_a")
    before = snapshot(project)
    text = run_cli("preview", cwd=project)
    as_json = run_cli("preview", "--format", "json", cwd=project)
    assert snapshot(project) == before  # whole tree, .git included: not one byte or mtime
    assert text.returncode == 0 and as_json.returncode == 0
    assert "settings.py  merged" in text.stdout
    assert "README.md  deleted-by-user" in text.stdout
    assert "test_generated_models.py  new" in text.stdout
    assert "+class Product(models.Model):" in text.stdout
    plan = json.loads(as_json.stdout)
    files = {entry["path"]: entry for entry in plan["files"]}
    assert files[SETTINGS]["status"] == "merged" and files[SETTINGS]["user_modified"]
    assert files["acme/generated_models.py"]["status"] == "updated"
    assert files["README.md"]["status"] == "deleted-by-user"
    assert files["acme/urls.py"]["status"] == "unchanged" and files["acme/urls.py"]["diff"] == ""
    assert plan["nothing_to_do"] is False and plan["counts"]["merged"] == 1


def test_generate_twice_the_second_run_changes_nothing(run_cli, project):
    set_config(project, models=[PRODUCT], variant="client_a")
    first = run_cli("generate", "--no-migrations", cwd=project)
    assert first.returncode == 0, first.stderr
    assert "updated          acme/generated_models.py" in first.stdout
    assert (
        "Models changed; their migration is still owed. Next: quickscale generate "
        "(or python manage.py makemigrations acme)"
    ) in first.stdout
    after_first = snapshot(project)
    second = run_cli("generate", "--no-migrations", cwd=project)
    assert second.returncode == 0
    assert second.stdout.strip() == "Nothing to do: the project matches quickscale.yml."
    assert snapshot(project) == after_first
    assert run_cli("status", "--no-migrations", cwd=project).returncode == 0


def test_a_conflict_exits_1_names_the_file_and_status_tracks_it(run_cli, project):
    settings = project / SETTINGS
    text = settings.read_text()
    mine = text.replace('default="default"', 'default="mine"')
    settings.write_text(mine)
    set_config(project, variant="client_a")
    result = run_cli("generate", cwd=project)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: 1 file(s) have conflicts: acme/settings.py — resolve")
    content = settings.read_text()
    assert "<<<<<<< yours" in content and ">>>>>>> generated now" in content
    assert 'default="mine"' in content and 'default="client_a"' in content
    status = run_cli("status", cwd=project)
    assert status.returncode == 1 and f"Unresolved conflict: {SETTINGS}" in status.stdout
    report = json.loads(run_cli("status", "--format", "json", cwd=project).stdout)
    assert report["conflicts"] == [SETTINGS] and report["in_sync"] is False
    settings.write_text(mine)  # the user resolves the conflict by keeping their line
    owing = run_cli("status", "--no-migrations", cwd=project)
    assert owing.returncode == 1 and "run 'quickscale generate'" in owing.stdout, owing.stdout
    finished = run_cli("generate", cwd=project)  # the stopped run's commit
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Committed " in finished.stdout
    resolved = run_cli("status", "--no-migrations", cwd=project)
    assert resolved.returncode == 0, resolved.stdout
    assert f"  {SETTINGS}" in resolved.stdout  # listed under "Changed by you"


def test_status_reports_a_pending_config_change(run_cli, project):
    set_config(project, variant="client_a")
    status = run_cli("status", cwd=project)
    assert status.returncode == 1
    assert "Out of sync" in status.stdout and f"updated          {SETTINGS}" in status.stdout


def test_commands_find_the_project_from_a_subdirectory_or_fail_clearly(run_cli, project, tmp_path):
    assert run_cli("status", cwd=project / "acme").returncode == 0
    outside = tmp_path / "empty"
    outside.mkdir()
    result = run_cli("generate", cwd=outside)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no quickscale.yml in")
    (project / "quickscale.yml").write_text("schema_version: [unclosed\n")
    broken = run_cli("preview", cwd=project)
    assert broken.returncode == 1
    assert broken.stderr.splitlines() == [
        "error: quickscale.yml is invalid (1 error) — fix quickscale.yml and run "
        "'quickscale validate'",
        "quickscale.yml:2:1: error: <document>: invalid YAML: did not find expected ',' or "
        "']' (while parsing a flow sequence) — fix the YAML syntax",
    ]


def test_generate_runs_makemigrations_when_the_environment_is_present(run_cli, project):
    (project / ".env").write_text(
        "DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=cli-tests-0123456789abcdef\n"
    )
    set_config(project, models=[PRODUCT])
    result = run_cli("generate", cwd=project, env={"DJANGO_SETTINGS_MODULE": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Create model Product" in result.stdout
    assert len(list((project / "acme/migrations").glob("0002_*.py"))) == 1


def test_status_reports_missing_migrations_until_they_are_made(run_cli, project):
    (project / ".env").write_text(
        "DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=cli-tests-0123456789abcdef\n"
    )
    set_config(project, models=[PRODUCT])
    assert run_cli("generate", "--no-migrations", cwd=project).returncode == 0
    env = {"DJANGO_SETTINGS_MODULE": ""}
    status = run_cli("status", cwd=project, env=env)
    assert status.returncode == 1, status.stdout + status.stderr
    assert "Migrations missing: run python manage.py makemigrations acme" in status.stdout
    assert run_cli("status", "--no-migrations", cwd=project, env=env).returncode == 0
    report = json.loads(run_cli("status", "--format", "json", cwd=project, env=env).stdout)
    assert report["migrations"] == "missing" and report["in_sync"] is False
    made = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "acme"], cwd=project, capture_output=True
    )
    assert made.returncode == 0
    final = run_cli("status", cwd=project, env=env)
    assert final.returncode == 0 and "In sync" in final.stdout


def test_an_embedded_toolchain_missing_a_module_is_one_line_naming_the_update(run_cli, project):
    """The embedded api.py needs a module of its own toolchain (the transaction record)
    that a cut-short embedded copy lacks; the launcher runs that copy, so the CLI says
    what restores it, not a traceback. (An older toolchain is refused by its API version
    before it runs: test_toolchain_api.py.)"""
    older = project / "quickscale_core/src/quickscale_toolchain/generator/transaction.py"
    older.unlink()
    set_config(project, variant="client_a")
    result = run_cli("generate", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "error: this project's embedded quickscale_core lacks a part its toolchain needs "
        "(cannot import name 'transaction' from 'quickscale_toolchain.generator'"
    )
    assert line.endswith("run 'quickscale update --component core', then the command again")
