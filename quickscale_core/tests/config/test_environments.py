"""`environments:` in schema 2: overrides only, located errors, the effective config."""

from __future__ import annotations

from pathlib import Path

import pytest
from quickscale_toolchain.config import load_config, validate_text
from quickscale_toolchain.config.environments import config_hash, effective_data

BASE = """\
schema_version: 2
project:
  name: acme
modules:
  notifications:
"""

ENVIRONMENTS = """\
environments:
  staging:
    domain: staging.acme.com
    deploy:
      target: fly
      app: acme-staging
    modules:
      notifications: {provider: console}
  production:
    frontend: {variant: client_a}
    domain: www.acme.com
    allowed_hosts: [www.acme.com, acme.com]
    deploy: {target: compose, host: "ssh://deploy@203.0.113.7", acme_email: ops@acme.com}
    processes: {web: 3, worker: 2}
    modules:
      notifications: {provider: postmark}
"""


def errors(text: str, project_dir: Path | None = None) -> list[str]:
    result = validate_text(text, project_dir=project_dir)
    return [d.format() for d in result.diagnostics if d.is_error]


def test_a_file_without_environments_stays_valid_and_has_none(project: Path):
    path = project / "quickscale.yml"
    path.write_text(BASE)
    assert load_config(path).environments == {}


def test_every_override_is_typed(project: Path):
    path = project / "quickscale.yml"
    path.write_text(BASE + ENVIRONMENTS)
    config = load_config(path)
    assert list(config.environments) == ["staging", "production"]
    production = config.environments["production"]
    assert production.variant == "client_a"
    assert production.hosts == ("www.acme.com", "acme.com")
    assert (production.target, dict(production.deploy)) == (
        "compose",
        {"host": "ssh://deploy@203.0.113.7", "acme_email": "ops@acme.com"},
    )
    assert (production.web, production.worker) == (3, 2)
    assert dict(production.modules["notifications"]) == {"provider": "postmark"}
    staging = config.environments["staging"]
    # Fly serves the app at <app>.fly.dev too, so it is allowed as a host.
    assert staging.hosts == ("staging.acme.com", "acme-staging.fly.dev")
    assert (staging.web, staging.worker) == (1, 0)
    assert staging.variant is None and staging.target == "fly"


def test_the_effective_config_is_the_top_level_with_the_overrides(project: Path):
    import yaml

    data = yaml.safe_load(BASE + "frontend: {source: ./custom_frontend/}\n" + ENVIRONMENTS)
    production = effective_data(data, "production")
    assert production["frontend"] == {"source": "./custom_frontend/", "variant": "client_a"}
    assert production["modules"] == {"notifications": {"provider": "postmark"}}
    assert production["environment"]["processes"] == {"web": 3, "worker": 2}
    assert "environments" not in production
    assert effective_data(data, "staging")["modules"] == {"notifications": {"provider": "console"}}
    # The hash is of the content, not of the key order.
    reordered = dict(reversed(list(production.items())))
    assert config_hash(reordered) == config_hash(production)
    assert config_hash(production) != config_hash(effective_data(data, "staging"))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "  production:\n    secret_key: abc\n",
            "quickscale.yml:8:5: error: environments.production.secret_key: unknown key "
            "'secret_key' in 'environments.production' — secrets never go in quickscale.yml",
        ),
        (
            "  Prod:\n",
            "quickscale.yml:7:3: error: environments.Prod: 'Prod' is not an environment name",
        ),
        (
            "  production:\n    modules: {auth: }\n",
            "quickscale.yml:8:15: error: environments.production.modules.auth: module 'auth' "
            "is not enabled in 'modules:'",
        ),
        (
            "  production:\n    modules: {notifications: {provider: nope}}\n",
            "quickscale.yml:8:41: error: environments.production.modules.notifications.provider: "
            "'nope' is not a valid provider for module 'notifications'",
        ),
        (
            "  production:\n    domain: www.acme.com\n    deploy: {target: fly}\n",
            "quickscale.yml:9:5: error: environments.production.deploy.app: target 'fly' "
            "needs 'app'",
        ),
        (
            "  production:\n    domain: www.acme.com\n"
            "    deploy: {target: fly, app: acme-web, host: 'ssh://x'}\n",
            "quickscale.yml:9:42: error: environments.production.deploy.host: 'host' is an "
            "option of target 'compose', not 'fly'",
        ),
        (
            "  production:\n    deploy: {target: compose, host: 'ssh://root@vps'}\n",
            "quickscale.yml:8:13: error: environments.production.deploy: target 'compose' "
            "needs the environment's 'domain'",
        ),
        (
            "  production:\n    processes: {web: 0}\n",
            "quickscale.yml:8:22: error: environments.production.processes.web: 0 is out of range",
        ),
        (
            "  production:\n    frontend: {source: ./elsewhere/}\n",
            "quickscale.yml:8:16: error: environments.production.frontend.source: unknown key",
        ),
        (
            "  production:\n    domain: https://acme.com\n",
            "quickscale.yml:8:13: error: environments.production.domain: 'https://acme.com' is "
            "not a domain name",
        ),
    ],
)
def test_each_problem_is_a_located_error(entry: str, expected: str):
    found = errors(BASE + "environments:\n" + entry)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found[0]


def test_a_variant_must_exist_when_the_filesystem_is_checked(project: Path):
    text = BASE + "environments:\n  production:\n    frontend: {variant: client_b}\n"
    assert errors(text) == []
    (found,) = errors(text, project)
    assert "environments.production.frontend.variant: variant 'client_b' has no directory" in found
    assert "choose one of: client_a, default" in found


def test_environments_are_not_part_of_schema_1():
    text = "schema_version: 1\nproject: {name: acme}\nenvironments:\n  production:\n"
    (found,) = errors(text)
    assert "environments: unknown key 'environments' at the top level" in found
