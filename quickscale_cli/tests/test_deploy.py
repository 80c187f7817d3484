"""`quickscale deploy --env NAME` on a real project: real preflight, recorded drivers.

The project is made by the real `quickscale init`, committed in its own git repository,
and checked by its own manage.py and tests. Only `docker` and `flyctl` are stand-ins (no
engine or platform exists here): a script on PATH that records each call — arguments,
the variables that matter, stdin, the file passed with --file/--config — and fails the
calls a test asks it to, so the tests assert the exact commands, their order, their
environment and the rollback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from cli_support import init_with_config

SECRET = "deploy-tests-only-" + "s" * 40
STAND_IN = """\
#!{python}
import json, os, re, sys
argv = [os.path.basename(sys.argv[0]), *sys.argv[1:]]
entry = {{"argv": argv, "DOCKER_HOST": os.environ.get("DOCKER_HOST")}}
for flag in ("--file", "--config"):
    if flag in argv:
        with open(argv[argv.index(flag) + 1]) as handle:
            entry["file"] = handle.read()
if "import" in argv:
    entry["stdin"] = sys.stdin.read()
if argv[:3] == ["docker", "compose", "--file"]:
    entry["POSTGRES_PASSWORD"] = os.environ.get("POSTGRES_PASSWORD")
with open(os.environ["STAND_IN_LOG"], "a") as log:
    log.write(json.dumps(entry) + "\\n")
if argv[1:2] == ["releases"]:
    print(os.environ.get("STAND_IN_RELEASES", "[]"))
fail = os.environ.get("STAND_IN_FAIL")
if fail and re.search(fail, " ".join(argv)):
    print("stand-in: failing as asked", file=sys.stderr)
    sys.exit(1)
