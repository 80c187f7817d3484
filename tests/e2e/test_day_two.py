"""One edit that brings new components and a model at once, in a project with its own venv.

Found from outside: generate wrote the files, then makemigrations failed on an import
of a module the venv did not have yet, with a message that did not say what to install;
after the install, a second generate saw "nothing to do" and the model never got its
migration. Now generate stops before writing anything, naming the exact install for the
project's venv (after writing the code it needs: generate --no-migrations, which keeps
the migration owed), and after running that verbatim one more generate makes the
migration and commits.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import clean_env, make_project_env, run

PRODUCT = """
customizations:
  models:
    - name: Product
      fields:
        - {name: title, type: string}
        - {name: price, type: decimal}
"""
CATEGORY = """    - name: Category
      fields:
        - {name: label, type: string}
"""
SEVEN_MODULES = """
modules:
  admin: {}
  analytics: {}
  auth: {}
  backup: {}
  billing: {}
  notifications: {}
  payments: {}
"""
FIX = re.compile(r"run '([^']+)'")


def _generate_until_done(project: Path, quickscale_bin: str, env: dict[str, str]) -> list[str]:
    """Run generate; on a stop, run the command its one error line names, verbatim, and
    generate again. Returns the error lines seen (at most one stop is expected)."""
    stops: list[str] = []
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    records = _records(project)
    for _ in range(3):
        done = subprocess.run(
            [quickscale_bin, "generate"], cwd=project, env=env, capture_output=True, text=True
        )
        if done.returncode == 0:
            return stops
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 1, done.stderr
        # The stop comes before anything is written: git and the records are as they were.
        assert run(["git", "status", "--porcelain"], cwd=project).stdout == status
        assert _records(project) == records
        fix = FIX.search(errors[0])
        assert fix, f"the error names no command to run: {errors[0]}"
        stops.append(errors[0])
        run(["sh", "-c", fix.group(1)], cwd=project, env=env, timeout=900)
    raise AssertionError(f"generate did not converge: {stops}")


def _records(project: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in (project / ".quickscale").rglob("*") if p.is_file()}


def _clean_and_migrated(project: Path, env: dict[str, str]) -> None:
    python = str(project / ".venv" / "bin" / "python")
    run([python, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=project, env=env)
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", status
    subject = run(["git", "log", "-1", "--format=%s"], cwd=project).stdout.strip()
    assert subject == "quickscale generate: apply quickscale.yml"


@pytest.mark.usefixtures("all_modules_venv")
def test_new_components_and_a_model_in_one_edit_stop_once_then_finish(
    tmp_path: Path, quickscale_bin: str, source_repo: Path
) -> None:
    env = clean_env(QUICKSCALE_SOURCE=str(source_repo))
    env["PATH"] = f"{Path(quickscale_bin).parent}{os.pathsep}{env['PATH']}"  # the fix's quickscale
    run([quickscale_bin, "init", "shop"], cwd=tmp_path, env=env)
    project = tmp_path / "shop"
    make_project_env(project, with_pip=True)
    config = project / "quickscale.yml"
    original = config.read_text()
    head = run(["git", "rev-parse", "HEAD"], cwd=project).stdout

    # 1. Switch the theme to todo and add a model, in one edit.
    config.write_text(original.replace("theme: starter", "theme: todo") + PRODUCT)
    stops = _generate_until_done(project, quickscale_bin, env)
    assert len(stops) == 1, stops
    assert "quickscale_themes.todo" in stops[0]
    assert (
        "run 'quickscale generate --no-migrations && .venv/bin/pip install -r "
        "requirements-dev.txt', then 'quickscale generate' again"
    ) in stops[0]
    (migration,) = (project / "shop" / "migrations").glob("0002_*.py")
    assert "Product" in migration.read_text()
    _clean_and_migrated(project, env)

    # 2. All seven modules and a second model, in one edit.
    config.write_text(config.read_text().rstrip("\n") + "\n" + CATEGORY + SEVEN_MODULES)
    stops = _generate_until_done(project, quickscale_bin, env)
    assert len(stops) == 1 and "quickscale_modules.payments" in stops[0], stops
    (migration,) = (project / "shop" / "migrations").glob("0003_*.py")
    assert "Category" in migration.read_text()
    _clean_and_migrated(project, env)
    log = run(["git", "log", "--format=%s", f"{head.strip()}..HEAD"], cwd=project).stdout
    # Per edit: the code (the fix's generate --no-migrations), then the migration.
    assert log.count("quickscale generate: apply quickscale.yml") == 4, log
