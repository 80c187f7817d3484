"""Module combinations: every pair of modules, each on or off, on each theme, gives a
green project.

A strength-2 covering array over the on/off state of every module, computed here from
the manifests: a few configurations in which each pair of modules is seen in all four
states that a valid quickscale.yml allows (a module that requires another, as billing
requires payments, is never on without it). Each configuration, every module in it with
the first example of its manifest, is made by the real CLI on each theme and must pass
its own tests, have no missing migration, and pass
`check --deploy --fail-level WARNING` under production variables. All modules together
also run on PostgreSQL, with every migration applied.

CI runs the covering array. The full product (every on/off state, on each theme) runs on
demand: `QUICKSCALE_SOAK=1 pytest e2e/test_combinations.py`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import clean_env, make_project_env, production_env, run
from quickscale_testing import translations
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog as catalogs
from quickscale_toolchain.manifest import option_keys

CATALOG = catalogs.from_directory(monorepo_root())
MODULES: tuple[str, ...] = tuple(sorted(CATALOG.modules))
THEMES: tuple[str, ...] = tuple(sorted(CATALOG.themes))
SOAK = os.environ.get("QUICKSCALE_SOAK") == "1"

Configuration = frozenset[str]  # the modules switched on
PairState = tuple[str, bool, str, bool]  # (module, on?, other module, on?), names sorted


def required_modules() -> dict[str, frozenset[str]]:
    """Each module's required modules, from its manifest (directly or through others)."""
    return {
        name: frozenset(
            e.component.name
            for e in CATALOG.resolve(THEMES[0], [name])
            if e.component.kind == "modules" and e.component.name != name
        )
        for name in MODULES
    }


REQUIRES = required_modules()


def is_valid(configuration: Configuration) -> bool:
    """Whether every module switched on has what it requires switched on too."""
    return all(REQUIRES[name] <= configuration for name in configuration)


def pair_states(configuration: Configuration) -> set[PairState]:
    return {
        (first, first in configuration, second, second in configuration)
        for first, second in itertools.combinations(MODULES, 2)
    }


def full_product() -> list[Configuration]:
    """Every on/off state of the modules, the invalid ones included."""
    return [
        frozenset(m for m, on in zip(MODULES, states, strict=True) if on)
        for states in itertools.product((False, True), repeat=len(MODULES))
    ]


def covering_array() -> list[Configuration]:
    """Greedy: take the valid configuration that covers the most pair states not yet
    covered (the fewer modules, the cheaper its project, on a tie) until all are."""
    candidates = [c for c in full_product() if is_valid(c)]
    uncovered = set().union(*(pair_states(c) for c in candidates))
    rows: list[Configuration] = []
    while uncovered:
        best = max(candidates, key=lambda c: (len(pair_states(c) & uncovered), -len(c)))
        rows.append(best)
        uncovered -= pair_states(best)
    return rows


ROWS = covering_array()


def test_the_rows_cover_every_pair_of_modules_in_every_valid_state() -> None:
    valid = [c for c in full_product() if is_valid(c)]
    required = set().union(*(pair_states(c) for c in valid))
    covered = set().union(*(pair_states(c) for c in ROWS))
    assert required <= covered
    assert all(is_valid(row) for row in ROWS)
    # Every pair in all four states, but for a module on without what it requires.
    impossible = {
        (a, a_on, b, b_on)
        for a, b in itertools.combinations(MODULES, 2)
        for a_on, b_on in itertools.product((False, True), repeat=2)
        if (a_on and not b_on and b in REQUIRES[a]) or (b_on and not a_on and a in REQUIRES[b])
    }
    assert len(required) == 4 * len(MODULES) * (len(MODULES) - 1) // 2 - len(impossible)
    assert REQUIRES["billing"] == {"payments"}  # the constraint the array honours
    assert len(ROWS) <= 8


def _label(modules: Iterable[str]) -> str:
    return "+".join(sorted(modules)) or "none"


