"""``quickscale init``: assemble a new project atomically.

The project is built in a hidden sibling directory and renamed into place only when
it is complete (files written, git history made, quickscale_core and the theme
embedded), so an error or an interrupt at any point leaves no ``NAME/`` behind. A
SIGKILL can leave the hidden build directory; the next ``init`` of the same name
removes it.

The rename is the point of no return. The caller may pass ``committing``, called just
before it: the CLI blocks Ctrl-C and SIGTERM there for the rest of its run (a signal
that came before is raised there and undoes the build), so an interrupt either leaves
nothing or comes after the project is complete, and then changes nothing. ``progress``
may raise too (the CLI raises there a Ctrl-C it held back while a git child ran: a
KeyboardInterrupt raised inside ``subprocess.run`` leaves that git running, to write into
the build directory after it was removed); that also undoes the build.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from quickscale_core import __version__
from quickscale_toolchain import catalog, git
from quickscale_toolchain.components import Component
from quickscale_toolchain.errors import QuickScaleError, TargetExists, UsageError
from quickscale_toolchain.generator import ownership
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.embed import subtree_add
from quickscale_toolchain.generator.project_files import NOT_MANAGED, render_project
from quickscale_toolchain.generator.render import RenderedFile
from quickscale_toolchain.source import Source, check_components, fetch_components, resolve_source

CORE_PREFIX = "quickscale_core"
_BUILD_MARK = ".quickscale-build-"

Progress = Callable[[str], None]


def write_files(root: Path, files: Mapping[str, RenderedFile]) -> None:
    """Write rendered files under ``root`` (a directory nobody else sees yet)."""
    for rendered in files.values():
        target = root / rendered.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(rendered.content)
        if rendered.executable:
            target.chmod(0o755)


def dev_env_file(spec: ProjectSpec) -> str:
    """The git-ignored .env: a fresh random key, so no two projects share one."""
    return (
        "# Local development settings (git-ignored). Production uses real environment "
        "variables.\n"
        "DJANGO_DEBUG=true\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )


def _check_target(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise TargetExists(
            f"'{target.name}' already exists and is not a directory",
            "choose another project name or move that file away",
        )
    if target.is_dir() and any(target.iterdir()):
        raise TargetExists(
            f"directory '{target.name}' already exists and is not empty",
            "choose another project name, or remove or rename that directory",
        )


def _remove_stale_builds(parent: Path, name: str) -> None:
    """Remove build directories a killed ``init`` of this name left behind."""
    for stale in parent.glob(f".{name}{_BUILD_MARK}*"):
        pid_text = stale.name.rsplit("-", 2)[-2] if stale.name.count("-") >= 2 else ""
        if pid_text.isdigit() and _pid_alive(int(pid_text)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def create_project(
    name: str,
    parent: Path,
    *,
    source: str | None = None,
    spec: ProjectSpec | None = None,
    progress: Progress | None = None,
    committing: Callable[[], None] | None = None,
) -> Path:
    """Create project ``name`` under ``parent``; return its path.

    Raises a QuickScaleError subclass (nothing created) on bad input, a missing git or
    git identity, or an unusable source. ``progress`` runs at each step, ``committing``
    just before the finished project is renamed into place; whatever either raises
    undoes the build.
    """
    say = progress or (lambda _message: None)
    spec = spec or ProjectSpec(name=name)  # validates the name
    parent = parent.resolve()
    target = parent / spec.name
    _check_target(target)
    git.git_executable()
    git.require_identity(target)
    resolved: Source = resolve_source(source)
    check_components(resolved, ["core"])
    if spec.catalog is None:
        spec = replace(spec, catalog=catalog.for_source(resolved))
    offered = spec.components_catalog()
    if spec.theme and spec.theme not in offered.themes:
        problem = catalog.unknown_component(
            Component("themes", spec.theme), offered, "--theme names it"
        )
        raise UsageError(problem.message, problem.hint)
    shared = [Component("core"), *spec.components]
    check_components(resolved, [c.id for c in shared[1:]])

    _remove_stale_builds(parent, spec.name)
    try:
        build = Path(
            tempfile.mkdtemp(prefix=f".{spec.name}{_BUILD_MARK}{os.getpid()}-", dir=parent)
        )
    except OSError as error:
        raise QuickScaleError(
            f"cannot create the project in {parent}: {error.strerror}",
            "run the command from a directory you can write to",
        ) from error
    try:
        git.run(["init", "-q", "-b", "main"], build)
        # The shared components' objects come over while the project is rendered and
        # committed: git fetch writes only objects, add and commit the index and HEAD,
        # so they can share the repository, and the wait for git is spent rendering.
        # Leaving the block waits for the fetch, also on an error or a Ctrl-C.
        with ThreadPoolExecutor(max_workers=1) as pool:
            fetching = pool.submit(fetch_components, resolved, [c.id for c in shared], build)
            say("Rendering project files")
            files = render_project(spec)
            write_files(build, files)
            # Ownership records, so a later `generate` knows what it wrote (and merges edits).
            managed = {p: f.content for p, f in files.items() if p not in NOT_MANAGED}
            ownership.write(build, managed, ownership.Records(), atomic=False)
            (build / ".env").write_text(dev_env_file(spec), encoding="utf-8")

            say("Creating the git repository")
            git.run(["add", "-A"], build)
            # The records are the next generate's memory: committed whatever an ignore
            # rule says (the project's `.env.*` matches .quickscale/base/.env.example.base,
            # and a user's global excludes file may match others).
            git.run(["add", "-f", "--", ownership.BASE_DIR, ownership.MANIFEST], build)
            git.run(
                ["commit", "-q", "-m", f"Create {spec.name} with quickscale init {__version__}"],
                build,
            )
            say(f"Embedding {', '.join(c.prefix for c in shared)} from {resolved.describe()}")
            commits = fetching.result()
        for component, commit in zip(shared, commits, strict=True):
            # require_identity() above: git has the user's own identity to commit with.
            subtree_add(build, component.prefix, commit, {}, clean_index=True)
        if committing is not None:
            committing()
        os.rename(build, target)
    except OSError as error:
        shutil.rmtree(build, ignore_errors=True)
        if target.exists():
            raise TargetExists(
                f"directory '{spec.name}' appeared while the project was being built",
                "remove it or choose another name, then retry",
            ) from error
        raise
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return target
