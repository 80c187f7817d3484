"""The deploy targets: which commands of an existing tool ship an environment.

A target is data: the files it writes (a compose file, a fly.toml) and the ordered
commands to run, each marked with what a failure means. :mod:`.apply` runs them. Both
targets build the project's own Dockerfile, migrate once before the new version takes
traffic, wait for ``/health/ready`` and go back to the previous image when it never
becomes healthy.

* ``compose``: ``docker compose`` against ``DOCKER_HOST=ssh://…`` (the engine of the
  server, reached over SSH). The compose file is the environment's own: PostgreSQL, the
  web service (its replica count), Celery workers with Redis when asked for, and Caddy
  in front for TLS (automatic certificates for the domain). ``docker compose up
  --wait`` waits for the web containers' health check, which requests
  ``/health/ready``.
* ``fly``: ``flyctl`` with a ``fly.toml`` for the environment (release command
  migrates, HTTP check on ``/health/ready``); secrets are imported from the deployer's
  variables with ``flyctl secrets import --stage``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quickscale_toolchain.deploy.environment import Environment
from quickscale_toolchain.deploy.preflight import required_variables

#: Images of the services the compose target runs beside the project's (exact tags).
POSTGRES_IMAGE = "postgres:15.10"
REDIS_IMAGE = "redis:7.4.1"
CADDY_IMAGE = "caddy:2.8.4"
HEALTH_PATH = "/health/ready"
WAIT_SECONDS = 180
#: The command-line tool each target drives.
TARGET_TOOL = {"compose": "docker", "fly": "flyctl"}
#: How to get each tool, for the one line that says it is missing.
INSTALL = {
    "docker": "install Docker with the compose plugin on this machine "
    "(https://docs.docker.com/get-docker/)",
    "flyctl": "install flyctl (https://fly.io/docs/flyctl/install/), then 'flyctl auth login'",
}


@dataclass(frozen=True)
class Step:
    """One command. ``role`` says what it is to the run:

    * ``"run"``: must succeed, else the deploy stops (nothing switched yet);
    * ``"may-fail"``: its failure is expected sometimes (no previous image to keep);
    * ``"switch"``: the new version takes over; a failure rolls back;
    * ``"rollback"``: run only after a failed switch;
    * ``"capture"``: its output is read (``capture`` names what for).
    """

    argv: tuple[str, ...]
    description: str
    role: str = "run"
    env: Mapping[str, str] = field(default_factory=dict)  # added to the deployer's
    stdin_names: tuple[str, ...] = ()  # variables sent as NAME=VALUE lines on stdin
    capture: str = ""

    def shown(self) -> str:
        prefix = " ".join(f"{k}={v}" for k, v in self.env.items())
        command = " ".join(self.argv)
        text = f"{prefix} {command}" if prefix else command
        if self.stdin_names:
            text += f" < ({', '.join(self.stdin_names)})"
        return text


@dataclass(frozen=True)
class TargetPlan:
    target: str
    files: dict[str, str]  # name -> content, written to a private directory
    steps: list[Step]
    secrets: tuple[str, ...]  # the variables the site receives (names only)


def _hosts(env: Environment) -> list[str]:
    return list(env.config.hosts)


def shipped_variables(env: Environment, variables: Mapping[str, str]) -> tuple[str, ...]:
    """Names of the variables the site receives: every required one, and every optional
    one of the modules' providers that the deployer has set."""
    from quickscale_toolchain import catalog

    names = [name for name, _ in required_variables(env, variables)]
    components = catalog.for_project(env.root, None)
    theme = env.effective.get("theme") or components.default_theme() or ""
    for entry in components.resolve(theme, list(env.modules)):
        provider = entry.manifest.provider(env.modules.get(entry.component.name, (None, {}))[0])
        if provider is not None:
            names += [n for n in provider.optional_env if n in variables]
    names += [n for n in ("DATABASE_URL", "REDIS_URL") if n in variables]
    return tuple(dict.fromkeys(names))


# --- compose -----------------------------------------------------------------------


