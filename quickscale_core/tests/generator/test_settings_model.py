"""The settings model: a project's settings.py from the components' manifests, as data.

A project with every module, on each theme, gets a settings.py a Django professional
would write by hand (short, each name assigned once, nothing moved around by index);
the middleware order is computed from the manifests' constraints, and a conflict is one
located error of ``quickscale validate``.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gen_support import config, write_config
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog
from quickscale_toolchain.catalog import Entry
from quickscale_toolchain.errors import ConfigError
from quickscale_toolchain.generator import settings_model
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.wiring import ModuleChoice
from quickscale_toolchain.manifest import parse_manifest

ROOT = monorepo_root()
CLI = str(Path(sys.executable).with_name("quickscale"))
AUTH_MW = "django.contrib.auth.middleware.AuthenticationMiddleware"
MAX_LINES = 84


def every_module(theme: str) -> dict[str, str]:
    source = catalog.from_directory(ROOT, "checkout")
    modules = tuple(ModuleChoice(m) for m in source.modules)
    files = render_project(ProjectSpec("acme", theme=theme, modules=modules, catalog=source))
    return {path: f.content.decode() for path, f in files.items()}


def settings_modules(files: dict[str, str]) -> dict[str, str]:
    """settings.py and every generated module of the project that it imports."""
    found = {"acme/settings.py": files["acme/settings.py"]}
    for node in ast.walk(ast.parse(files["acme/settings.py"])):
        if isinstance(node, ast.ImportFrom) and node.module == "acme":
            found |= {f"acme/{a.name}.py": files[f"acme/{a.name}.py"] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("acme."):
            path = node.module.replace(".", "/") + ".py"  # type: ignore[union-attr]
            found[path] = files[path]
    return found


def assigned_names(tree: ast.Module) -> list[str]:
    """Every name a module-level statement (in if/for blocks too) assigns."""
    names = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                    names.append(name.id)
    return names


@pytest.fixture(scope="module", params=["starter", "todo"])
def rendered(request: pytest.FixtureRequest) -> dict[str, str]:
    return every_module(request.param)


def test_every_module_settings_py_is_short_and_plain(rendered: dict[str, str]) -> None:
    modules = settings_modules(rendered)
    assert "acme/component_settings.py" in modules  # what the manifests declare
    lines = len(rendered["acme/settings.py"].splitlines())
    assert lines <= MAX_LINES, f"settings.py has {lines} lines"
    for path, text in modules.items():
        tree = ast.parse(text)
        names = assigned_names(tree)
        twice = sorted({n for n in names if names.count(n) > 1})
        assert twice == [], f"{path} assigns {twice} more than once"
        for banned in ("globals(", "insert(", ".remove(", "exec(", "setattr("):
            assert banned not in text, f"{path} has {banned}"
        stars = [
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
        ]
        assert stars == (["quickscale_core.settings"] if path == "acme/settings.py" else [])


def test_each_option_of_quickscale_yml_is_a_plain_assignment(rendered: dict[str, str]) -> None:
    settings = rendered["acme/settings.py"]
    for line in (
        'QUICKSCALE_BACKUP_KEEP = env.int("QUICKSCALE_BACKUP_KEEP", default=14)',
        "QUICKSCALE_BACKUP_HOUR = 3",
        'QUICKSCALE_BACKUP_PROVIDER = "local"',
        "QUICKSCALE_ANALYTICS_PAGE_VIEWS = True",
        'QUICKSCALE_EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="sendgrid")',
        'LOGIN_URL = "account_login"',
    ):
        assert f"\n{line}" in settings, line


EXPECTED_MIDDLEWARE = [
    "quickscale_core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "quickscale_core.site.SiteURLMiddleware",
    "quickscale_core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    AUTH_MW,
    "quickscale_modules.admin.audit.AuditMiddleware",
    "quickscale_modules.admin.middleware.AdminPolicyMiddleware",
    "quickscale_modules.analytics.middleware.PageViewMiddleware",
    "quickscale_core.i18n.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",  # and no django-axes: auth replaces it
]


def listed(items: list[settings_model.Item]) -> list[str]:
    """The list the items make, core's groups (``*NAME``) spread."""
    groups = {**settings_model.APP_GROUPS, **settings_model.MIDDLEWARE_GROUPS}
    out: list[str] = []
    for item in items:
        code = item.code
        out += list(groups[code[1:]]) if code.startswith("*") else [ast.literal_eval(code)]
    return out


