"""Renaming a customization model or field in quickscale.yml, through the real CLI.

makemigrations --noinput declines every rename, so today a rename became a drop and an
add and its rows were lost. generate now refuses a rename it cannot tell from a drop,
with a located line whose first command keeps the rows; that command, run verbatim,
makes a RenameModel/RenameField migration and the rows are still there after migrate.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from gen_support import PRODUCT, config, write_config

CLI = str(Path(sys.executable).with_name("quickscale"))
DOC = Path(__file__).resolve().parents[3] / "docs" / "generation.md"
LOCATION = re.compile(r"quickscale\.yml:\d+:\d+:")
FIX = re.compile(r"run '([^']+)'")
ROWS = (
    "from acme.models import {model} as M; print(sorted(M.objects.values_list('name', '{price}')))"
)


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def manage(project: Path, env: dict[str, str], *args: str) -> str:
    done = run([sys.executable, "manage.py", *args], project, env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout  # (shell -c may print a line of its own before the output)


def renamed(old: str, new: str, field: tuple[str, str] | None = None) -> dict:
    model = {**PRODUCT, "name": new}
    if field:
        model["fields"] = [
            {**f, "name": field[1]} if f["name"] == field[0] else f for f in PRODUCT["fields"]
        ]
    return config(models=[model])


def test_a_rename_is_refused_in_one_located_line_and_its_fix_keeps_the_rows(
    initialized_project: Path, project_env
):
    project, env = initialized_project, project_env()
    write_config(project, config(models=[PRODUCT]))
    first = run([CLI, "generate"], project, env)
    assert first.returncode == 0, first.stdout + first.stderr
    manage(project, env, "migrate", "--noinput")
    insert = "from acme.models import Product as P; P.objects.create(name='{}', price='{}')"
    for name, price in (("tea", "3.50"), ("cake", "4.00")):
        manage(project, env, "shell", "-c", insert.format(name, price))
    head = run(["git", "rev-parse", "HEAD"], project, env).stdout

    for new_config, model, price in (
        (renamed("Product", "Item"), "Item", "price"),
        (renamed("Item", "Item", ("price", "amount")), "Item", "amount"),
    ):
        write_config(project, new_config)
        before = {p: p.read_bytes() for p in project.rglob("*.py") if ".venv" not in p.parts}
        refused = run([CLI, "generate"], project, env)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        (line,) = refused.stderr.splitlines()
        assert re.match(r"error: quickscale\.yml:\d+:\d+: (model|field) ", line), line
        if model == "Item" and price == "price":  # the sample docs/generation.md shows
            (sample,) = [s for s in DOC.read_text().splitlines() if s.startswith("error: ")]
            assert LOCATION.sub("", sample) == LOCATION.sub("", line)
        assert {p: p.read_bytes() for p in before} == before  # nothing written
        assert not (project / ".quickscale/pending.json").exists()
        fix = FIX.search(line)
        assert fix and "--rename" in fix.group(1), line
        done = run(["sh", "-c", fix.group(1).replace("quickscale ", f"{CLI} ", 1)], project, env)
        assert done.returncode == 0, done.stdout + done.stderr
        manage(project, env, "migrate", "--noinput")
        rows = manage(project, env, "shell", "-c", ROWS.format(model=model, price=price))
        assert (
            rows.strip().splitlines()[-1] == "[('cake', Decimal('4.00')), ('tea', Decimal('3.50'))]"
        )
        manage(project, env, "makemigrations", "--check", "--dry-run")
        assert run(["git", "status", "--porcelain"], project, env).stdout == ""

    migrations = sorted((project / "acme/migrations").glob("00*.py"))
    texts = "".join(m.read_text() for m in migrations)
    assert "RenameModel" in texts and "RenameField" in texts and "DeleteModel" not in texts
    log = run(["git", "log", "--format=%s", f"{head.strip()}..HEAD"], project, env).stdout
    assert log.splitlines() == ["quickscale generate: apply quickscale.yml"] * 2
