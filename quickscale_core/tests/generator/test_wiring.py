"""Themes and modules wired into generated projects: render, embed (git subtree), remove.

Projects come from a real `init` (git repository, embedded core and theme) and are driven
by the real CLI; their own commands (pytest, makemigrations, ruff) run with this venv's
Python, which has every theme and module installed. The fresh-venv install of a generated
project's requirements is tested end to end in tests/e2e/test_wiring.py.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from gen_support import config, write_config
from quickscale_toolchain.components import Component
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.project_files import render_project

CLI = str(Path(sys.executable).with_name("quickscale"))
RUFF = str(Path(sys.executable).with_name("ruff"))
MODULES = {"auth": {}, "notifications": {"provider": "sendgrid"}}


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def git(project: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True)
    return done.stdout


def tracked(project: Path) -> dict[str, str]:
    """`git ls-files` with each file's content digest: what the round trip must restore."""
    return {
        path: hashlib.sha256((project / path).read_bytes()).hexdigest()
        for path in git(project, "ls-files").splitlines()
        if (project / path).is_file()
    }


def with_modules(project: Path, theme: str = "starter", modules=None) -> dict:
    data = config(theme=theme)
    data["modules"] = MODULES if modules is None else modules
    write_config(project, data)
    return data


# --- rendering ---------------------------------------------------------------------


def test_theme_todo_and_both_modules_render_the_readme_wiring():
    data = config(theme="todo")
    data["modules"] = MODULES
    files = render_project(spec_from_config(data))
    settings = files["acme/settings.py"].content.decode()
    urls = files["acme/urls.py"].content.decode()
    requirements = files["requirements.txt"].content.decode().splitlines()
    apps = [
        "quickscale_themes.starter",
        "quickscale_themes.todo",
        "quickscale_modules.auth",
        "allauth",
        "allauth.account",
        "anymail",
        "quickscale_modules.notifications",
        "acme",
    ]
    listed = [line.split("#")[0].strip().strip(",") for line in settings.splitlines()]
    assert [f'"{app}"' for app in apps] == [a for a in listed if a.strip('"') in apps]
    for line in (
        '    "allauth.account.middleware.AccountMiddleware",  # modules/auth',
        'EMAIL_BACKEND = "quickscale_modules.notifications.tasks.TaskEmailBackend"',
        'QUICKSCALE_EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="sendgrid")',
        'LOGIN_URL = "account_login"',
        'QUICKSCALE_BUSINESS_CLASS = "acme.backend_extensions.ExtendedBusinessLogic"',
    ):
        assert line in settings, line
    assert "quickscale_themes.starter.urls" not in urls  # the home page is the project's
    assert 'path("todo/", include("quickscale_themes.todo.urls"))' in urls
    assert 'path("accounts/", include("quickscale_modules.auth.urls"))' in urls
    for line in (
        "-e ./quickscale_themes/starter",
        "-e ./quickscale_themes/todo",
        "-e ./quickscale_modules/auth",
        "-e ./quickscale_modules/notifications",
        "django-allauth==65.21.1",
        "django-anymail==15.2",
    ):
        assert line in requirements, line
    pins = [r for r in requirements if r and not r.startswith(("#", "-e "))]
    assert pins and all("==" in r for r in pins)  # every requirement pinned exactly
    assert "# SENDGRID_API_KEY=" in files[".env.example"].content.decode()


def test_default_project_wires_the_starter_theme_only():
    files = render_project(spec_from_config(config()))
    settings = files["acme/settings.py"].content.decode()
    assert '"quickscale_themes.starter",  # themes/starter\n    "acme",' in settings
    assert "quickscale_themes.todo" not in settings
    assert "quickscale_modules." not in settings
    models = files["acme/models.py"].content.decode()
    assert "class User(AbstractStarterUser):" in models
    assert 'swappable = "AUTH_USER_MODEL"' in models
    assert "class ExtendedBusinessLogic(starter_business.StarterBusiness):" in (
        files["acme/backend_extensions.py"].content.decode()
    )
    assert "tests/test_backend_extensions.py" in files
    assert spec_from_config(config()).components == (Component("themes", "starter"),)


def test_unknown_provider_and_unavailable_module_are_config_errors():
    from quickscale_toolchain.errors import ConfigError

    data = config()
    data["modules"] = {"notifications": {"provider": "amazon_ses"}}
    with pytest.raises(ConfigError, match="amazon_ses"):
        spec_from_config(data)
    data["modules"] = {"billing_typo": {}}
    with pytest.raises(ConfigError, match="billing_typo"):
        spec_from_config(data)