def test_the_middleware_of_every_module_is_in_the_expected_order() -> None:
    source = catalog.from_directory(ROOT, "checkout")
    entries = source.resolve("todo", source.modules)
    assert listed(settings_model.middleware(entries)) == EXPECTED_MIDDLEWARE
    apps = listed(settings_model.installed_apps(entries, "acme"))
    assert apps.index("unfold") == apps.index("django.contrib.admin") - 1
    assert "axes" not in apps and apps[-1] == "acme"


def module(name: str, settings: str, requires: str = "") -> Entry:
    text = (
        f'[project]\nname = "{name}"\nversion = "0.1.0"\n'
        f'[tool.quickscale]\nkind = "module"\nname = "{name}"\n{requires}'
        f"[tool.quickscale.settings]\n{settings}"
    )
    return Entry(parse_manifest(text, f"quickscale_modules/{name}/pyproject.toml"))


def mw(name: str, after: str = "", before: str = "") -> str:
    where = f', after = "{after}"' if after else ""
    where += f', before = "{before}"' if before else ""
    return f'{{ name = "{name}"{where} }}'


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        # after a core middleware: right after it, before core's next one
        ({"a": [mw("a.A", after=AUTH_MW)]}, [AUTH_MW, "a.A", EXPECTED_MIDDLEWARE[14]]),
        # before one: right before it
        ({"a": [mw("a.A", before=AUTH_MW)]}, [EXPECTED_MIDDLEWARE[9], "a.A", AUTH_MW]),
        # two after the same: in declaration order (wiring order, then the manifest's)
        (
            {"a": [mw("a.A", after=AUTH_MW)], "b": [mw("b.B", after=AUTH_MW)]},
            [AUTH_MW, "a.A", "b.B"],
        ),
        # after another component's, declared later in wiring order
        (
            {"a": [mw("a.A", after="b.B")], "b": [mw("b.B", after=AUTH_MW)]},
            [AUTH_MW, "b.B", "a.A"],
        ),
        # between two: after one and before the other
        (
            {"a": [mw("a.A", after=AUTH_MW, before="b.B")], "b": [mw("b.B", after=AUTH_MW)]},
            [AUTH_MW, "a.A", "b.B"],
        ),
        # no constraint: last
        ({"a": [mw("a.A")]}, ["axes.middleware.AxesMiddleware", "a.A"]),
    ],
)
def test_the_order_follows_the_declared_constraints(
    declared: dict[str, list[str]], expected: list[str]
) -> None:
    entries = [module(n, f"middleware = [{', '.join(m)}]\n") for n, m in declared.items()]
    order = listed(settings_model.middleware(entries))
    at = order.index(expected[0])
    assert order[at : at + len(expected)] == expected
    assert listed(settings_model.middleware(entries)) == order  # the same every time


@pytest.mark.parametrize(
    ("declared", "words"),
    [
        (
            {"a": [mw("a.A", after="nobody.Middleware")]},
            "quickscale_modules/a/pyproject.toml: settings.middleware.0.after: "
            "'nobody.Middleware' is no middleware of core or of an enabled component",
        ),
        (
            {"a": [mw("a.A", before="axes.middleware.AxesMiddleware")]},
            "is no middleware",  # replaced by another component: nobody provides it
        ),
        (
            {"a": [mw("a.A", after="b.B")], "b": [mw("b.B", after="a.A")]},
            "settings.middleware.0: the middleware order has a cycle",
        ),
        (
            {"a": [mw("a.A", after=AUTH_MW, before="django.middleware.csrf.CsrfViewMiddleware")]},
            "the middleware order has a cycle",  # csrf comes before auth in core's order
        ),
    ],
)
def test_a_conflict_is_one_error_naming_the_manifest_and_key(
    declared: dict[str, list[str]], words: str
) -> None:
    entries = [module(n, f"middleware = [{', '.join(m)}]\n") for n, m in declared.items()]
    if "AxesMiddleware" in str(declared):  # a login module replaced core's django-axes
        replaces = 'replaces = ["axes", "axes.middleware.AxesMiddleware"]\n'
        entries.insert(0, module("login", replaces))
    with pytest.raises(ConfigError) as raised:
        settings_model.middleware(entries)
    assert words in raised.value.message
    assert "\n" not in raised.value.message and raised.value.hint


