"""Project-name rules: a name must work as a directory, a Python package and a Django app."""

from __future__ import annotations

import keyword
import re
import sys

from quickscale_core.errors import InvalidProjectName

# Top-level modules a generated project imports (or that Python/pytest import by name):
# a project package called like one of them would shadow it and break at import time.
_PROJECT_IMPORTS = frozenset(
    {
        "django",
        "environ",
        "gunicorn",
        "whitenoise",
        "psycopg",
        "pytest",
        "pytest_django",
        "jinja2",
        "yaml",
        "jsonschema",
        "quickscale",
        "quickscale_core",
        "quickscale_cli",
        "quickscale_modules",
        "quickscale_themes",
        "allauth",
        "anymail",
        "djstripe",
        "stripe",
        "tests",
        "test",
        "config",
        "manage",
        "custom_frontend",
        "static",
        "templates",
    }
)

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")

#: Longest file name most filesystems allow (ext4, XFS, Btrfs, APFS, NTFS: 255 bytes).
NAME_MAX = 255
#: What ``init`` adds around the name for its hidden build directory
#: ``.NAME.quickscale-build-PID-XXXXXXXX`` (a PID has at most 7 digits on Linux).
BUILD_DIR_OVERHEAD = len(".") + len(".quickscale-build-") + len("4194304-") + len("XXXXXXXX")
#: Longest project name: its build directory must still be a valid file name.
MAX_PROJECT_NAME_LENGTH = NAME_MAX - BUILD_DIR_OVERHEAD


def shadowed_modules() -> frozenset[str]:
    """Names a project may not take: the stdlib's and those of the packages it imports."""
    return _PROJECT_IMPORTS | frozenset(sys.stdlib_module_names)


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
            f"{MAX_PROJECT_NAME_LENGTH} (the directory init builds it in, "
            f"'.NAME.quickscale-build-…', must fit the filesystem's {NAME_MAX}-byte limit)",
            f"choose a shorter name, e.g. {_shown(name[:20])}",
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise InvalidProjectName(
            f"'{name}' is a Python keyword and cannot name a package",
            f"try '{name}_site' or '{name}_app'",
        )
    if name in shadowed_modules():
        raise InvalidProjectName(
            f"'{name}' would shadow the '{name}' module the project imports",
            f"pick another name, e.g. '{name}_site'",
        )
    return name
