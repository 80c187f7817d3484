"""An option whose value names keys (the auth module's `social` providers): each key
named in quickscale.yml, and only those, adds its app to INSTALLED_APPS, its variables to
.env.example and to deploy's preflight, and its origins to the Content-Security-Policy.

Read from the auth module's real manifest, as a project with that module gets it.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog
from quickscale_toolchain.config.environments import EnvironmentConfig
from quickscale_toolchain.deploy.environment import Environment
from quickscale_toolchain.deploy.preflight import required_variables
from quickscale_toolchain.generator import settings_model
from quickscale_toolchain.generator.wiring import Wiring

ROOT = monorepo_root()
SOCIAL_APPS = "allauth.socialaccount"
GITHUB = ("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET")
GOOGLE = ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")
OIDC = ("OPENID_CONNECT_CLIENT_ID", "OPENID_CONNECT_CLIENT_SECRET")


def auth_entry() -> Any:
    source = catalog.from_directory(ROOT, "checkout")
    return next(e for e in source.resolve("starter", ["auth"]) if e.component.name == "auth")


CASES = [
    # left out, or empty: the project is as without social login
    pytest.param(None, [], [], {}, id="absent"),
    pytest.param({}, [], [], {}, id="empty"),
    pytest.param(
        {"github": {"scope": ["user:email"]}},
        [SOCIAL_APPS, "allauth.socialaccount.providers.github"],
        [GITHUB],
        {"form-action": ["https://github.com"]},
        id="github",
    ),
    pytest.param(
        {"google": None, "github": {}},
        [
            SOCIAL_APPS,
            "allauth.socialaccount.providers.google",
            "allauth.socialaccount.providers.github",
        ],
        [GOOGLE, GITHUB],
        {"form-action": ["https://accounts.google.com", "https://github.com"]},
        id="google-github",
    ),
    # an OpenID Connect server: its issuer's origin (path and all else dropped)
    pytest.param(
        {"openid_connect": {"server_url": "https://ID.example.com:8443/realms/acme"}},
        [SOCIAL_APPS, "allauth.socialaccount.providers.openid_connect"],
        [OIDC],
        {"form-action": ["https://id.example.com:8443"]},
        id="openid_connect",
    ),
    # Apple's app needs its team id and private key too (keys.env-of)
    pytest.param(
        {"apple": {}},
        [SOCIAL_APPS, "allauth.socialaccount.providers.apple"],
        [("APPLE_CLIENT_ID", "APPLE_CLIENT_SECRET", "APPLE_KEY", "APPLE_CERTIFICATE_KEY")],
        {"form-action": ["https://appleid.apple.com"]},
        id="apple",
    ),
    # a provider without declared origins (validate refuses okta) adds none, nor another's
    pytest.param(
        {"okta": {}},
        [SOCIAL_APPS, "allauth.socialaccount.providers.okta"],
        [("OKTA_CLIENT_ID", "OKTA_CLIENT_SECRET")],
        {},
        id="okta",
    ),
]


@pytest.mark.parametrize(("social", "apps", "variables", "csp"), CASES)
def test_each_named_provider_brings_its_app_variables_and_origins(
    social: dict[str, Any] | None,
    apps: list[str],
    variables: list[tuple[str, ...]],
    csp: dict[str, list[str]],
) -> None:
    entry = auth_entry()
    options = {} if social is None else {"social": social}
    entries = settings_model.switched_on([entry], {"auth": options})
    items = settings_model.installed_apps(entries, "acme")
    installed = [ast.literal_eval(i.code) for i in items if not i.code.startswith("*")]
    added = [a for a in installed if a.startswith("allauth.socialaccount")]
    assert added == apps

    rows = settings_model.assignments([entry], {"auth": options}, {}, "acme", "Acme")
    written = {row.name: row.code for _, r in rows for row in r}
    assert ("QUICKSCALE_AUTH_SOCIAL" in written) is bool(social)

    wiring = Wiring((entry,), {"auth": None}, {"auth": options})
    named = [(row[1], row[2]) for row in wiring.env_vars() if row[0] == "auth"]
    assert named == list(zip(social or {}, variables, strict=True))
    assert {d: [s for s, _ in row] for d, row in wiring.csp_sources()} == csp

    env = Environment(
        ROOT,
        "acme",
        EnvironmentConfig(name="production", target="compose"),
        {"theme": "starter"},
        {"auth": (None, options)},
    )
    needed = [name for name, who in required_variables(env, {}) if "social" in who]
    assert needed == [name for group in variables for name in group]


def test_the_preflight_names_the_provider_that_needs_a_variable() -> None:
    env = Environment(
        ROOT,
        "acme",
        EnvironmentConfig(name="production", target="compose"),
        {"theme": "starter"},
        {"auth": (None, {"social": {"github": {}}})},
    )
    assert ("GITHUB_CLIENT_SECRET", "modules/auth (social: github)") in required_variables(env, {})


def test_an_origin_a_key_declares_is_checked_like_any_csp_source(tmp_path: Path) -> None:
    from quickscale_toolchain.manifest import ManifestError, parse_manifest

    text = (
        '[project]\nname = "x"\nversion = "0.1.0"\n'
        '[tool.quickscale]\nkind = "module"\nname = "x"\n'
        "[tool.quickscale.settings]\n"
        'options.login.setting = "X_LOGIN"\n'
        'options.login.apps = ["x.login"]\n'
        'options.login.keys.csp.acme = { form-action = ["https://*.acme.example"] }\n'
    )
    with pytest.raises(ManifestError) as raised:
        parse_manifest(text, "quickscale_modules/x/pyproject.toml")
    assert "settings.options.login.keys.csp.acme.form-action" in raised.value.message
    assert "wildcard" in raised.value.message


def test_a_project_with_social_login_gets_it_in_its_generated_files() -> None:
    """The pieces above, through the templates: settings.py, the CSP origins of
    component_settings.py, requirements.txt and .env.example."""
    from quickscale_toolchain.generator.context import ProjectSpec
    from quickscale_toolchain.generator.project_files import render_project
    from quickscale_toolchain.generator.wiring import ModuleChoice

    social = {"github": {}, "openid_connect": {"server_url": "https://id.acme.com/realm"}}
    choice = ModuleChoice("auth", options={"social": social})
    source = catalog.from_directory(ROOT, "checkout")
    files = render_project(ProjectSpec("acme", modules=(choice,), catalog=source))
    text = {name: files[name].content.decode() for name in files}
    settings = ast.parse(text["acme/settings.py"])
    assigned = {
        node.targets[0].id: node.value
        for node in settings.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert ast.literal_eval(assigned["QUICKSCALE_AUTH_SOCIAL"]) == social
    apps = [
        ast.literal_eval(e)
        for e in assigned["INSTALLED_APPS"].elts
        if not isinstance(e, ast.Starred)
    ]
    assert apps[-4:-1] == [
        SOCIAL_APPS,
        "allauth.socialaccount.providers.github",
        "allauth.socialaccount.providers.openid_connect",
    ]
    component = text["acme/component_settings.py"]
    assert '"https://github.com",  # modules/auth' in component
    assert '"https://id.acme.com",  # modules/auth' in component
    assert "https://accounts.google.com" not in component  # only the providers named
    requirements = text["requirements.txt"].splitlines()
    assert {"oauthlib==4.0.1", "PyJWT==2.15.1", "cryptography==50.0.2"} <= set(requirements)
    for name in (*GITHUB, *OIDC):
        assert f"# {name}=" in text[".env.example"]
