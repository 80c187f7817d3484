"""What must hold before anything is shipped, checked for real in the project's environment.

Each check runs the project's own tools (its Python, its manage.py, its tests) and
reports one line per problem. Nothing is skipped silently: the project's tests are the
only check that can be turned off (``--skip-tests``), and the report says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quickscale_toolchain.deploy.environment import Environment
from quickscale_toolchain.errors import QuickScaleError

#: What every deployed site needs, whatever its modules (quickscale_core's settings).
CORE_REQUIRED = ("DJANGO_SECRET_KEY",)
#: What each target needs on top: compose runs its own PostgreSQL (its password), Fly
#: attaches a database as DATABASE_URL.
TARGET_REQUIRED = {"compose": ("POSTGRES_PASSWORD",), "fly": ("DATABASE_URL",)}
#: Both targets put exactly one TLS-terminating proxy (Caddy, Fly's edge) before Django.
PROXIES = {"compose": 1, "fly": 1}


@dataclass(frozen=True)
class Check:
    """One preflight check: its name and the problems it found (none: passed)."""

    name: str
    problems: tuple[str, ...] = ()
    skipped: str = ""  # why it did not run

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Preflight:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[str]:
        return [p for c in self.checks for p in c.problems]


class PreflightFailed(QuickScaleError):
    """The preflight found problems; ``report`` has every check, one line per problem."""

    def __init__(self, report: Preflight) -> None:
        count = len(report.problems)
        super().__init__(
            f"preflight failed: {count} problem{'s' if count != 1 else ''}, nothing was deployed",
            "fix each problem listed above and run the deploy again",
        )
        self.report = report


class GeneratedCodeBehind(QuickScaleError):
    """quickscale.yml asks for more than the generated files hold: every later check
    would test the old code (a new environment's settings, a module not embedded)."""

    def __init__(self, behind: str) -> None:
        super().__init__(
            f"the generated code is behind quickscale.yml ({behind})",
            "run 'quickscale generate', then deploy again",
        )


class ToolMissing(QuickScaleError):
    """The target's tool is not installed: nothing could be shipped, dry run or not."""


def generated_behind(pending: Sequence[tuple[str, str]]) -> str:
    """What 'quickscale generate' would still do, in words ("3 files, 1 module to
    embed"), or "" when the generated code matches quickscale.yml.

    ``pending`` is ``quickscale status``'s (path, state) list, so that status and the
    deploy preflight agree: files to write, the records in .quickscale/, the theme
    and module subtrees to embed or remove, and what a stopped generate still owes.
    """
    from quickscale_toolchain.changes import ComponentStatus

    actions = {ComponentStatus.EMBED.value: "to embed", ComponentStatus.REMOVE.value: "to remove"}
    files, records, unfinished = 0, False, False
    components: Counter[tuple[str, str]] = Counter()
    for path, state in pending:
        if state == "records":
            records = True
        elif state == "unfinished":
            unfinished = True
        elif state in actions and path.endswith("/"):
            kind = path.split("/")[0].removeprefix("quickscale_").removesuffix("s")
            components[kind, actions[state]] += 1
        else:
            files += 1
    parts = [_count(files, "file")] if files else []
    parts += [f"{_count(n, kind)} {action}" for (kind, action), n in components.items()]
    if records and not parts:
        parts.append("its records in .quickscale/")
    if unfinished:
        parts.append("the migration or commit of a generate that stopped")
    return ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def require_generated(root: Path) -> None:
    """Stop first when the generated code is behind quickscale.yml: the Django checks
    would otherwise report the old code's symptoms (an environment the settings do not
    know, ALLOWED_HOSTS empty, the proxy count) instead of the one fix, generate."""
    from quickscale_toolchain.generator.status import project_status

    behind = generated_behind(project_status(root, check_migrations=False).pending)
    if behind:
        raise GeneratedCodeBehind(behind)


def require_tool(env: Environment) -> str | None:
    """The target's tool (docker, flyctl), None without a target (check_target says so).

    Stops when the tool is not on PATH, before the checks spend minutes on a machine
    that could not ship anyway; --dry-run too.
    """
    from quickscale_toolchain.deploy.targets import INSTALL, TARGET_TOOL

    target = env.config.target or ""
    tool = TARGET_TOOL.get(target)
    if tool is None or shutil.which(tool):
        return tool
    raise ToolMissing(
        f"target {target} of environment '{env.name}' deploys with '{tool}', which is not "
        "installed (not found on PATH)",
        INSTALL[tool],
    )


def deploy_variables(
    root: Path, name: str, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The variables a deploy of environment ``name`` ships: ``.env.<name>`` beside
    quickscale.yml (git-ignored, never committed), overridden by the process's own."""
    values: dict[str, str] = {}
    path = root / f".env.{name}"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if not text or text.startswith("#") or "=" not in text:
                continue
            key, _, value = text.removeprefix("export ").partition("=")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[key.strip()] = value
    values.update(os.environ if base is None else base)
    return values


def required_variables(
    env: Environment, variables: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(variable, who needs it) for this environment: core, the target, and each enabled
    module's provider as chosen *in this environment* (its manifest's ``env``), and each
    key an option names (social login's providers: ``keys.env``). With an
    external database (DATABASE_URL in ``variables``) compose runs none of its own."""
    from quickscale_toolchain import catalog
    from quickscale_toolchain.manifest import option_keys

    needed: list[tuple[str, str]] = [(name, "quickscale_core") for name in CORE_REQUIRED]
    target = env.config.target or ""
    own = TARGET_REQUIRED.get(target, ())
    if target == "compose" and "DATABASE_URL" in (variables or {}):
        own = ()
    needed += [(name, f"target {target}") for name in own]
    if env.config.worker and target == "fly":  # compose runs its own Redis
        needed.append(("REDIS_URL", "processes.worker"))
    components = catalog.for_project(env.root, None)
    theme = env.effective.get("theme") or components.default_theme() or ""
    for entry in components.resolve(theme, list(env.modules)):
        if entry.component.kind != "modules":
            continue
        chosen, options = env.modules.get(entry.component.name, (None, {}))
        provider = entry.manifest.provider(chosen)
        if provider is not None:
            who = f"{entry.component.id} ({provider.name})"
            needed += [(name, who) for name in provider.env]
        for option, keyed in entry.manifest.settings_data.keyed.items():
            for key in option_keys((options or {}).get(option)):
                who = f"{entry.component.id} ({option}: {key})"
                needed += [(name, who) for name in keyed.variables([key])]
    first: dict[str, str] = {}
    for name, who in needed:
        first.setdefault(name, who)
    return list(first.items())


def project_python(root: Path) -> str:
    from quickscale_toolchain.generator.project_env import project_python as find

    python = find(root)
    if python is None:
        raise QuickScaleError(
            "the project's Python environment was not found (no .venv/, and this Python "
            "cannot import Django)",
            "create it: python -m venv .venv && .venv/bin/pip install -r requirements-dev.txt",
        )
    return python


def _clean_env() -> dict[str, str]:
    """This process's variables without Django's or pytest's: the project picks its own."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}


def _run(args: list[str], root: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=root, env=dict(env), capture_output=True, text=True, check=False
    )


def _last_lines(proc: subprocess.CompletedProcess[str], count: int = 1) -> str:
    lines = [line.strip() for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    return " | ".join(lines[-count:]) or f"exit status {proc.returncode}"


def check_clean(root: Path) -> Check:
    from quickscale_toolchain import git

    status = git.run(["status", "--porcelain", "--untracked-files=normal"], root).stdout
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    if not changed:
        return Check("committed")
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return Check(
        "committed",
        (
            f"uncommitted changes would not be what the record says was deployed: {shown} "
            "— commit them (or git-ignore them) first",
        ),
    )


def check_config(root: Path) -> Check:
    from quickscale_toolchain import catalog, config

    result = config.validate_path(
        root / "quickscale.yml", file="quickscale.yml", components=catalog.for_project(root, None)
    )
    return Check("validate", tuple(d.format() for d in result.diagnostics if d.is_error))


def check_target(env: Environment) -> Check:
    if env.config.target:
        return Check("target")
    return Check(
        "target",
        (
            f"environments.{env.name} has no 'deploy:' target — add "
            "'deploy: {target: compose, host: ssh://…}' or 'deploy: {target: fly, app: …}'",
        ),
    )


def check_variables(env: Environment, variables: Mapping[str, str]) -> Check:
    missing = [
        f"missing environment variable {name} (needed by {who}) — set it in .env.{env.name} "
        "or in the shell that deploys"
        for name, who in required_variables(env, variables)
        if not variables.get(name)
    ]
    return Check("environment variables", tuple(missing))


def check_migrations(root: Path, python: str) -> Check:
    proc = _run(
        [python, "manage.py", "makemigrations", "--check", "--dry-run", "--noinput"],
        root,
        _clean_env(),
    )
    if proc.returncode == 0:
        return Check("makemigrations --check")
    return Check(
        "makemigrations --check",
        (
            f"models and migrations differ: {_last_lines(proc)} — run 'python manage.py "
            "makemigrations' and commit the migrations",
        ),
    )


def check_tests(root: Path, python: str, skip: bool) -> Check:
    if skip:
        return Check("tests", skipped="--skip-tests")
    proc = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], root, _clean_env())
    if proc.returncode == 0:
        return Check("tests")
    return Check("tests", (f"the project's tests fail: {_last_lines(proc)}",))


def site_env(env: Environment, variables: Mapping[str, str]) -> dict[str, str]:
    """How the site runs in this environment, locally: its variables, DEBUG off, the
    environment selected. The database stays local: checks never reach production."""
    values = {**_clean_env(), **variables}
    values.update({"QUICKSCALE_ENV": env.name, "DJANGO_DEBUG": "false"})
    values.pop("DATABASE_URL", None)
    values.pop("DJANGO_SETTINGS_MODULE", None)
    return values


def check_deploy_settings(env: Environment, python: str, variables: Mapping[str, str]) -> Check:
    proc = _run(
        [python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env.root,
        site_env(env, variables),
    )
    if proc.returncode == 0:
        return Check("check --deploy")
    found = [
        line.strip()
        for line in (proc.stdout + proc.stderr).splitlines()
        if line.strip().startswith("?:") or ": (" in line
    ]
    return Check("check --deploy", tuple(found) or (_last_lines(proc),))


PROXY_PROBE = (
    "import json; from django.conf import settings as s; print(json.dumps(["
    "s.QUICKSCALE_TRUSTED_PROXY_COUNT, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER]))"
)


def check_proxy(env: Environment, python: str, variables: Mapping[str, str]) -> Check:
    """The trusted-proxy count matches the target's proxies, and HTTPS is enforced."""
    name = "trusted proxies / SSL redirect"
    expected = PROXIES.get(env.config.target or "")
    if expected is None:
        return Check(name, skipped="no target")
    proc = _run(
        [python, "manage.py", "shell", "-c", PROXY_PROBE], env.root, site_env(env, variables)
    )
    if proc.returncode != 0:
        return Check(name, (f"the settings do not load: {_last_lines(proc)}",))
    count, redirect, header = json.loads(proc.stdout.strip().splitlines()[-1])
    problems = []
    target = env.config.target
    if count < expected:
        problems.append(
            f"DJANGO_TRUSTED_PROXY_COUNT is {count} but target {target} puts {expected} "
            "TLS proxy in front: every page would redirect to itself — set it to "
            f"{expected} (docs/security.md)"
        )
    elif count > expected:
        problems.append(
            f"DJANGO_TRUSTED_PROXY_COUNT is {count} but target {target} has only {expected} "
            "proxy: clients could choose their own address (X-Forwarded-For) — set it to "
            f"{expected}"
        )
    if not redirect:
        problems.append(
            "SECURE_SSL_REDIRECT is off: the site would also answer plain http — remove "
            "DJANGO_SECURE_SSL_REDIRECT=false; the proxy count fixes redirect loops"
        )
    if count and header != ["HTTP_X_FORWARDED_PROTO", "https"]:
        problems.append(
            "SECURE_PROXY_SSL_HEADER is not ('HTTP_X_FORWARDED_PROTO', 'https') behind a "
            "proxy: Django cannot tell https requests — do not override it"
        )
    return Check(name, tuple(problems))


def run_preflight(
    env: Environment, variables: Mapping[str, str], *, skip_tests: bool = False
) -> Preflight:
    """Every check, in order, each reporting its problems. ``quickscale deploy`` first
    calls :func:`require_generated` and :func:`require_tool`, which stop in one line."""
    checks = [check_clean(env.root), check_config(env.root), check_target(env)]
    checks.append(check_variables(env, variables))
    python = project_python(env.root)
    checks.append(check_migrations(env.root, python))
    checks.append(check_tests(env.root, python, skip_tests))
    checks.append(check_deploy_settings(env, python, variables))
    checks.append(check_proxy(env, python, variables))
    return Preflight(checks)
