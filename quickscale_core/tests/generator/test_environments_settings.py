"""`environments:` in generated settings: every environment written, QUICKSCALE_ENV picks.

The real test generates a project with the real CLI and asks its own Django (this venv's
packages) what the settings are under each QUICKSCALE_ENV.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gen_support import config, write_config
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.project_files import render_project

CLI = str(Path(sys.executable).with_name("quickscale"))
RUFF = str(Path(sys.executable).with_name("ruff"))

ENVIRONMENTS = {
    "staging": {
        "domain": "staging.acme.com",
        "deploy": {"target": "fly", "app": "acme-staging"},
        "modules": {"notifications": {"provider": "console"}},
    },
    "production": {
        "frontend": {"variant": "client_a"},
        "domain": "www.acme.com",
        "allowed_hosts": ["www.acme.com", ".acme.com"],
        "deploy": {"target": "compose", "host": "ssh://deploy@203.0.113.7"},
        "processes": {"web": 2, "worker": 1},
    },
}


def with_environments() -> dict:
    data = config()
    data["modules"] = {"notifications": {"provider": "postmark"}}
    data["environments"] = ENVIRONMENTS
    return data


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_settings_hold_every_environment_and_the_requirements_do_not_change():
    files = render_project(spec_from_config(with_environments()))
    settings = files["acme/settings.py"].content.decode()
    assert "QUICKSCALE_ENVIRONMENTS = {" in settings
    assert '"DJANGO_ALLOWED_HOSTS": "www.acme.com,.acme.com",' in settings
    assert '"DJANGO_CSRF_TRUSTED_ORIGINS": "https://www.acme.com",' in settings
    # Mailed links point at the environment's domain, whatever Host a request names.
    assert '"DJANGO_SITE_URL": "https://www.acme.com",' in settings
    assert '"DJANGO_SITE_URL": "https://staging.acme.com",' in settings
    assert '"QUICKSCALE_VARIANT": "client_a",' in settings
    assert settings.count('"DJANGO_TRUSTED_PROXY_COUNT": "1",') == 2
    # A module option an environment changes: one assignment, its value per QUICKSCALE_ENV.
    assert (
        'QUICKSCALE_EMAIL_PROVIDER = env.str(\n    "EMAIL_PROVIDER", '
        'default={"staging": "console"}.get(QUICKSCALE_ENV, "postmark")\n)'
    ) in settings
    assert '"production": "' not in settings.split("QUICKSCALE_EMAIL_PROVIDER", 1)[1]
    without = config()
    without["modules"] = {"notifications": {"provider": "postmark"}}
    plain = render_project(spec_from_config(without))
    assert "QUICKSCALE_ENV" not in plain["acme/settings.py"].content.decode()
    assert files["requirements.txt"].content == plain["requirements.txt"].content


def test_quickscale_env_picks_the_environment_at_run_time(
    initialized_project: Path, project_env, source_repo: Path
):
    project = initialized_project
    (project / "custom_frontend/variants/client_a").mkdir(parents=True, exist_ok=True)
    write_config(project, with_environments())
    done = run([CLI, "generate", "--source", str(source_repo)], project, project_env())
    assert done.returncode == 0, done.stdout + done.stderr
    lint = run([RUFF, "check", "acme/settings.py"], project, project_env())
    assert lint.returncode == 0, lint.stdout
    fmt = run([RUFF, "format", "--check", "acme/settings.py"], project, project_env())
    assert fmt.returncode == 0, fmt.stdout

    show = (
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.QUICKSCALE_VARIANT, "
        "s.QUICKSCALE_TRUSTED_PROXY_COUNT, "
        # the provider's backend, wherever the module puts it
        "s.EMAIL_BACKEND + ' ' + getattr(s, 'NOTIFICATIONS_DELIVERY_BACKEND', ''), "
        "s.QUICKSCALE_SITE_URL]))"
    )

    def settings_under(**variables: str) -> list:
        env = project_env(DJANGO_SECRET_KEY="x" * 50, DJANGO_DEBUG="false", **variables)
        done = run([sys.executable, "manage.py", "shell", "-c", show], project, env)
        assert done.returncode == 0, done.stdout + done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    production = settings_under(QUICKSCALE_ENV="production", POSTMARK_SERVER_TOKEN="t")
    hosts, origins = ["www.acme.com", ".acme.com"], ["https://www.acme.com"]
    assert production[:4] == [hosts, origins, "client_a", 1]
    assert "postmark" in production[4]
    assert production[5] == "https://www.acme.com"
    staging = settings_under(QUICKSCALE_ENV="staging")
    fly_hosts = ["staging.acme.com", "acme-staging.fly.dev"]
    assert staging[:4] == [fly_hosts, [f"https://{h}" for h in fly_hosts], "default", 1]
    assert "console" in staging[4]
    assert staging[5] == "https://staging.acme.com"
    # A variable set where the site runs wins over the environment's value.
    assert settings_under(QUICKSCALE_ENV="staging", DJANGO_ALLOWED_HOSTS="other.example")[0] == [
        "other.example"
    ]
    env = project_env(DJANGO_SECRET_KEY="x" * 50, QUICKSCALE_ENV="prod")
    wrong = run([sys.executable, "manage.py", "check"], project, env)
    assert wrong.returncode != 0
    assert "QUICKSCALE_ENV='prod' is not an environment of quickscale.yml" in wrong.stderr
    assert "(there are: staging, production)" in wrong.stderr