# --- init ----------------------------------------------------------------------------


def test_init_embeds_the_theme_by_squashed_subtree(initialized_project: Path):
    log = git(initialized_project, "log", "--format=%s").splitlines()
    assert any(s.startswith("Squashed 'quickscale_themes/starter/' content") for s in log)
    assert (initialized_project / "quickscale_themes/starter/pyproject.toml").is_file()
    assert not (initialized_project / "quickscale_themes/todo").exists()
    assert git(initialized_project, "status", "--porcelain") == ""


def test_init_theme_todo_embeds_starter_and_todo(source_repo: Path, tmp_path: Path, project_env):
    done = run(
        [CLI, "init", "shop", "--theme", "todo", "--source", str(source_repo)],
        tmp_path,
        project_env(),
    )
    assert done.returncode == 0, done.stderr
    project = tmp_path / "shop"
    for name in ("starter", "todo"):
        assert (project / f"quickscale_themes/{name}/pyproject.toml").is_file()
    assert "theme: todo" in (project / "quickscale.yml").read_text()
    assert '"quickscale_themes.todo"' in (project / "shop/settings.py").read_text()


# --- generate: embed, refuse, preview, remove ---------------------------------------


def test_preview_shows_the_embedding_and_changes_nothing(
    initialized_project: Path, project_env, qs
):
    project = initialized_project
    with_modules(project)
    head = git(project, "rev-parse", "HEAD")
    before = qs.tree_digest(project)
    done = run([CLI, "preview", "--no-diff"], project, project_env())
    assert done.returncode == 0, done.stderr
    assert "embed   quickscale_modules/auth/ (git subtree add --squash" in done.stdout
    assert "embed   quickscale_modules/notifications/" in done.stdout
    as_json = run([CLI, "preview", "--format", "json"], project, project_env())
    assert '"status": "embed"' in as_json.stdout
    assert qs.tree_digest(project) == before
    assert git(project, "rev-parse", "HEAD") == head


def test_your_uncommitted_work_stays_yours_while_generate_embeds_and_commits(
    initialized_project: Path, project_env
):
    """Enabling modules needs no clean tree: the user's edit and new file stay uncommitted
    and untouched, and generate's one commit holds the config and its own output only."""
    project = initialized_project
    with_modules(project)
    (project / "acme/services.py").write_text("# my work in progress\n")
    notes = project / "notes.md"
    notes.write_text("My note.\n")
    git(project, "add", "notes.md")  # staged, not committed: must stay that way
    done = run([CLI, "generate", "--no-migrations"], project, project_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "acme/services.py").read_text() == "# my work in progress\n"
    assert notes.read_text() == "My note.\n"
    status = git(project, "status", "--porcelain").splitlines()
    assert sorted(status) == [" M acme/services.py", "A  notes.md"]
    subject, *body = git(project, "log", "-1", "--format=%B").splitlines()
    assert subject == "quickscale generate: apply quickscale.yml"
    assert "- embed quickscale_modules/auth/" in body
    changed = git(project, "show", "--name-only", "--format=", "HEAD").split()
    assert "quickscale.yml" in changed and "acme/settings.py" in changed
    assert "notes.md" not in changed and "acme/services.py" not in changed


def test_uncommitted_changes_inside_a_component_to_remove_are_refused_in_one_line(
    initialized_project: Path, project_env, qs
):
    project = initialized_project
    original_config = (project / "quickscale.yml").read_bytes()
    with_modules(project)
    done = run([CLI, "generate", "--no-migrations"], project, project_env())
    assert done.returncode == 0, done.stdout + done.stderr
    services = project / "quickscale_modules/auth/src/quickscale_modules/auth/services.py"
    services.write_text(services.read_text() + "# my fix in progress\n")
    (project / "quickscale.yml").write_bytes(original_config)  # asks to remove auth
    head = git(project, "rev-parse", "HEAD")
    before = qs.tree_bytes(project)
    done = run([CLI, "generate"], project, project_env())
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    (line,) = [line for line in lines if not line.startswith("warning: ")]
    assert "uncommitted changes in a component" in line
    assert "quickscale_modules/auth/src/quickscale_modules/auth/services.py" in line
    assert qs.tree_bytes(project) == before
    assert git(project, "rev-parse", "HEAD") == head