def test_validate_names_the_embedded_manifest_whose_middleware_nobody_provides(
    tmp_path: Path,
) -> None:
    """The real CLI on a project folder whose embedded admin module was edited."""
    for prefix in ("quickscale_themes/starter", "quickscale_modules/admin"):
        shutil.copytree(ROOT / prefix, tmp_path / prefix, ignore=shutil.ignore_patterns("tests"))
    manifest = tmp_path / "quickscale_modules/admin/pyproject.toml"
    text = manifest.read_text()
    manifest.write_text(text.replace(f'after = "{AUTH_MW}"', 'after = "gone.Middleware"', 1))
    (tmp_path / "quickscale.yml").write_text(
        "schema_version: 2\nproject:\n  name: acme\n  version: 0.1.0\n"
        "theme: starter\nmodules:\n  admin: {}\n"
    )
    done = subprocess.run(
        [CLI, "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0, done.stdout + done.stderr
    [line] = [x for x in done.stdout.splitlines() if "error:" in x]
    assert line.startswith("quickscale.yml:7:")  # at modules.admin
    assert "quickscale_modules/admin/pyproject.toml: settings.middleware.0.after:" in line
    assert "'gone.Middleware' is no middleware of core or of an enabled component" in line
    assert " — name one of: " in line


def test_the_catalog_s_order_does_not_change_the_result() -> None:
    """Each middleware lands by its own constraints, whatever the order of the others."""
    one = module("a", f"middleware = [{mw('a.A', after=AUTH_MW)}]\n")
    two = module("b", f"middleware = [{mw('b.B', before=AUTH_MW)}]\n")
    first = listed(settings_model.middleware([one, two]))
    second = listed(settings_model.middleware([two, one]))
    assert first == second


#: The last line generation writes: a user's settings under it never touch a generated line.
ANCHOR = "# Your own settings go below this line: generation never writes under it.\n"


def test_a_users_edit_of_settings_py_survives_enabling_another_module(
    initialized_project: Path, project_env: Callable[..., dict[str, str]]
) -> None:
    """settings.py is plain assignments, so the 3-way merge of the next generate keeps a
    changed option and an added setting while it adds a module's lines."""
    project = initialized_project
    env = project_env(GIT_AUTHOR_NAME="u", GIT_AUTHOR_EMAIL="u@x", GIT_COMMITTER_NAME="u")
    env["GIT_COMMITTER_EMAIL"] = "u@x"
    data = config()

    def generate_with(modules: dict[str, dict[str, Any]]) -> None:
        data["modules"] = modules
        write_config(project, data)
        done = subprocess.run(
            [CLI, "generate", "--no-migrations"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    generate_with({"backup": {}})
    settings = project / "acme/settings.py"
    generated = 'QUICKSCALE_BACKUP_KEEP = env.int("QUICKSCALE_BACKUP_KEEP", default=14)'
    mine = "QUICKSCALE_BACKUP_KEEP = 30  # ours: a month of nightly backups"
    added = "QUICKSCALE_LOGIN_FAILURE_LIMIT = 3"
    text = settings.read_text().replace(generated, mine)
    text = text.replace(
        'AUTH_USER_MODEL = "acme.User"\n', f'AUTH_USER_MODEL = "acme.User"\n{added}\n'
    )
    # Appended at the end, right under the last generated lines (backup's hour).
    last = "SESSION_COOKIE_AGE = 3600  # ours, at the end"
    assert text.endswith("QUICKSCALE_BACKUP_HOUR = 3\n\n" + ANCHOR)
    settings.write_text(f"{text}{last}\n")
    subprocess.run(["git", "commit", "-qam", "our settings"], cwd=project, env=env, check=True)

    # The new modules' lines land right under backup's, as the user's line did.
    generate_with({"backup": {}, "analytics": {"retention_days": 90}, "notifications": {}})
    text = settings.read_text()
    assert mine in text and generated not in text
    assert f"\n{added}\n" in text
    provider = 'QUICKSCALE_EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="sendgrid")'
    assert text.endswith(f"{provider}\n\n{ANCHOR}{last}\n")
    assert "default=90)" in text  # the new module's option and middleware, merged in
    assert '"quickscale_modules.analytics.middleware.PageViewMiddleware",' in text
    assert "<<<<<<<" not in text


def test_an_app_placed_before_an_app_nobody_installs_is_one_error() -> None:
    entry = module("skin", 'apps = [{ name = "skin", before = "django.contrib.flatpages" }]\n')
    with pytest.raises(ConfigError) as raised:
        settings_model.installed_apps([entry], "acme")
    assert raised.value.message.startswith(
        "quickscale_modules/skin/pyproject.toml: settings.apps.0.before: "
        "'django.contrib.flatpages' is no app of core or of an enabled component"
    )


SWITCH = (
    'options.beta = { setting = "QUICKSCALE_BETA", apps = ["beta.app"], '
    f"middleware = [{mw('beta.Middleware', after=AUTH_MW)}] }}\n"
    '[tool.quickscale.options.beta]\ntype = "boolean"\ndefault = false\n'
)


@pytest.mark.parametrize(
    ("chosen", "assigned", "brought"),
    [
        ({}, {}, False),  # left out: at its default, nothing written, nothing installed
        ({"beta": False}, {}, False),  # set to its default: the same
        ({"beta": True}, {"QUICKSCALE_BETA": "True"}, True),
    ],
)
def test_a_feature_switch_writes_and_installs_only_when_set_on(
    chosen: dict[str, Any], assigned: dict[str, str], brought: bool
) -> None:
    """An option with apps or middleware is a feature off by default: a project that
    does not turn it on gets a settings.py without a line of it."""
    entries = settings_model.switched_on([module("beta", SWITCH)], {"beta": chosen})
    rows = settings_model.assignments(entries, {"beta": chosen}, {}, "acme", "Acme")
    assert {row.name: row.code for _, r in rows for row in r} == assigned
    apps = listed(settings_model.installed_apps(entries, "acme"))
    order = listed(settings_model.middleware(entries))
    assert ("beta.app" in apps) is brought
    assert (order[order.index(AUTH_MW) + 1] == "beta.Middleware") is brought


@pytest.mark.parametrize(
    ("top", "staging", "error"),
    [
        ("{sessions: true}", "{sessions: true}", ""),  # the same: fine
        ("{}", "{sessions: false}", ""),  # its default, as at the top
        ("{}", "{sessions: true}", "quickscale.yml:11:24: error: environments.staging."),
        ("{sessions: true}", "{sessions: false}", "quickscale.yml:11:24: error: "),
    ],
)
def test_a_feature_switch_is_the_same_in_every_environment(
    top: str, staging: str, error: str
) -> None:
    """Its apps, and so the tables, cannot differ per environment: validate says where."""
    from quickscale_toolchain.config import validate_text

    text = (
        "schema_version: 2\nproject:\n  name: acme\n  version: 0.1.0\ntheme: starter\n"
        f"modules:\n  auth: {top}\nenvironments:\n  staging:\n    modules:\n"
        f"      auth: {staging}\n"
    )
    source = catalog.from_directory(ROOT, "checkout")
    found = [d.format() for d in validate_text(text, components=source).diagnostics if d.is_error]
    assert len(found) == (1 if error else 0), found
    if error:
        assert found[0].startswith(error), found[0]
        assert "'sessions' of module 'auth' turns a feature on or off" in found[0]
        assert found[0].endswith("— set it under 'modules: auth:' and remove it here")
