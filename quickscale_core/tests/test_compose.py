"""The generated compose.yaml is valid Compose and runs the scale-out stack.

No Docker engine exists here, so the file is checked statically: against the Compose
Specification's JSON Schema, the copy vendored (and pinned by version) in
check-jsonschema (requirements-dev.txt), after interpolating variables with their
defaults as `docker compose config` does.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.catalog import from_directory
from quickscale_toolchain.generator.context import ModuleChoice, ProjectSpec
from quickscale_toolchain.generator.scaffold import render_project

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's interpolation of ``${...}`` in every string; ``$$`` is a literal ``$``."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        name, op, arg = match.group("name", "op", "arg")
        current = env.get(name)
        missing = current is None or (current == "" and op and op.startswith(":"))
        if op and op.endswith("?") and missing:
            raise KeyError(f"{name}: {arg}")
        if op and op.endswith("-") and missing:
            return str(interpolate(arg, env))
        return current or ""

    return _VARIABLE.sub(replace, value.replace("$$", "\0")).replace("\0", "$")


def compose_validator() -> Any:
    vendor = resources.files("check_jsonschema") / "builtin_schemas" / "vendor"
    schema = json.loads((vendor / "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)  # the draft it declares
    validator.check_schema(schema)
    return validator(schema)


def every_module_spec() -> ProjectSpec:
    catalog = from_directory(monorepo_root(), origin="source")
    chosen = tuple(ModuleChoice(name) for name in catalog.modules)
    return ProjectSpec("acme", modules=chosen, catalog=catalog)


@pytest.fixture(scope="module", params=["default", "every-module"])
def compose(request: pytest.FixtureRequest) -> Any:
    spec = ProjectSpec("acme") if request.param == "default" else every_module_spec()
    text = render_project(spec)["compose.yaml"].content.decode()
    return yaml.safe_load(text)  # YAML merge keys (<<: *app) resolved, as Compose does


def test_compose_is_valid_against_the_compose_specification(compose: Any) -> None:
    validator = compose_validator()
    env = {"DJANGO_SECRET_KEY": "x" * 50, "WEB_REPLICAS": "3"}
    resolved = interpolate(compose, env)
    errors = sorted(validator.iter_errors(resolved), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert resolved["services"]["web"]["deploy"]["replicas"] == "3"
    # The file refuses to start without a secret key rather than run with a default.
    with pytest.raises(KeyError, match="DJANGO_SECRET_KEY"):
        interpolate(compose, {})


def test_a_file_the_specification_forbids_is_refused() -> None:
    """The check can fail: an unknown key and a wrongly typed value are reported."""
    bad = {"services": {"web": {"image": "x", "replicas": 2, "ports": "8000:8000"}}}
    messages = [error.message for error in compose_validator().iter_errors(bad)]
    assert any("'replicas' w" in m and "unexpected" in m for m in messages), messages
    assert any("is not of type 'array'" in m for m in messages), messages


def test_web_worker_and_scheduler_share_one_image_beside_postgresql_and_redis(
    compose: Any,
) -> None:
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "scheduler"}
    app = ("migrate", "web", "worker", "scheduler")
    assert {services[name]["image"] for name in app} == {"acme:${IMAGE_TAG:-latest}"}
    assert all(services[name]["build"] == "." for name in app)
    assert services["web"]["deploy"]["replicas"] == "${WEB_REPLICAS:-1}"
    assert services["worker"]["command"][:4] == ["celery", "-A", "acme", "worker"]
    assert services["scheduler"]["command"][:4] == ["celery", "-A", "acme", "beat"]
    assert services["scheduler"]["deploy"]["replicas"] == 1
    for name in app:
        env = services[name]["environment"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["DATABASE_URL"].endswith("@db:5432/acme")
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["redis"]["image"].startswith("redis:")
    assert services["db"]["image"].startswith("postgres:")


def test_mailed_links_point_at_the_stack_s_own_address_by_default(compose: Any) -> None:
    """With DEBUG off and no DJANGO_SITE_URL, links would start with https:// and the first
    allowed name, not the plain-http port the stack serves on (docs/security.md)."""
    env = interpolate(compose["services"]["web"]["environment"], {"DJANGO_SECRET_KEY": "k"})
    site = env["DJANGO_SITE_URL"]
    assert site == "http://localhost:8000"
    assert site.split("//")[1].split(":")[0] in env["DJANGO_ALLOWED_HOSTS"].split(",")
    published = interpolate(compose["services"]["web"]["ports"][0], {})
    assert published.split("-")[0] == site.rsplit(":", 1)[1]