def test_enable_then_disable_modules_round_trips_the_project(
    initialized_project: Path, project_env, source_repo: Path
):
    project = initialized_project
    original_config = (project / "quickscale.yml").read_bytes()
    before = tracked(project)

    with_modules(project)  # the config edit may stay uncommitted
    done = run(
        [CLI, "generate", "--source", str(source_repo), "--no-migrations"], project, project_env()
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "embedded quickscale_modules/auth/" in done.stdout
    for name in ("auth", "notifications"):
        assert (project / f"quickscale_modules/{name}/pyproject.toml").is_file()
    log = git(project, "log", "--format=%s").splitlines()
    assert any(s.startswith("Squashed 'quickscale_modules/auth/' content") for s in log)
    assert "django-allauth==65.21.1" in (project / "requirements.txt").read_text()
    assert "python manage.py migrate" in done.stdout
    assert git(project, "status", "--porcelain") == ""  # generate committed its work

    (project / "quickscale.yml").write_bytes(original_config)
    preview = run([CLI, "preview", "--no-diff"], project, project_env())
    assert "remove  quickscale_modules/auth/" in preview.stdout
    assert "account_emailaddress" in preview.stderr  # warns about allauth's tables
    done = run([CLI, "generate"], project, project_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "account_emailaddress, account_emailconfirmation" in done.stderr
    assert not (project / "quickscale_modules").exists()
    assert tracked(project) == before
    again = run([CLI, "generate"], project, project_env())
    assert "Nothing to do" in again.stdout


def test_switching_theme_to_todo_and_back_embeds_then_removes_it(
    initialized_project: Path, project_env, source_repo: Path
):
    project = initialized_project
    original_config = (project / "quickscale.yml").read_bytes()
    before = tracked(project)
    write_config(project, config(theme="todo"))
    done = run(
        [CLI, "generate", "--source", str(source_repo), "--no-migrations"], project, project_env()
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "quickscale_themes/todo/pyproject.toml").is_file()
    assert (
        'path("todo/", include("quickscale_themes.todo.urls"))'
        in (project / "acme/urls.py").read_text()
    )
    assert git(project, "status", "--porcelain") == ""
    (project / "quickscale.yml").write_bytes(original_config)
    done = run([CLI, "generate"], project, project_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "quickscale_todo_todolist, quickscale_todo_todoitem" in done.stderr
    assert not (project / "quickscale_themes/todo").exists()
    assert (project / "quickscale_themes/starter").is_dir()
    assert tracked(project) == before


def test_project_with_todo_and_modules_passes_its_own_checks(
    initialized_project: Path, project_env, source_repo: Path
):
    """Generated wiring + this venv's packages: tests (-W error), migrations, ruff, overrides."""
    project = initialized_project
    with_modules(project, theme="todo")
    done = run([CLI, "generate", "--source", str(source_repo)], project, project_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Migrated:" in done.stdout  # this venv is the project's environment here
    assert (project / "quickscale_themes/todo/pyproject.toml").is_file()
    # a project template overrides the theme's
    override = project / "custom_frontend/templates/quickscale_todo/list_index.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "base.html" %}{% block content %}OVERRIDDEN-BY-PROJECT{% endblock %}'
    )
    (project / "tests/test_override.py").write_text(OVERRIDE_TEST)
    env = project_env()
    tests = run(
        [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider"],
        project,
        env,
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    check = run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], project, env
    )
    assert check.returncode == 0, check.stdout + check.stderr
    lint = run([RUFF, "check", "."], project, env)
    assert lint.returncode == 0, lint.stdout
    fmt = run([RUFF, "format", "--check", "."], project, env)
    assert fmt.returncode == 0, fmt.stdout


OVERRIDE_TEST = """\
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_project_template_overrides_the_theme_s(client):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "a-long-passphrase")
    client.force_login(user)
    response = client.get(reverse("quickscale_todo:list_index"))
    assert b"OVERRIDDEN-BY-PROJECT" in response.content


def test_todo_requires_login_and_sends_to_allauth(client):
    response = client.get(reverse("quickscale_todo:list_index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signup_and_login_pages_use_the_project_layout(client):
    for name in ("account_signup", "account_login"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "base.html" in [t.name for t in response.templates]
        assert b"variant-default" in response.content
"""
