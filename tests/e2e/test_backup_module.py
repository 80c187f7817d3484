"""The backup module in a real project (the shared `operations` project: todo theme,
modules auth, admin, analytics and backup), through the real CLI.

`manage.py backup` writes the database and the media files to backups/; after a change,
`restore_backup` refuses to overwrite the data without --force, and with it everything
is back exactly; the project's own settings schedule the nightly backup; removing the
module from quickscale.yml unwires it and adding it back wires it again.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import clean_env, regenerate, run

pytestmark = pytest.mark.e2e

USERS = (
    "from django.contrib.auth import get_user_model as m;"
    "print(sorted(m().objects.values_list('username', 'email', 'first_name')))"
)


def manage(project: Path, *args: str) -> str:
    return run([".venv/bin/python", "manage.py", *args], cwd=project, env=clean_env()).stdout


def test_back_up_change_and_restore_in_the_project(operations: Path) -> None:
    manage(
        operations,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as m;"
        "m().objects.create_user(username='grace', email='grace@example.com', "
        "password='pw-grace-123456', first_name='Grace')",
    )
    media = operations / "media" / "report.txt"
    media.parent.mkdir(exist_ok=True)
    media.write_text("quarterly numbers")
    before = manage(operations, "shell", "-c", USERS)
    output = manage(operations, "backup")
    database = output.split("Database: ")[1].split()[0]
    media_file = output.split("Media: ")[1].split()[0]
    assert (operations / "backups" / database).is_file()
    ignored = run(["git", "check-ignore", f"backups/{database}"], cwd=operations)
    assert ignored.stdout.strip() == f"backups/{database}"  # never committed by accident

    manage(
        operations,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as m;"
        "m().objects.filter(username='grace').update(first_name='Changed')",
    )
    media.write_text("tampered")
    refused = subprocess.run(
        [".venv/bin/python", "manage.py", "restore_backup"],
        cwd=operations,
        env=clean_env(),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode != 0 and "pass --force" in refused.stderr
    assert "Changed" in manage(operations, "shell", "-c", USERS)

    restore = ["restore_backup", "--force", "--database-file", database]
    manage(operations, *restore, "--media-file", media_file)
    assert manage(operations, "shell", "-c", USERS) == before
    assert media.read_text() == "quarterly numbers"


def test_removing_backup_unwires_it_and_adding_it_back_wires_it(
    operations: Path, quickscale_bin: str, source_repo: Path
) -> None:
    enabled = (operations / "quickscale.yml").read_text()
    without = enabled.replace("  backup: {}\n", "")
    regenerate(operations, quickscale_bin, source_repo, without, "Remove backup")
    settings = (operations / "ops" / "settings.py").read_text()
    assert "dbbackup" not in settings and "QUICKSCALE_BACKUP_" not in settings
    assert not (operations / "quickscale_modules" / "backup").exists()
    manage(operations, "check")

    regenerate(operations, quickscale_bin, source_repo, enabled, "Backup again")
    settings = (operations / "ops" / "settings.py").read_text()
    assert '"dbbackup",' in settings and "\nQUICKSCALE_BACKUP_HOUR = " in settings
    manage(operations, "check")
