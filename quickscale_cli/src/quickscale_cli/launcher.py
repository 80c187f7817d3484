"""Inside a project, the project's own quickscale_core generates the project.

One CLI serves client projects on different core versions, as ``bin/rails`` runs the
application's Rails: ``validate``, ``preview``, ``generate`` and ``status`` re-run
themselves in a fresh process of this Python with the project's embedded
``quickscale_core/src`` first on ``sys.path``, so templates, rules and the schema are
those the project embeds. ``quickscale update --component core`` followed by
``quickscale generate`` is how a project moves to newer templates. A project left
mid-merge is refused before any of that (see ``quickscale_cli.guard``).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

#: Set in the re-run process: the core it runs (also stops a second re-run).
LAUNCHED_ENV = "QUICKSCALE_PROJECT_CORE"
#: The oldest embedded core this CLI can drive (its command-line and library API).
OLDEST_CORE = "0.1.0"

_real_process = False


def enable() -> None:
    """Allow re-running: only the console script's own process may replace itself
    (never a test runner that calls the CLI in-process)."""
    global _real_process
    _real_process = True


def embedded_core(root: Path) -> Path | None:
    """The project's ``quickscale_core/src`` folder, if it embeds one."""
    src = root / "quickscale_core" / "src"
    return src if (src / "quickscale_core" / "__init__.py").is_file() else None


def check_compatible(core: Path) -> None:
    """Refuse, in one line with the fix, an embedded core this CLI cannot run."""
    from importlib import metadata

    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version
    from quickscale_toolchain.errors import QuickScaleError

    pyproject = core.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        version = Version(str(project.get("version", "")))
    except (OSError, tomllib.TOMLDecodeError, InvalidVersion):
        raise QuickScaleError(
            f"cannot read the version of the project's quickscale_core ({pyproject})",
            "restore quickscale_core/pyproject.toml from git (git checkout -- quickscale_core)",
        ) from None
    if version < Version(OLDEST_CORE):
        raise QuickScaleError(
            f"this project embeds quickscale_core {version}, older than the oldest this CLI "
            f"can run ({OLDEST_CORE})",
            "run 'quickscale update --component core', or use a quickscale-cli release "
            f"from the time of core {version}",
        )
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


def run_project_core(root: Path) -> None:
    """Re-run this command with the project's embedded core, unless it already runs.

    First refuses a project left mid-merge (quickscale_cli.guard), whose embedded core
    may not even parse. Returns when there is nothing to switch to: no embedded core,
    the running core is the embedded one, or this process was not started as the
    console script.
    """
    if os.environ.get(LAUNCHED_ENV):  # the re-run: its parent checked and chose the core
        return
    from quickscale_cli.guard import refuse_unfinished_merge

    refuse_unfinished_merge(root)
    core = embedded_core(root)
    if core is None or not _real_process:
        return
    import quickscale_core

    running = Path(quickscale_core.__file__).resolve().parent
    if running == (core / "quickscale_core").resolve():
        return
    check_compatible(core)
    paths = [str(core.resolve()), *filter(None, [os.environ.get("PYTHONPATH", "")])]
    env = {**os.environ, LAUNCHED_ENV: str(core.resolve()), "PYTHONPATH": os.pathsep.join(paths)}
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, "-m", "quickscale_cli", *sys.argv[1:]]
    os.execve(sys.executable, argv, env)