def compose_file(env: Environment, variables: Mapping[str, str], build_context: Path) -> str:
    """The environment's compose file (YAML), whole: no layering over compose.yaml."""
    import yaml

    project = env.project
    image = f"{project}-{env.name}-web"
    secrets = shipped_variables(env, variables)
    own_database = "DATABASE_URL" not in variables
    environment: dict[str, Any] = {"QUICKSCALE_ENV": env.name}
    if own_database:
        environment["DATABASE_URL"] = (
            f"postgres://{project}:${{POSTGRES_PASSWORD}}@db:5432/{project}"
        )
    if env.config.worker and "REDIS_URL" not in variables:
        environment["REDIS_URL"] = "redis://redis:6379/0"
    for name in secrets:
        if name != "POSTGRES_PASSWORD" and name not in environment:
            environment[name] = f"${{{name}:?{name} is not set}}"
    first_host = (_hosts(env) or ["localhost"])[0].lstrip(".")
    probe = (
        "import urllib.request as r; r.urlopen(r.Request('http://127.0.0.1:8000"
        f"{HEALTH_PATH}', headers={{'Host': '{first_host}'}}), timeout=4)"
    )
    web: dict[str, Any] = {
        "build": {"context": str(build_context)},
        "image": f"{image}:current",
        "restart": "unless-stopped",
        "environment": environment,
        "healthcheck": {
            "test": ["CMD", "python", "-c", probe],
            "interval": "5s",
            "timeout": "5s",
            "retries": 6,
            "start_period": "30s",
        },
    }
    services: dict[str, Any] = {"web": web}
    volumes: dict[str, Any] = {"caddy-data": {}, "caddy-config": {}}
    if own_database:
        web["depends_on"] = {"db": {"condition": "service_healthy"}}
        services["db"] = {
            "image": POSTGRES_IMAGE,
            "restart": "unless-stopped",
            "environment": {
                "POSTGRES_USER": project,
                "POSTGRES_DB": project,
                "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set}",
            },
            "volumes": ["db-data:/var/lib/postgresql/data"],
            "healthcheck": {
                "test": ["CMD", "pg_isready", "-U", project],
                "interval": "5s",
                "retries": 10,
            },
        }
        volumes["db-data"] = {}
    if env.config.worker:
        services["worker"] = {
            "image": f"{image}:current",
            "restart": "unless-stopped",
            "command": ["celery", "-A", project, "worker", "--loglevel", "INFO"],
            "environment": dict(environment),  # a copy: no YAML alias in the file
        }
        if "REDIS_URL" not in variables:
            services["redis"] = {"image": REDIS_IMAGE, "restart": "unless-stopped"}
            services["worker"]["depends_on"] = ["redis"]
    services["caddy"] = {
        "image": CADDY_IMAGE,
        "restart": "unless-stopped",
        "ports": ["80:80", "443:443", "443:443/udp"],
        "configs": [{"source": "caddyfile", "target": "/etc/caddy/Caddyfile"}],
        "volumes": ["caddy-data:/data", "caddy-config:/config"],
        "depends_on": ["web"],
    }
    document = {
        "name": f"{project}-{env.name}",
        "services": services,
        "configs": {"caddyfile": {"content": caddyfile(env)}},
        "volumes": volumes,
    }
    return yaml.safe_dump(document, sort_keys=False, width=1000)


def caddyfile(env: Environment) -> str:
    """Caddy terminates TLS for the domain (automatic certificates) and proxies to every
    web replica; it sets X-Forwarded-For/-Proto itself (one trusted proxy)."""
    email = env.config.deploy.get("acme_email")
    lines = []
    if email:
        lines += ["{", f"\temail {email}", "}", ""]
    sites = ", ".join(h for h in _hosts(env) if not h.startswith(".")) or "localhost"
    lines += [
        f"{sites} {{",
        "\tencode zstd gzip",
        "\treverse_proxy {",
        "\t\tdynamic a web 8000",
        "\t\tlb_policy round_robin",
        # A replica that refuses the connection (restarting) is retried on another.
        "\t\tlb_try_duration 5s",
        "\t}",
        "}",
    ]
    return "\n".join(lines) + "\n"


def compose_plan(env: Environment, variables: Mapping[str, str], workdir: Path) -> TargetPlan:
    project = f"{env.project}-{env.name}"
    image = f"{env.project}-{env.name}-web"
    file = str(workdir / "compose.yaml")
    base = ("docker", "compose", "--file", file, "--project-name", project)
    docker_host = {"DOCKER_HOST": str(env.config.deploy["host"])}
    scale = ["--scale", f"web={env.config.web}"]
    if env.config.worker:
        scale += ["--scale", f"worker={env.config.worker}"]
    # An external database (DATABASE_URL) means no db service to start for the migration.
    no_deps = ["--no-deps"] if "DATABASE_URL" in variables else []
    up = ["up", "--detach", "--remove-orphans", "--wait", "--wait-timeout", str(WAIT_SECONDS)]
    steps = [
        Step(
            ("docker", "tag", f"{image}:current", f"{image}:previous"),
            "keep the running image as the one to roll back to (none on a first deploy)",
            "may-fail",
            docker_host,
        ),
        Step(
            (*base, "build", "web"), "build the project's Dockerfile on the server", env=docker_host
        ),
        Step(
            (*base, "run", "--rm", *no_deps, "web", "python", "manage.py", "migrate", "--noinput"),
            "migrate the database in a one-off container",
            env=docker_host,
        ),
        Step(
            (*base, *up, *scale),
            f"start {env.config.web} web and {env.config.worker} worker process(es) behind "
            f"Caddy, wait until {HEALTH_PATH} answers",
            "switch",
            docker_host,
        ),
        Step(
            ("docker", "tag", f"{image}:previous", f"{image}:current"),
            "roll back: the previous image becomes current again",
            "rollback",
            docker_host,
        ),
        Step(
            (*base, *up, "--no-build", *scale),
            "roll back: restart on the previous image",
            "rollback",
            docker_host,
        ),
    ]
    return TargetPlan(
        "compose",
        {"compose.yaml": compose_file(env, variables, env.root)},
        steps,
        shipped_variables(env, variables),
    )