"""

ENVIRONMENTS = {
    "production": {
        "domain": "www.acme.com",
        "deploy": {
            "target": "compose",
            "host": "ssh://deploy@203.0.113.7",
            "acme_email": "ops@acme.com",
        },
        "processes": {"web": 2, "worker": 1},
    },
    "staging": {
        "deploy": {"target": "fly", "app": "acme-staging", "region": "fra"},
        "modules": {"notifications": {"provider": "postmark"}},
    },
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(root: Path, message: str) -> None:
    """Commit whatever generate left uncommitted (it may commit its own output)."""
    if git(root, "status", "--porcelain"):
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)


@pytest.fixture
def project(run_cli, tmp_path: Path) -> Path:
    modules = {"notifications": {"provider": "console"}}
    root = init_with_config(run_cli, tmp_path, modules=modules, environments=ENVIRONMENTS)
    done = run_cli("generate", cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    commit_all(root, "environments")
    (root / ".env.production").write_text(
        f"DJANGO_SECRET_KEY={SECRET}\nPOSTGRES_PASSWORD='pg-secret'\n"
    )
    (root / ".env.staging").write_text(
        f"DJANGO_SECRET_KEY={SECRET}\nDATABASE_URL=postgres://u:p@db.internal/acme\n"
        "POSTMARK_SERVER_TOKEN=pm-token\n"
    )
    return root


@pytest.fixture
def deploy(run_cli, tmp_path: Path):
    """Run `quickscale deploy` with the stand-ins first on PATH; returns (result, calls)."""
    bin_dir = tmp_path / "stand-in-bin"
    bin_dir.mkdir()
    for tool in ("docker", "flyctl"):
        script = bin_dir / tool
        script.write_text(STAND_IN.format(python=sys.executable))
        script.chmod(0o755)
    log = tmp_path / "calls.jsonl"

    def run(root: Path, *args: str, **env: str):
        log.write_text("")
        variables = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "STAND_IN_LOG": str(log),
            **env,
        }
        result = run_cli("deploy", *args, cwd=root, env=variables)
        calls = [json.loads(line) for line in log.read_text().splitlines()]
        return result, calls

    return run


def compose_spec_errors(document: dict) -> list[str]:
    """Problems of a compose file against the Compose Specification's published JSON
    Schema, as vendored (pinned) in check-jsonschema (requirements-dev.txt)."""
    from importlib import resources

    import jsonschema

    vendor = resources.files("check_jsonschema") / "builtin_schemas" / "vendor"
    schema = json.loads((vendor / "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [error.message for error in validator.iter_errors(document)]


def commands(calls: list[dict]) -> list[str]:
    return [" ".join(c["argv"]) for c in calls]


def normalise(lines: list[str]) -> list[str]:
    return [re.sub(r"/\S*quickscale-deploy-\w+/", "{dir}/", line) for line in lines]


def test_dry_run_runs_the_whole_preflight_for_real_and_deploys_nothing(deploy, project: Path):
    result, calls = deploy(project, "--env", "production", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls == []
    lines = result.stdout.splitlines()
    assert lines[:11] == [
        "Preflight of 'production' (target compose):",
        "  ok    generated code matches quickscale.yml",
        "  ok    docker installed",
        "  ok    committed",
        "  ok    validate",
        "  ok    target",
        "  ok    environment variables",
        "  ok    makemigrations --check",
        "  ok    tests",
        "  ok    check --deploy",
        "  ok    trusted proxies / SSL redirect",
    ]
    assert "  the site receives: DJANGO_SECRET_KEY, POSTGRES_PASSWORD (values not shown)" in lines
    assert SECRET not in result.stdout and "pg-secret" not in result.stdout
    assert "caddy:" in result.stdout and "Dry run: nothing was deployed." in lines


def test_every_preflight_problem_is_one_line_and_exit_1(deploy, project: Path):
    (project / ".env.production").write_text(
        "DJANGO_TRUSTED_PROXY_COUNT=0\nDJANGO_SECURE_SSL_REDIRECT=false\n"
    )
    models = project / "acme" / "models.py"
    models.write_text(
        models.read_text()
        + "\n\nfrom django.db.models import IntegerField, Model\n\n\n"
        + "class Invoice(Model):\n    number = IntegerField()\n"
    )
    result, calls = deploy(project, "--env", "production", "--skip-tests")
    assert result.returncode == 1
    assert calls == []
    assert "  skip  tests (--skip-tests)" in result.stdout
    errors = result.stderr.strip().splitlines()
    assert errors[0] == (
        "error: uncommitted changes would not be what the record says was deployed: "
        "acme/models.py — commit them (or git-ignore them) first"
    )
    assert errors[1:3] == [
        "error: missing environment variable DJANGO_SECRET_KEY (needed by quickscale_core) "
        "— set it in .env.production or in the shell that deploys",
        "error: missing environment variable POSTGRES_PASSWORD (needed by target compose) "
        "— set it in .env.production or in the shell that deploys",
    ]
    assert errors[3].startswith("error: models and migrations differ: ")
    assert any("DJANGO_TRUSTED_PROXY_COUNT is 0 but target compose" in e for e in errors), errors
    assert any("SECURE_SSL_REDIRECT is off" in e for e in errors)
    assert errors[-1] == "error: preflight failed, nothing was deployed to 'production'"
    assert all(line.startswith("error: ") for line in errors)


def test_compose_runs_docker_over_ssh_in_order_then_records_the_deploy(
    deploy, project: Path, run_cli
):
    result, calls = deploy(project, "--env", "production", "--skip-tests")
    assert result.returncode == 0, result.stdout + result.stderr
    compose = "docker compose --file {dir}/compose.yaml --project-name acme-production"
    up = "up --detach --remove-orphans --wait --wait-timeout 180 --scale web=2 --scale worker=1"
    assert normalise(commands(calls)) == [
        "docker tag acme-production-web:current acme-production-web:previous",
        f"{compose} build web",
        f"{compose} run --rm web python manage.py migrate --noinput",
        f"{compose} {up}",
    ]
    assert {c["DOCKER_HOST"] for c in calls} == {"ssh://deploy@203.0.113.7"}
    assert calls[1]["POSTGRES_PASSWORD"] == "pg-secret"  # compose fills ${POSTGRES_PASSWORD}
    spec = yaml.safe_load(calls[1]["file"])
    assert compose_spec_errors(spec) == []
    assert spec["name"] == "acme-production"
    assert set(spec["services"]) == {"web", "db", "worker", "redis", "caddy"}
    web = spec["services"]["web"]
    assert web["environment"]["QUICKSCALE_ENV"] == "production"
    assert (
        web["environment"]["DJANGO_SECRET_KEY"]
        == "${DJANGO_SECRET_KEY:?DJANGO_SECRET_KEY is not set}"
    )
    assert "/health/ready" in " ".join(web["healthcheck"]["test"])
    assert "'Host': 'www.acme.com'" in " ".join(web["healthcheck"]["test"])
    assert spec["services"]["caddy"]["ports"] == ["80:80", "443:443", "443:443/udp"]
    caddyfile = spec["configs"]["caddyfile"]["content"]
    assert "email ops@acme.com" in caddyfile and "www.acme.com {" in caddyfile
    assert "dynamic a web 8000" in caddyfile
    assert "&id" not in calls[1]["file"]  # plain YAML, no anchors
    assert SECRET not in calls[1]["file"]

    tag = result.stdout.strip().splitlines()[-2].split("recorded as tag ")[1].rstrip(".")
    assert tag.startswith("deploy/production/")
    status = run_cli("deploy", "--env", "production", "--status", cwd=project)
    assert status.returncode == 0, status.stderr
    shown = dict(line.split(":", 1) for line in status.stdout.splitlines())
    assert shown["commit"].strip() == git(project, "rev-parse", "HEAD")
    assert shown["tag"].strip() == tag
    preview = run_cli("preview", "--env", "production", "--format", "json", cwd=project)
    assert shown["config"].strip() == f"sha256 {json.loads(preview.stdout)['hash']}"
    core = tomllib.loads((project / "quickscale_core/pyproject.toml").read_text())
    assert f"quickscale_core {core['project']['version']}" in shown["components"]
    assert "modules/notifications" in shown["components"]
    assert git(project, "status", "--porcelain") == ""  # recording changed no file


def test_compose_rolls_back_to_the_previous_image_when_never_healthy(deploy, project: Path):
    result, calls = deploy(
        project, "--env", "production", "--skip-tests", STAND_IN_FAIL=r"--wait (?!.*--no-build)"
    )
    assert result.returncode == 1
    compose = "docker compose --file {dir}/compose.yaml --project-name acme-production"
    up = "up --detach --remove-orphans --wait --wait-timeout 180"
    assert normalise(commands(calls))[3:] == [
        f"{compose} {up} --scale web=2 --scale worker=1",
        "docker tag acme-production-web:previous acme-production-web:current",
        f"{compose} {up} --no-build --scale web=2 --scale worker=1",
    ]
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "error: deploy failed and was rolled back to the previous version: "
            "'docker compose --file' failed: stand-in: failing as asked"
        )
    )
    assert git(project, "tag", "--list", "deploy/*") == ""  # a failed deploy is not recorded


def test_a_first_deploy_that_fails_has_nothing_to_roll_back(deploy, project: Path):
    result, calls = deploy(
        project, "--env", "production", "--skip-tests", STAND_IN_FAIL=r"^docker tag|--wait"
    )
    assert result.returncode == 1
    assert len(calls) == 4  # no rollback command
    assert "there was no previous version to roll back to" in result.stderr


def test_a_failed_migration_stops_before_anything_switches(deploy, project: Path):
    result, calls = deploy(project, "--env", "production", "--skip-tests", STAND_IN_FAIL="migrate")
    assert result.returncode == 1
    assert len(calls) == 3
    assert "nothing was switched: the running version is untouched" in result.stderr


RELEASES = json.dumps(
    [
        {"Version": 8, "Status": "failed", "ImageRef": "registry.fly.io/acme-staging:bad"},
        {"Version": 7, "Status": "complete", "ImageRef": "registry.fly.io/acme-staging:v7"},
    ]
)


def test_fly_writes_fly_toml_imports_secrets_and_calls_flyctl(deploy, project: Path):
    result, calls = deploy(project, "--env", "staging", "--skip-tests", STAND_IN_RELEASES=RELEASES)
    assert result.returncode == 0, result.stdout + result.stderr
    root = str(project)
    assert normalise(commands(calls)) == [
        "flyctl config validate --config {dir}/fly.toml",
        "flyctl releases --app acme-staging --image --json",
        "flyctl secrets import --app acme-staging --stage",
        f"flyctl deploy {root} --config {{dir}}/fly.toml --app acme-staging --remote-only",
        "flyctl scale count web=1 --app acme-staging --yes",
    ]
    assert calls[2]["stdin"].splitlines() == [
        f"DJANGO_SECRET_KEY={SECRET}",
        "DATABASE_URL=postgres://u:p@db.internal/acme",
        "POSTMARK_SERVER_TOKEN=pm-token",
    ]
    fly = tomllib.loads(calls[0]["file"])
    assert fly["app"] == "acme-staging" and fly["primary_region"] == "fra"
    assert fly["env"] == {"QUICKSCALE_ENV": "staging"}
    assert fly["deploy"]["release_command"] == "python manage.py migrate --noinput"
    assert fly["processes"] == {
        "web": "gunicorn acme.wsgi --bind 0.0.0.0:8000 --workers 3 --access-logfile -"
    }
    service = fly["http_service"]
    assert (service["internal_port"], service["force_https"]) == (8000, True)
    assert service["min_machines_running"] == 1
    (check,) = service["checks"]
    assert check["path"] == "/health/ready"
    assert check["headers"] == {"Host": "acme-staging.fly.dev"}
    assert SECRET not in calls[0]["file"]


def test_fly_rolls_back_to_the_last_complete_release(deploy, project: Path):
    result, calls = deploy(
        project,
        "--env",
        "staging",
        "--skip-tests",
        STAND_IN_RELEASES=RELEASES,
        STAND_IN_FAIL="--remote-only",
    )
    assert result.returncode == 1
    root = str(project)
    assert normalise(commands(calls))[3:] == [
        f"flyctl deploy {root} --config {{dir}}/fly.toml --app acme-staging --remote-only",
        f"flyctl deploy {root} --config {{dir}}/fly.toml --app acme-staging "
        "--image registry.fly.io/acme-staging:v7",
    ]
    assert "rolled back to the previous version" in result.stderr


def test_status_without_a_deploy_and_an_unknown_environment(deploy, project: Path, run_cli):
    none = run_cli("deploy", "--env", "production", "--status", cwd=project)
    assert none.returncode == 1
    assert none.stderr.strip() == (
        "error: no deploy of 'production' is recorded (no tag deploy/production/…)"
    )
    result, calls = deploy(project, "--env", "prod", "--dry-run")
    assert result.returncode == 2 and calls == []
    assert result.stderr.strip() == (
        "error: quickscale.yml has no environment 'prod' — did you mean 'production'? "
        "its environments: 'production', 'staging'"
    )


def test_a_project_whose_core_predates_deploys_is_told_to_update_it(deploy, project: Path, run_cli):
    shutil.rmtree(project / "quickscale_core/src/quickscale_toolchain/deploy")
    git(project, "commit", "-q", "-am", "an embedded core from before deploys")
    for args in (["deploy", "--env", "production", "--dry-run"], ["preview", "--env", "staging"]):
        result = run_cli(*args, cwd=project)
        assert result.returncode == 1
        assert result.stderr.strip() == (
            "error: this project's quickscale_core predates deploys "
            "— run 'quickscale update --component core', then 'quickscale generate', and commit"
        )
    # status, which words what is behind as the deploy preflight does, still runs there.
    status = run_cli("status", "--no-migrations", cwd=project)
    assert (status.returncode, status.stderr) == (0, ""), status.stderr
    assert "In sync: the code matches quickscale.yml." in status.stdout


def test_compose_with_an_external_database_runs_no_postgres_of_its_own(
    deploy, project: Path, run_cli
):
    (project / ".env.production").write_text(
        f"DJANGO_SECRET_KEY={SECRET}\nDATABASE_URL=postgres://u:p@db.example.com/acme\n"
    )
    result, calls = deploy(project, "--env", "production", "--skip-tests")
    assert result.returncode == 0, result.stdout + result.stderr
    compose = "docker compose --file {dir}/compose.yaml --project-name acme-production"
    assert normalise(commands(calls))[2] == (
        f"{compose} run --rm --no-deps web python manage.py migrate --noinput"
    )
    spec = yaml.safe_load(calls[1]["file"])
    assert compose_spec_errors(spec) == []
    assert "db" not in spec["services"] and "db-data" not in spec["volumes"]
    web = spec["services"]["web"]["environment"]
    assert web["DATABASE_URL"] == "${DATABASE_URL:?DATABASE_URL is not set}"
    # A second deploy in the same second still gets its own record.
    again, _ = deploy(project, "--env", "production", "--skip-tests")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(git(project, "tag", "--list", "deploy/production/*").splitlines()) == 2


DOCS = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
BEHIND = re.compile(
    r"error: the generated code is behind quickscale\.yml \((\d+ files, 1 module to embed)\) "
    r"— run 'quickscale generate', then deploy again"
)


def documented_error(start: str) -> str:
    """The sample error line of docs/deploy.md that starts with ``start``."""
    [line] = [s for s in DOCS.read_text().splitlines() if s.strip().startswith(start)]
    return line.strip()


def test_stale_generated_code_stops_the_deploy_in_one_line_until_generate(
    deploy, project: Path, run_cli
):
    """An edit of quickscale.yml without generate (a module, a model, a new environment)
    stops the preflight before Django runs: one line naming generate, not the old
    code's symptoms (an unknown environment, security.W020, the proxy count)."""
    config = yaml.safe_load((project / "quickscale.yml").read_text())
    config["modules"]["auth"] = None
    config["customizations"] = {
        "models": [{"name": "Product", "fields": [{"name": "title", "type": "string"}]}]
    }
    config["environments"]["review"] = {"deploy": {"target": "fly", "app": "acme-review"}}
    (project / "quickscale.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    git(project, "commit", "-q", "-am", "auth, a Product model, a review environment")
    (project / ".env.review").write_text(
        f"DJANGO_SECRET_KEY={SECRET}\nDATABASE_URL=postgres://u:p@db.internal/acme\n"
    )

    result, calls = deploy(project, "--env", "review", "--dry-run", "--skip-tests")
    assert (result.returncode, result.stdout, calls) == (1, "", []), result.stderr
    [line] = result.stderr.splitlines()
    stale = BEHIND.fullmatch(line)
    assert stale, line
    shape = re.compile(r"\d+ files")
    sample = documented_error("error: the generated code is behind")
    assert shape.sub("N files", line) == shape.sub("N files", sample)

    status = run_cli("status", "--no-migrations", cwd=project)
    assert status.returncode == 1
    assert (
        f"Out of sync: the generated code is behind quickscale.yml ({stale[1]}) "
        "— run 'quickscale generate'"
    ) in status.stdout.splitlines()
    shown = run_cli("status", "--no-migrations", "--format", "json", cwd=project)
    report = json.loads(shown.stdout)
    assert (report["in_sync"], report["generated_behind"]) == (False, stale[1])

    done = run_cli("generate", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    commit_all(project, "generate")
    result, _ = deploy(project, "--env", "review", "--dry-run", "--skip-tests")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[1:3] == [
        "  ok    generated code matches quickscale.yml",
        "  ok    flyctl installed",
    ]
    assert "Dry run: nothing was deployed." in result.stdout
    status = run_cli("status", "--no-migrations", "--format", "json", cwd=project)
    assert json.loads(status.stdout)["generated_behind"] is None, status.stdout


def test_a_missing_target_tool_is_one_line_dry_run_or_not(run_cli, project: Path, tmp_path: Path):
    """Without the stand-ins (nor any docker or flyctl) on PATH, the deploy names the
    tool and how to get it, before any check runs: no minutes of tests first."""
    only_git = tmp_path / "only-git"
    only_git.mkdir()
    git_path = shutil.which("git")
    assert git_path
    (only_git / "git").symlink_to(git_path)
    table = [
        ("production", ["--dry-run"], "compose", "docker", "install Docker with the compose"),
        ("staging", [], "fly", "flyctl", "install flyctl (https://fly.io/docs/flyctl/install/)"),
    ]
    for environment, args, target, tool, how in table:
        result = run_cli(
            "deploy", "--env", environment, *args, cwd=project, env={"PATH": str(only_git)}
        )
        assert (result.returncode, result.stdout) == (1, ""), result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith(
            f"error: target {target} of environment '{environment}' deploys with '{tool}', "
            f"which is not installed (not found on PATH) — {how}"
        ), line
    assert line == documented_error("error: target fly of environment 'staging'")
