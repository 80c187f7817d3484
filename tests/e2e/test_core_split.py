"""End to end: quickscale_core split in a runtime and a toolchain, seen from client projects.

Production without the toolchain. A project with every module, on each theme, lists no
toolchain package (Jinja2, PyYAML, jsonschema and what they pull in) in requirements.txt,
and in a venv holding only what that file installs, where none of them imports, it passes
`check --deploy`, migrates, and gunicorn serves its home page and /health/ready. The web
and worker entry points, loaded with a request served in-process, leave no toolchain
module in sys.modules: quickscale_toolchain itself is importable in production (it ships
in quickscale_core's distribution), so an import of it would otherwise go unnoticed.

The migration path of a project made on the layout before the split (release 0.1.0) to
today's is the fleet test's 0.1.0 fixture (test_fleet.py): `update` of core, themes and
modules, then `generate`, its hand edits and rows kept; before the update today's CLI
finds it in sync or says in one line to update core, after it the old toolchain is gone.

The venvs come from uv's wheel cache, which ``all_modules_venv`` fills once per session for
every test that builds a project.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    UV_ENV,
    new_database,
    production_env,
    run,
    start_server,
    uv_binary,
)
from test_combinations import MODULES, entries, generate, provider_variables

pytestmark = pytest.mark.e2e

THEMES = ("starter", "todo")
#: Each toolchain distribution (quickscale_core's ``toolchain`` extra and what it pulls
#: in) and the top-level module it installs.
TOOLCHAIN = {
    "Jinja2": "jinja2",
    "MarkupSafe": "markupsafe",
    "PyYAML": "yaml",
    "jsonschema": "jsonschema",
    "jsonschema-specifications": "jsonschema_specifications",
    "referencing": "referencing",
    "rpds-py": "rpds",
    "attrs": "attrs",
}
#: Top-level modules a production process must never load.
FORBIDDEN = frozenset({"quickscale_toolchain", "attr", "_yaml", *TOOLCHAIN.values()})


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def listed(requirements: str) -> set[str]:
    """Canonical names of a requirements file's ``name==version`` lines."""
    names = set()
    for line in requirements.splitlines():
        if line and not line.startswith(("#", "-")):
            names.add(canonical(line.split("==")[0].split("[")[0]))
    return names


def production_venv(project: Path) -> Path:
    """A venv beside the project holding exactly what its requirements.txt installs (uv
    resolves as pip does), from uv's cache when every wheel is there."""
    uv, venv = uv_binary(), project / ".venv-production"
    run([uv, "venv", "-q", "--python", sys.executable, str(venv)], project, UV_ENV)
    install = [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python")]
    cached = subprocess.run(
        [*install, "--offline", "-r", "requirements.txt"],
        cwd=project,
        env={**os.environ, **UV_ENV},
        capture_output=True,
        text=True,
    )
    if cached.returncode != 0:
        run([*install, "-r", "requirements.txt"], project, UV_ENV)
    return venv


# Run in the production venv from the project's folder: where the runtime comes from,
# which toolchain modules import at all, then the web process (the WSGI application,
# the URLconf through two requests) and the worker's (the Celery app with every task
# module), and what of the toolchain they loaded.
PROBE = """
import importlib.util, json, os, sys
forbidden = set(sys.argv[1].split(","))
importable = sorted(name for name in forbidden if importlib.util.find_spec(name))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{name}.settings")
from {name}.wsgi import application
from {name}.celery import app
app.loader.import_default_modules()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
statuses = {{path: client.get(path).status_code for path in ("/", "/health/ready")}}
import quickscale_core
print(json.dumps({{
    "core": quickscale_core.__file__,
    "importable": importable,
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in forbidden),
    "statuses": statuses,
}}))
"""


@pytest.fixture(scope="module")
def every_module(
    tmp_path_factory: pytest.TempPathFactory,
    quickscale_bin: str,
    source_repo: Path,
    all_modules_venv: Path,
) -> Iterator[dict[str, Path]]:
    """Per theme, a project with all seven modules (each with its manifest's first
    example) made by the real CLI, not installed: each test builds the venv it needs."""
    projects = {}
    for theme in THEMES:
        work = tmp_path_factory.mktemp(f"every-module-{theme}")
        chosen = entries(MODULES)
        projects[theme] = generate(work, quickscale_bin, source_repo, theme, chosen)
    yield projects


@pytest.fixture(scope="module")
def production_database(postgres_url: str) -> Iterator[str]:
    """One PostgreSQL database for both themes' projects: the first migrates it in full
    (about 40 s, dj-stripe's hundred migrations), the second applies its theme's and
    still loads every migration file, which is what would import the toolchain."""
    with new_database(postgres_url) as url:
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize("theme", THEMES)
def test_every_module_serves_in_production_without_the_toolchain(
    theme: str, every_module: dict[str, Path], production_database: str, served: list
) -> None:
    project = every_module[theme]
    assert len(MODULES) == 7, MODULES
    requirements = (project / "requirements.txt").read_text()
    assert "django" in listed(requirements)
    assert sorted(listed(requirements) & {canonical(n) for n in TOOLCHAIN}) == []

    venv = production_venv(project)
    python = str(venv / "bin" / "python")
    variables = provider_variables(theme, entries(MODULES))
    (project / ".env").rename(project / ".env.off")  # production reads real variables only
    try:
        env = production_env(DATABASE_URL=production_database, **variables)
        deploy = [python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
        assert "no issues" in run(deploy, project, env).stdout
        env["DJANGO_SECURE_SSL_REDIRECT"] = "false"  # plain HTTP on loopback from here
        run([python, "manage.py", "migrate", "--noinput"], project, env)
        run([python, "manage.py", "collectstatic", "--noinput"], project, env)

        probe = PROBE.format(name=project.name)
        done = run([python, "-c", probe, ",".join(sorted(FORBIDDEN))], project, env)
        found = json.loads(done.stdout.strip().splitlines()[-1])
        assert found["core"].startswith(str(project / "quickscale_core")), found
        # quickscale_toolchain ships in core's distribution; none of its libraries is here.
        assert set(found["importable"]) <= {"quickscale_toolchain"}, found
        assert found["loaded"] == [], f"production loaded the toolchain: {found['loaded']}"
        assert found["statuses"] == {"/": 200, "/health/ready": 200}, found

        gunicorn = [str(venv / "bin" / "gunicorn"), f"{project.name}.wsgi", "--bind"]
        base = start_server(gunicorn, project, env, served)
        try:
            for path in ("/", "/health/ready"):
                with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
                    assert response.status == 200, path
                    body = response.read()
            assert json.loads(body)["database"] == "ok"
        finally:
            served[-1].terminate()
            served[-1].wait(timeout=10)
    finally:
        (project / ".env.off").rename(project / ".env")
