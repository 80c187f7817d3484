"""End to end: quickscale_core split in a runtime and a toolchain, seen from client projects.

1. Production without the toolchain. A project with every module, on each theme, lists no
   toolchain package (Jinja2, PyYAML, jsonschema and what they pull in) in requirements.txt,
   and in a venv holding only what that file installs, where none of them imports, it passes
   `check --deploy`, migrates, and gunicorn serves its home page and /health/ready. The web
   and worker entry points, loaded with a request served in-process, leave no toolchain
   module in sys.modules: quickscale_toolchain itself is importable in production (it ships
   in quickscale_core's distribution), so an import of it would otherwise go unnoticed.
2. The migration path. A project made by the CLI and source of the layout before the split
   (every module, hand edits to settings.py and urls.py, committed) moves to today's layout
   with `quickscale update --component core` then `quickscale generate`: the edits are kept,
   or each conflict is one error line naming the fix; then its own tests,
   `makemigrations --check` and `check --deploy` pass. Before the update, today's CLI finds
   the old project in sync or says in one line to update core; with modules and themes
   updated too, the project is today's every-module project (test 1's) plus the edits.

The projects and venvs come from uv's wheel cache, which ``all_modules_venv`` fills once per
session for every test that builds a project.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    UV_ENV,
    clean_env,
    make_project_env,
    monorepo_root,
    new_database,
    production_env,
    run,
    start_server,
    uv_binary,
)
from test_combinations import MODULES, assert_green, entries, generate, provider_variables

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


# --- 2. The migration path ---------------------------------------------------------------

#: main when the runtime/toolchain split began: the layout existing projects are on.
BEFORE_SPLIT = "18fbf4465e886bf0b3faa096a2e2deabd82e9644"
#: The user's edits, each (file, generated text, the user's text); OWN_SETTING is added.
EDITS = [
    (
        "combo/settings.py",
        'QUICKSCALE_SITE_NAME = "Combo"\n',
        'QUICKSCALE_SITE_NAME = "Combo Shop"\n',
    ),
    (
        "combo/urls.py",
        '    path("", TemplateView.as_view(template_name="home.html"), name="home"),\n',
        '    path("", TemplateView.as_view(template_name="home.html"), name="home"),\n'
        '    path("about/", TemplateView.as_view(template_name="home.html"), name="about"),\n',
    ),
]
OWN_SETTING = (
    '\n# Ours: where the footer sends questions.\nCOMBO_SUPPORT_EMAIL = "help@combo.example"\n'
)
CONFLICT = re.compile(
    r"^<<<<<<< [^\n]*\n(.*?)^\|\|\|\|\|\|\| [^\n]*\n(.*?)^=======\n(.*?)^>>>>>>> [^\n]*\n",
    re.S | re.M,
)
FIX = re.compile(r"run '([^']+)'")


def archive(repo: Path, commit: str, paths: list[str], dest: Path) -> Path:
    """``paths`` of ``repo`` (all if none) as they were at ``commit``, extracted into
    ``dest``."""
    done = subprocess.run(
        ["git", "archive", "--format=tar", commit, *paths], cwd=repo, capture_output=True
    )
    if done.returncode != 0:
        pytest.fail(
            f"commit {commit[:7]} is not in the history of {repo}: fetch it, e.g. "
            "'git fetch --unshallow'"
        )
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x"], cwd=dest, input=done.stdout, check=True)
    return dest


def commit_all(repo: Path, message: str) -> None:
    run(["git", "add", "-A"], cwd=repo)
    run(["git", "commit", "-qm", message], cwd=repo)


def resolve_as_the_user(text: str) -> str:
    """Each conflict hunk (diff3 style) becomes the new render plus the lines the user
    added: what someone who wants the new code and keeps their own lines writes."""

    def keep_ours(match: re.Match[str]) -> str:
        yours, base, theirs = (part.splitlines(keepends=True) for part in match.groups())
        changes = difflib.SequenceMatcher(None, base, yours, autojunk=False).get_opcodes()
        added = [line for op, _, _, j1, j2 in changes if op != "equal" for line in yours[j1:j2]]
        return "".join(theirs + added)

    return CONFLICT.sub(keep_ours, text)


def converge(project: Path, command: list[str], env: dict[str, str]) -> list[str]:
    """Run ``command`` until it succeeds. A stop must be one error line and no traceback:
    with a `run '...'` fix, the fix is run verbatim; on conflicts, the line names every
    file holding markers, and each is resolved as the user would. Returns the lines."""
    said: list[str] = []
    for _ in range(4):
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        if done.returncode == 0:
            return said
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
        said.append(errors[0])
        status = run(["git", "status", "--porcelain"], cwd=project).stdout.splitlines()
        conflicted = (
            [line[3:] for line in status if "<<<<<<< " in (project / line[3:]).read_text()]
            if status
            else []
        )
        if conflicted:
            assert all(path in errors[0] for path in conflicted), (errors[0], conflicted)
            for path in conflicted:
                (project / path).write_text(resolve_as_the_user((project / path).read_text()))
            continue
        fix = FIX.search(errors[0])
        assert fix, f"the stop names neither a conflicted file nor a command: {errors[0]}"
        run(["sh", "-c", fix.group(1)], cwd=project, env=env, timeout=900)
    raise AssertionError(f"{' '.join(command)} did not converge: {said}")


def tracked(project: Path) -> dict[str, str]:
    """Path -> blob of every committed file outside the records (.quickscale/ names the
    source's commits, which differ between any two sources)."""
    lines = run(["git", "ls-tree", "-r", "HEAD"], cwd=project).stdout.splitlines()
    blobs = {line.split("\t", 1)[1]: line.split()[2] for line in lines}
    return {path: blob for path, blob in blobs.items() if not path.startswith(".quickscale/")}


def test_a_project_on_the_layout_before_the_split_moves_to_today_s_keeping_its_edits(
    tmp_path: Path,
    quickscale_bin: str,
    source_repo: Path,
    every_module: dict[str, Path],
) -> None:
    import yaml

    # The source and the CLI as they were; the CLI runs from that source's core.
    components = ["quickscale_core", "quickscale_themes", "quickscale_modules"]
    source = archive(monorepo_root(), BEFORE_SPLIT, components, tmp_path / "source")
    run(["git", "init", "-q", "-b", "main"], cwd=source)
    commit_all(source, f"source at {BEFORE_SPLIT[:7]}")
    cli = archive(monorepo_root(), BEFORE_SPLIT, ["quickscale_cli/src"], tmp_path / "cli")
    old_cli = cli / "quickscale_cli" / "src"
    env = clean_env(QUICKSCALE_SOURCE=str(source))
    old = env | {"PYTHONPATH": os.pathsep.join([str(old_cli), str(source / "quickscale_core/src")])}
    quickscale_then = [sys.executable, "-m", "quickscale_cli"]

    # 1. A project with every module, made then, with its venv and the user's edits.
    run([*quickscale_then, "init", "combo", "--theme", "todo"], cwd=tmp_path, env=old)
    project = tmp_path / "combo"
    assert (project / "quickscale_core/src/quickscale_core/generator").is_dir()  # the old layout
    chosen = entries(MODULES)
    config = yaml.safe_load((project / "quickscale.yml").read_text())
    config["modules"] = chosen
    (project / "quickscale.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    commit_all(project, "All seven modules")
    run([*quickscale_then, "generate", "--no-migrations"], cwd=project, env=old)
    make_project_env(project, with_pip=True)
    for path, generated, edited in EDITS:
        text = (project / path).read_text()
        assert text.count(generated) == 1, f"{path} no longer holds {generated!r}"
        (project / path).write_text(text.replace(generated, edited))
    with (project / "combo/settings.py").open("a") as settings:
        settings.write(OWN_SETTING)
    commit_all(project, "Our site name, support address and about page")

    # 2. The source moves on to today's main.
    run(["git", "rm", "-rq", "."], cwd=source)
    archive(source_repo, "HEAD", [], source)
    commit_all(source, "source at today's main")

    # 3. Today's CLI, run before the update against a source already at today's main
    # (a user's default source is upstream's newest), drives the old embedded core: the
    # project is in sync, or one error line says to update core. Checked at the end, so
    # that a failure here still lets the path below run and report.
    before = subprocess.run(
        [quickscale_bin, "status", "--no-migrations"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )

    # 4. The path: update core, then generate (migrations are those of the
    # modules, which the move does not change: makemigrations --check below proves none
    # is missing, and applying dj-stripe's would cost a minute).
    run([quickscale_bin, "update", "--component", "core"], cwd=project, env=env)
    assert (project / "quickscale_core/src/quickscale_toolchain/api.py").is_file()
    old_toolchain = "quickscale_core/src/quickscale_core/generator"
    assert run(["git", "ls-files", old_toolchain], cwd=project).stdout == ""
    said = converge(project, [quickscale_bin, "generate", "--no-migrations"], env)
    assert all("conflict" in line or "run '" in line for line in said), said
    settings = (project / "combo/settings.py").read_text()
    for path, _, edited in EDITS:
        assert edited in (project / path).read_text(), f"the edit of {path} was lost"
    assert OWN_SETTING.strip() in settings and 'QUICKSCALE_SITE_NAME = "Combo"\n' not in settings
    assert_green(project, provider_variables("todo", chosen))

    # 5. With the modules and themes updated too, the project is today's every-module
    # project plus the user's edits, file for file.
    for kind in ("modules", "themes"):
        run([quickscale_bin, "update", "--component", kind], cwd=project, env=env)
    converge(project, [quickscale_bin, "generate", "--no-migrations"], env)
    status = run([quickscale_bin, "status", "--no-migrations"], cwd=project, env=env)
    assert "In sync" in status.stdout
    fresh = every_module["todo"]
    for path, generated, edited in EDITS:
        text = (fresh / path).read_text().replace(generated, edited)
        text += OWN_SETTING if path == "combo/settings.py" else ""
        assert (project / path).read_text() == text, path
    ours, today = tracked(project), tracked(fresh)
    edited_paths = {path for path, _, _ in EDITS}
    assert sorted(ours.keys() ^ today.keys()) == []
    differing = sorted(p for p in ours if ours[p] != today[p] and p not in edited_paths)
    assert differing == [], differing
    # Step 3's outcome.
    if before.returncode != 0:
        errors = [line for line in before.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and "Traceback" not in before.stderr, before.stderr
        assert "run 'quickscale update --component core'" in errors[0], errors[0]
    else:
        assert "In sync" in before.stdout, before.stdout
