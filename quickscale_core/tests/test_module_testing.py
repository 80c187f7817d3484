"""Test support: ``unavailable`` skips a test locally and fails it in CI when a real
component is missing, and every component's test project gets its middleware from one place."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from quickscale_testing.modules import BASE_MIDDLEWARE, middleware
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.components import embedded

PROBE = """
from quickscale_testing.modules import unavailable

def test_needs_a_server():
    unavailable("no frobnicator at /usr/bin/frob (apt-get install frob)")
"""


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 failed")])
def test_a_missing_component_is_skipped_locally_and_fails_in_ci(
    tmp_path: Path, ci: str, outcome: str
) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci else {})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert outcome in done.stdout, done.stdout
    assert "no frobnicator at /usr/bin/frob (apt-get install frob)" in done.stdout
    if ci:
        assert "CI must provide it" in done.stdout


# --- the middleware of the components' test projects ---------------------------------------

ADMIN = ["admin.audit.AuditMiddleware", "admin.middleware.AdminPolicyMiddleware"]
AUTH = "django.contrib.auth.middleware.AuthenticationMiddleware"
MESSAGES = "django.contrib.messages.middleware.MessageMiddleware"
XFRAME = "django.middleware.clickjacking.XFrameOptionsMiddleware"
ALLAUTH = "allauth.account.middleware.AccountMiddleware"


@pytest.mark.parametrize(
    ("arguments", "around"),
    [
        ({}, {AUTH: MESSAGES, XFRAME: None}),
        ({"after_authentication": ADMIN}, {AUTH: ADMIN[0], ADMIN[1]: MESSAGES}),
        ({"last": [ALLAUTH]}, {XFRAME: ALLAUTH, ALLAUTH: None}),
    ],
)
def test_a_component_s_middleware_goes_where_its_settings_snippet_puts_it(
    arguments: dict[str, list[str]], around: dict[str, str | None]
) -> None:
    names = middleware(**arguments)
    assert len(set(names)) == len(names) and "csp.middleware.CSPMiddleware" not in names
    for name, following in around.items():
        at = names.index(name)
        assert (names[at + 1] if at + 1 < len(names) else None) == following, names
    assert middleware(csp=True)[1] == "csp.middleware.CSPMiddleware"


def test_the_base_middleware_is_in_a_generated_project_s_order() -> None:
    """Core's middleware as data (quickscale_core.stack, which its settings use)."""
    from quickscale_core import stack

    project = stack.MIDDLEWARE
    assert [name for name in project if name in BASE_MIDDLEWARE] == BASE_MIDDLEWARE


def test_every_component_s_test_settings_take_their_middleware_from_one_place() -> None:
    """Each component's tests/settings.py that has middleware calls middleware(): the
    list and its order are written once, in quickscale_testing.modules."""
    root = monorepo_root()
    checked = []
    for component in embedded(root):
        settings = root / component.prefix / "tests" / "settings.py"
        if not settings.exists():
            continue
        for node in ast.parse(settings.read_text("utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "MIDDLEWARE" for t in targets):
                assert isinstance(node.value, ast.Call), component.prefix
                assert ast.unparse(node.value.func) == "middleware", component.prefix
                checked.append(component.prefix)
    assert len(checked) >= 7, checked