# --- fly -----------------------------------------------------------------------------


def fly_toml(env: Environment) -> str:
    """The environment's fly.toml (Fly's documented app configuration keys)."""
    project = env.project
    deploy = env.config.deploy
    hosts = _hosts(env)
    gunicorn = f"gunicorn {project}.wsgi --bind 0.0.0.0:8000 --workers 3 --access-logfile -"
    lines = [
        f"# fly.toml for environment '{env.name}', written by quickscale deploy from",
        "# quickscale.yml (environments). Secrets are not here: flyctl secrets.",
        f"app = {_toml(deploy['app'])}",
        f"primary_region = {_toml(deploy.get('region', 'ams'))}",
        "",
        "[build]",
        'dockerfile = "Dockerfile"',
        "",
        "[deploy]",
        'release_command = "python manage.py migrate --noinput"',
        'strategy = "rolling"',
        "",
        "[env]",
        f"QUICKSCALE_ENV = {_toml(env.name)}",
        "",
        "[processes]",
        f"web = {_toml(gunicorn)}",
    ]
    if env.config.worker:
        lines.append(f"worker = {_toml(f'celery -A {project} worker --loglevel INFO')}")
    lines += [
        "",
        "[http_service]",
        "internal_port = 8000",
        "force_https = true",
        'auto_stop_machines = "off"',
        "auto_start_machines = true",
        f"min_machines_running = {env.config.web}",
        'processes = ["web"]',
        "",
        "[[http_service.checks]]",
        'grace_period = "30s"',
        'interval = "15s"',
        'method = "GET"',
        f"path = {_toml(HEALTH_PATH)}",
        'timeout = "5s"',
        f"headers = {{ Host = {_toml(hosts[0].lstrip('.'))} }}",
    ]
    return "\n".join(lines) + "\n"


def _toml(value: str) -> str:
    import json

    return json.dumps(value)  # a JSON string is a valid TOML basic string


def fly_plan(env: Environment, variables: Mapping[str, str], workdir: Path) -> TargetPlan:
    app = str(env.config.deploy["app"])
    config = str(workdir / "fly.toml")
    secrets = shipped_variables(env, variables)
    scale = [f"web={env.config.web}"]
    if env.config.worker:
        scale.append(f"worker={env.config.worker}")
    steps = [
        Step(("flyctl", "config", "validate", "--config", config), "check fly.toml with Fly"),
        Step(
            ("flyctl", "releases", "--app", app, "--image", "--json"),
            "find the running release's image, to roll back to",
            "capture",
            capture="previous-image",
        ),
        Step(
            ("flyctl", "secrets", "import", "--app", app, "--stage"),
            "stage the secrets (applied by the deploy)",
            stdin_names=secrets,
        ),
        Step(
            ("flyctl", "deploy", str(env.root), "--config", config, "--app", app, "--remote-only"),
            f"build, migrate (release command), roll out and wait for {HEALTH_PATH}",
            "switch",
        ),
        Step(
            ("flyctl", "scale", "count", *scale, "--app", app, "--yes"),
            f"run {env.config.web} web and {env.config.worker} worker machine(s)",
            "switch",
        ),
        Step(
            (
                "flyctl",
                "deploy",
                str(env.root),
                "--config",
                config,
                "--app",
                app,
                "--image",
                "{previous-image}",
            ),
            "roll back: deploy the previous release's image again",
            "rollback",
        ),
    ]
    return TargetPlan("fly", {"fly.toml": fly_toml(env)}, steps, secrets)


def plan_target(env: Environment, variables: Mapping[str, str], workdir: Path) -> TargetPlan:
    if env.config.target == "fly":
        return fly_plan(env, variables, workdir)
    return compose_plan(env, variables, workdir)