CI_CASES = [pytest.param(t, row, id=f"{t}-{_label(row)}") for t in THEMES for row in ROWS]
# Every module at once, on the theme test_every_module_together_on_postgresql leaves out:
# the covering array needs no row with all seven, and settings.py is longest there.
CI_CASES.append(pytest.param("starter", frozenset(MODULES), id="starter-every-module"))
# The full product exists only on demand (make soak): never collected as 256 skips in CI.
SOAK_CASES = (
    [pytest.param(t, row, id=f"soak-{t}-{_label(row)}") for t in THEMES for row in full_product()]
    if SOAK
    else []
)


def module_entry(name: str) -> dict[str, Any]:
    """The module's entry in quickscale.yml: the first example of its manifest (reading
    the manifest checks each example against the module's options), else empty."""
    manifest = CATALOG.get(f"modules/{name}").manifest  # type: ignore[union-attr]
    return dict(manifest.examples[0].options) if manifest.examples else {}


def entries(modules: Iterable[str], **chosen: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """quickscale.yml's ``modules:`` for ``modules``; ``chosen`` replaces some entries."""
    return {name: chosen.get(name, module_entry(name)) for name in sorted(modules)}


# Production stand-ins for provider variables whose format a module checks; any other
# variable a provider needs gets a placeholder.
PRODUCTION_VALUES = {
    "STRIPE_SECRET_KEY": "sk_test_51QuickScaleCombinations00000000",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_51QuickScaleCombinations00000000",
    "STRIPE_WEBHOOK_SECRET": "whsec_quickscale_combinations",
}


def provider_variables(theme: str, modules: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """A production value for each variable the embedded modules need: their providers'
    (the chosen provider, else the default; a module another requires included), and
    those each key of a keyed option names (the manifest's ``keys.env``: social login's
    GOOGLE_CLIENT_ID and the like for each provider listed)."""
    names: list[str] = []
    for entry in CATALOG.resolve(theme, list(modules)):
        options = modules.get(entry.component.name, {})
        provider = entry.manifest.provider(options.get("provider"))
        names += provider.env if provider else ()
        for option, keyed in entry.manifest.settings_data.keyed.items():
            names += keyed.variables(option_keys(options.get(option)))
    return {name: PRODUCTION_VALUES.get(name, "combinations-placeholder") for name in names}


def generate(
    work: Path, quickscale_bin: str, source: Path, theme: str, modules: Mapping[str, Any]
) -> Path:
    """init with ``theme``, ``modules`` written to quickscale.yml and committed, generate."""
    env = clean_env(QUICKSCALE_SOURCE=str(source))
    run([quickscale_bin, "init", "combo", "--theme", theme], cwd=work, env=env)
    project = work / "combo"
    config_file = project / "quickscale.yml"
    config = yaml.safe_load(config_file.read_text())
    assert config["schema_version"] == 2
    if modules:
        config["modules"] = dict(modules)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    run(["git", "commit", "-qam", f"Modules: {_label(modules)}"], cwd=project)
    run([quickscale_bin, "generate", "--no-migrations"], cwd=project, env=env)
    return project


# makemigrations --check and check --deploy in one process (one start-up of Django
# instead of two), each as `manage.py` runs it: a SystemExit or an error fails it.
MANAGE_CHECKS = (
    "from django.core.management import call_command as run; "
    "run('makemigrations', '--check', '--dry-run'); "
    "run('check', '--deploy', '--fail-level', 'WARNING')"
)


def assert_green(project: Path, variables: Mapping[str, str], database_url: str = "") -> None:
    """Its own tests pass (warnings are errors); under production variables no
    migration is missing and `check --deploy --fail-level WARNING` finds nothing.

    The test database is made from the models (pytest-django's --no-migrations):
    applying dj-stripe's hundred migrations takes one to two minutes per project on
    SQLite. makemigrations --check proves the migrations match the models, and the
    PostgreSQL run applies every migration of every module."""
    database = {"DATABASE_URL": database_url} if database_url else {}
    python = str(project / ".venv" / "bin" / "python")
    pytest_args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", "--no-migrations"]
    result = run([python, *pytest_args], project, clean_env(**database))
    assert " passed" in result.stdout and "failed" not in result.stdout
    (project / ".env").rename(project / ".env.off")  # production reads real variables only
    try:
        shell = [python, "manage.py", "shell", "-c", MANAGE_CHECKS]
        done = run(shell, project, production_env(**variables, **database))
        assert "No changes detected" in done.stdout and "no issues" in done.stdout
    finally:
        (project / ".env.off").rename(project / ".env")


@pytest.mark.parametrize(("theme", "modules"), CI_CASES + SOAK_CASES)
def test_each_combination_gives_a_green_project(
    theme: str,
    modules: Configuration,
    tmp_path: Path,
    quickscale_bin: str,
    source_repo: Path,
    all_modules_venv: Path,
) -> None:
    chosen = entries(modules)
    project = generate(tmp_path, quickscale_bin, source_repo, theme, chosen)
    make_project_env(project)
    assert_green(project, provider_variables(theme, chosen))


# The spec's own example for backup: provider aws is S3 (the bucket comes from the
# environment), schedule daily the nightly run.
SPEC_BACKUP = {"provider": "aws", "schedule": "daily"}


def test_the_spec_s_backup_example_generates(
    tmp_path: Path, quickscale_bin: str, source_repo: Path
) -> None:
    project = generate(tmp_path, quickscale_bin, source_repo, "starter", {"backup": SPEC_BACKUP})
    settings = (project / "combo" / "settings.py").read_text()
    assert 'QUICKSCALE_BACKUP_PROVIDER = "aws"' in settings
    # daily (the only schedule) at the hour the backup app's beat entry reads
    assert "\nQUICKSCALE_BACKUP_HOUR = 3\n" in settings
    for listed in (".env.example", "compose.yaml"):
        assert "QUICKSCALE_BACKUP_S3_BUCKET" in (project / listed).read_text(), listed


def every_example(name: str) -> dict[str, Any]:
    """The module's entry with the options of all its manifest's examples at once."""
    manifest = CATALOG.get(f"modules/{name}").manifest  # type: ignore[union-attr]
    return {key: value for example in manifest.examples for key, value in example.options.items()}


def test_every_module_together_on_postgresql(
    tmp_path: Path,
    quickscale_bin: str,
    source_repo: Path,
    all_modules_venv: Path,
    fresh_database: str,
) -> None:
    """Every module, and every feature of the auth module at once (social login, MFA
    required of staff, session activity): the project's own tests open the admin as a
    staff user with a second factor, and the migrations of allauth's apps apply too."""
    auth = every_example("auth")
    assert {"social", "mfa", "mfa_required", "session_activity"} <= set(auth)
    chosen = entries(MODULES, backup=SPEC_BACKUP, auth=auth)
    project = generate(tmp_path, quickscale_bin, source_repo, "todo", chosen)
    make_project_env(project)
    env = clean_env(DATABASE_URL=fresh_database)
    python = str(project / ".venv" / "bin" / "python")
    migrate = run([python, "manage.py", "migrate", "--noinput"], project, env)
    assert "Applying djstripe" in migrate.stdout and "Applying quickscale_billing" in migrate.stdout
    probe = "from django.db import connection; print(connection.vendor)"
    shell = run([python, "manage.py", "shell", "-c", probe], project, env)
    assert shell.stdout.strip().splitlines()[-1] == "postgresql"
    variables = provider_variables("todo", chosen)
    assert "QUICKSCALE_BACKUP_S3_BUCKET" in variables  # the aws provider's bucket
    assert "GOOGLE_CLIENT_ID" in variables  # a social provider's, from the manifest's keys
    assert_green(project, variables, fresh_database)
    # Every component's catalogue compiles, and makemessages makes the project's own
    # without touching the embedded components' (docs/languages.md's commands).
    assert translations.project_problems(project, Path(python), env) == []
