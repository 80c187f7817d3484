"""Inside a project, the project's own toolchain generates the project.

One CLI serves client projects on different core versions, as ``bin/rails`` runs the
application's Rails: ``validate``, ``preview``, ``generate``, ``status`` and ``deploy``
re-run themselves in a fresh process of this Python with the project's embedded
``quickscale_core/src`` first on ``sys.path``, so templates, rules and the schema are
those the project embeds. ``quickscale update --component core`` followed by
``quickscale generate`` is how a project moves to newer templates. A project left
mid-merge is refused before any of that (see ``quickscale_cli.guard``).

The CLI and the embedded toolchain agree on one module, ``quickscale_toolchain.api``,
and on its ``API_VERSION``, read from the embedded file without running it: a version
outside :data:`SUPPORTED_API` is refused in one line (exit 5) naming the fix. Version 1
is a core from before the ``quickscale_toolchain`` package (``quickscale_cli.legacy``).
"""

from __future__ import annotations

import ast
import os
import sys
import tomllib
from pathlib import Path

from quickscale_cli.legacy import EMBEDDED, PACKAGE

#: Set in the re-run process: the core it runs (also stops a second re-run).
LAUNCHED_ENV = "QUICKSCALE_PROJECT_CORE"
#: Set in the re-run process: the API version of that core, as the parent read it.
API_ENV = "QUICKSCALE_PROJECT_API"
#: The API versions of an embedded toolchain this CLI drives: 1, a core from before the
#: quickscale_toolchain package (through quickscale_cli.legacy); 2, today's api.py.
SUPPORTED_API = (1, 2)

_real_process = False


def enable() -> None:
    """Allow re-running: only the console script's own process may replace itself
    (never a test runner that calls the CLI in-process)."""
    global _real_process
    _real_process = True


def embedded_core(root: Path) -> Path | None:
    """The project's ``quickscale_core/src`` folder, if it embeds one."""
    src = root / "quickscale_core" / "src"
    return src if (src / EMBEDDED / "__init__.py").is_file() else None


def api_version(src: Path) -> int:
    """The API version of the toolchain in ``src``, read without running its code: its
    ``api.py``'s ``API_VERSION``; 1 for a core from before the toolchain package; 0
    when neither is there (a toolchain without an API, or no toolchain at all)."""
    from quickscale_toolchain.errors import QuickScaleError

    api = src / PACKAGE / "api.py"
    if not api.is_file():
        legacy = not (src / PACKAGE).exists() and (src / EMBEDDED / "generator").is_dir()
        return 1 if legacy else 0
    try:
        tree = ast.parse(api.read_text(encoding="utf-8"), str(api))
    except (OSError, SyntaxError, ValueError):
        tree = ast.Module(body=[], type_ignores=[])
    for node in tree.body:
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and "API_VERSION" in [getattr(t, "id", "") for t in _targets(node)]
            and isinstance(node.value, ast.Constant)
            and type(node.value.value) is int
        ):
            return node.value.value
    raise QuickScaleError(
        f"cannot read API_VERSION = <number> in the project's {PACKAGE}/api.py ({api})",
        f"run 'git checkout -- quickscale_core/src/{PACKAGE}/api.py', or 'quickscale update "
        "--component core'",
    )


