"""Project-name rules: a name must work as a directory, a Python package and a Django app.

A project package must not take the name of a module the project imports: the standard
library's, and every top-level module of the distributions a project pins (csp of
django-csp, celery, axes, redis, ...). Those come from dependency_modules.json, which
scripts/dependency-modules computes from the installed distributions' metadata whenever
a pin changes (a test fails while it is stale). Nor may it take the name of a directory
the project ignores (media, staticfiles, __pycache__: git would track none of its files,
Docker would leave it out of the image) or of a folder the project already has: both are
read from the project template itself.
"""

from __future__ import annotations

import functools
import json
import keyword
import re
import sys
from pathlib import Path

from quickscale_toolchain.errors import InvalidProjectName

#: Names Python, pytest and the project itself import or use by name (not a pin).
_OWN_NAMES = frozenset(
    {
        "quickscale",
        "quickscale_core",
        "quickscale_cli",
        "quickscale_modules",
        "quickscale_themes",
        "tests",
        "test",
        "config",
        "static",
        "templates",
    }
)

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")

_HERE = Path(__file__).parent
#: Top-level modules of every pinned distribution (written by scripts/dependency-modules).
DEPENDENCY_MODULES_FILE = _HERE / "dependency_modules.json"
#: The template of a generated project: its ignore files and its top-level folders.
PROJECT_TEMPLATE = _HERE / "generator" / "templates" / "project"
#: The ignore files of a generated project, and what each one's exclusion means.
IGNORE_FILES = {
    "dot-gitignore.j2": (".gitignore", "git would track none of its files"),
    "dot-dockerignore.j2": (".dockerignore", "the Docker image would not contain it"),
}

#: Longest file name most filesystems allow (ext4, XFS, Btrfs, APFS, NTFS: 255 bytes).
NAME_MAX = 255
#: What ``init`` adds around the name for its hidden build directory
#: ``.NAME.quickscale-build-PID-XXXXXXXX`` (a PID has at most 7 digits on Linux).
BUILD_DIR_OVERHEAD = len(".") + len(".quickscale-build-") + len("4194304-") + len("XXXXXXXX")
#: The project is the Django app of the generated models, so its name is their app label,
#: which django_content_type.app_label stores in 100 characters.
APP_LABEL_MAX = 100
#: Longest project name: an app label, whose build directory is a valid file name.
MAX_PROJECT_NAME_LENGTH = min(APP_LABEL_MAX, NAME_MAX - BUILD_DIR_OVERHEAD)


@functools.cache
def dependency_modules() -> dict[str, str]:
    """Top-level module name -> the pinned distribution that installs it."""
    data = json.loads(DEPENDENCY_MODULES_FILE.read_text(encoding="utf-8"))
    return {
        module: distribution
        for distribution, entry in data["distributions"].items()
        for module in entry["modules"]
    }


@functools.cache
def ignored_directories() -> dict[str, str]:
    """Name -> why a package of that name would be lost: each plain name a generated
    project's .gitignore or .dockerignore excludes (``media/``, ``**/staticfiles``)."""
    found: dict[str, str] = {}
    for template, (shown, effect) in IGNORE_FILES.items():
        for line in (PROJECT_TEMPLATE / template).read_text(encoding="utf-8").splitlines():
            entry = line.strip().removeprefix("**/").strip("/")
            if _IDENTIFIER.fullmatch(entry):
                found.setdefault(entry, f"{shown} excludes '{line.strip()}': {effect}")
    return found


@functools.cache
def layout_names() -> dict[str, str]:
    """Name -> entry of the folders and Python modules at the top of every generated
    project (``tests/``, ``scripts/``, ``manage.py``): a package named like one would be
    mixed into it, or shadow it."""
    names: dict[str, str] = {}
    for entry in PROJECT_TEMPLATE.iterdir():
        shown = entry.name.removesuffix(".j2")
        shown = {"__tests__": "tests", "__frontend__": "custom_frontend"}.get(shown, shown)
        name = shown.removesuffix(".py")
        if (entry.is_dir() or shown.endswith(".py")) and _IDENTIFIER.fullmatch(name):
            names[name] = f"{shown}/" if entry.is_dir() else shown
    names.pop("__project__", None)
    return names


def shadowed_modules() -> frozenset[str]:
    """Names a project may not take: the stdlib's and those of the packages it imports."""
    return (
        _OWN_NAMES
        | frozenset(dependency_modules())
        | frozenset(layout_names())
        | frozenset(sys.stdlib_module_names)
    )


def _shown(name: str) -> str:
    """The name quoted for a one-line message: escaped if it holds control or other
    unprintable characters, and cut short if it is long."""
    clipped = name if len(name) <= 60 else name[:60]
    text = f"'{clipped}'" if clipped.isprintable() else repr(clipped)
    return text + ("…" if clipped != name else "")


def validate_project_name(name: str) -> str:
    """Return ``name`` if it is a usable project name, else raise with the fix."""
    if not name:
        raise InvalidProjectName("the project name is empty", "give a name such as 'acme'")
    if "/" in name or "\\" in name or name in {".", ".."} or ".." in name:
        raise InvalidProjectName(
            f"{_shown(name)} is a path, not a project name",
            "give a bare name such as 'acme' and run the command from the parent directory",
        )
    if not _IDENTIFIER.fullmatch(name):
        suggestion = re.sub(r"[^a-z0-9_]", "_", name.lower()).lstrip("0123456789") or "acme"
        suggestion = suggestion[:MAX_PROJECT_NAME_LENGTH]
        raise InvalidProjectName(
            f"{_shown(name)} is not a valid project name (lowercase letters, digits and '_', "
            "not starting with a digit)",
            f"try {_shown(suggestion)}",
        )
    if len(name) > MAX_PROJECT_NAME_LENGTH:
        raise InvalidProjectName(
            f"{_shown(name)} is {len(name)} characters long; a project name may have at most "
            f"{MAX_PROJECT_NAME_LENGTH} (it is the Django app label of the generated models, "
            f"which the database stores in {APP_LABEL_MAX} characters)",
            f"choose a shorter name, e.g. {_shown(name[:20])}",
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise InvalidProjectName(
            f"'{name}' is a Python keyword and cannot name a package",
            f"try '{name}_site' or '{name}_app'",
        )
    fix = f"pick another name, e.g. '{name.strip('_') or 'acme'}_site'"
    if name in dependency_modules():
        raise InvalidProjectName(
            f"'{name}' would shadow the '{name}' module of {dependency_modules()[name]}, "
            "a dependency QuickScale projects pin",
            fix,
        )
    if name in ignored_directories():
        raise InvalidProjectName(
            f"'{name}' cannot name the project package: {ignored_directories()[name]}", fix
        )
    if name in layout_names():
        raise InvalidProjectName(
            f"'{name}' is taken: every project has '{layout_names()[name]}' at its top", fix
        )
    if name in shadowed_modules():
        raise InvalidProjectName(
            f"'{name}' would shadow the '{name}' module the project imports", fix
        )
    return name