def _targets(node: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def refuse_unsupported(version: int) -> None:
    """One line, exit 5: the embedded toolchain speaks an API version this CLI does not."""
    from quickscale_toolchain.errors import ExitCode, QuickScaleError

    class UnsupportedApi(QuickScaleError):
        exit_code = ExitCode.INCOMPATIBLE_CORE

    supported = f"{SUPPORTED_API[0]} to {SUPPORTED_API[-1]}"
    if version > SUPPORTED_API[-1]:
        raise UnsupportedApi(
            f"this project's embedded toolchain speaks API version {version}, newer than "
            f"this quickscale CLI ({supported})",
            "install the CLI again from a QuickScale checkout as new as the project's core "
            "(in that checkout: uv tool install --force ./quickscale_cli --with ./quickscale_core)",
        )
    what = f"API version {version}" if version else "no API this CLI knows"
    raise UnsupportedApi(
        f"this project's embedded toolchain speaks {what}, older than this quickscale CLI "
        f"({supported})",
        "run 'quickscale update --component core', then the command again",
    )


def check_compatible(core: Path) -> int:
    """Refuse, in one line with the fix, an embedded core this CLI cannot run; return
    the API version it speaks."""
    from importlib import metadata

    from packaging.requirements import InvalidRequirement, Requirement
    from quickscale_toolchain.errors import QuickScaleError

    api = api_version(core)
    # Version 1 has no api.py (quickscale_cli.legacy drives it); an api.py says 2 or more.
    if api not in SUPPORTED_API or (api == 1 and (core / PACKAGE).exists()):
        refuse_unsupported(api)
    pyproject = core.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        raise QuickScaleError(
            f"cannot read the project's quickscale_core/pyproject.toml ({pyproject})",
            "run 'git checkout -- quickscale_core/pyproject.toml'",
        ) from None
    version = project.get("version", "?")
    # The CLI runs the embedded core's toolchain, so its extra counts (older cores listed
    # the same packages as plain dependencies).
    extras = project.get("optional-dependencies", {})
    for text in [*project.get("dependencies", []), *extras.get("toolchain", [])]:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None or not requirement.specifier.contains(installed, prereleases=True):
            have = f"has {installed}" if installed else "lacks it"
            raise QuickScaleError(
                f"this project's quickscale_core {version} needs {requirement}, and the "
                f"quickscale CLI's Python {have}",
                f"install it where quickscale runs: pip install '{requirement}' "
                "(pipx: pipx inject quickscale-cli …)",
            )
    return api


def bind() -> None:
    """In the re-run process, before anything imports the toolchain: a core from before
    the toolchain package is driven through ``quickscale_cli.legacy``. (Today's layout
    needs nothing: the embedded ``src`` comes first on ``sys.path``.)"""
    src = os.environ.get(LAUNCHED_ENV)
    if src and os.environ.get(API_ENV) == "1":
        from quickscale_cli import legacy

        legacy.install(Path(src))


def _check_bound(src: Path) -> None:
    """The re-run process runs the embedded toolchain, never the CLI's installed one: its
    ``api`` (or, for API version 1, its generator) comes from ``src``, at the version the
    parent read."""
    import importlib

    from quickscale_toolchain import api
    from quickscale_toolchain.errors import QuickScaleError

    expected = int(os.environ.get(API_ENV, "0") or 0)
    probe = "generator" if expected == 1 else "api"
    module = importlib.import_module(f"{PACKAGE}.{probe}")
    where = Path(module.__file__ or "").resolve()
    running: int = api.API_VERSION
    if running != max(expected, 2) or not where.is_relative_to(src.resolve()):
        raise QuickScaleError(
            f"the re-run quickscale found {PACKAGE}.{probe} at {where} (API version "
            f"{running}), not in the project's {src} (API version {expected})",
            "run quickscale with a Python that honours PYTHONPATH (no -E or -I, no "
            "sitecustomize importing quickscale_toolchain)",
        )


def run_project_core(root: Path) -> None:
    """Re-run this command with the project's embedded toolchain, unless it already runs.

    First refuses a project left mid-merge (quickscale_cli.guard), whose embedded core
    may not even parse. Returns when there is nothing to switch to: no embedded core,
    the running toolchain is the embedded one, or this process was not started as the
    console script.
    """
    launched = os.environ.get(LAUNCHED_ENV)
    if launched:  # the re-run: its parent checked and chose the core
        if os.environ.get(API_ENV):  # (set alone, LAUNCHED_ENV only stops a re-run)
            _check_bound(Path(launched))
        return
    from quickscale_cli.guard import refuse_unfinished_merge

    refuse_unfinished_merge(root)
    core = embedded_core(root)
    if core is None or not _real_process:
        return
    import quickscale_toolchain

    running = Path(quickscale_toolchain.__file__ or "").resolve().parent
    if running == (core / PACKAGE).resolve():
        return
    api = check_compatible(core)
    paths = [str(core.resolve()), *filter(None, [os.environ.get("PYTHONPATH", "")])]
    env = {
        **os.environ,
        LAUNCHED_ENV: str(core.resolve()),
        API_ENV: str(api),
        "PYTHONPATH": os.pathsep.join(paths),
    }
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, "-m", "quickscale_cli", *sys.argv[1:]]
    os.execve(sys.executable, argv, env)
