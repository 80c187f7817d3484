"""The standard module skeleton an extracted module is wrapped in.

Same shape as the monorepo's own modules: a hatchling ``pyproject.toml`` shipping only
``src/quickscale_modules`` (a PEP 420 namespace, so no ``__init__.py`` at that level),
an AppConfig with the explicit label ``quickscale_<name>`` (design decision 6), and a
``tests/`` folder with Django settings and a test that proves the app loads.
"""

from __future__ import annotations

from quickscale_toolchain.django_support import component_requirement


def _compat_range(core_version: str | None) -> str:
    """Compatible with the core it was extracted against, up to the next major."""
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(core_version or "")
    except InvalidVersion:
        return ">=0.1,<1.0"
    return f">={parsed.major}.{parsed.minor},<{parsed.major + 1}.0"


def files(name: str, client: str, origin: str, core_version: str | None) -> dict[str, str]:
    """Relative path (inside quickscale_modules/NAME/) -> text of each skeleton file."""
    title = name.replace("_", " ")
    pkg = f"src/quickscale_modules/{name}"
    class_name = "".join(part.capitalize() for part in name.split("_")) + "Config"
    return {
        "pyproject.toml": f'''[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "quickscale-module-{name.replace("_", "-")}"
version = "0.1.0"
description = "QuickScale {title} module (extracted from {client})."
readme = "README.md"
requires-python = ">=3.11"
license = "MIT"
dependencies = ["{component_requirement()}"]

[tool.quickscale]
kind = "module"
name = "{name}"
apps = ["quickscale_modules.{name}"]
core-compatibility = "{_compat_range(core_version)}"

[tool.hatch.build.targets.wheel]
# PEP 420: ship only the subpackage, never an __init__.py for the namespace.
packages = ["src/quickscale_modules"]

[tool.hatch.build.targets.sdist]
include = ["src", "tests", "README.md", "pyproject.toml"]

[tool.pytest.ini_options]
DJANGO_SETTINGS_MODULE = "settings"
pythonpath = ["tests", "src"]
testpaths = ["tests"]
addopts = "-ra --strict-markers"
''',
        "README.md": f"""# quickscale_modules.{name}

Extracted from the client project `{client}` (`{origin}`) by `quickscale extract`.

Before merging: move client-specific names out, add services and tests, and create
fresh migrations for the app label `quickscale_{name}`
(`django-admin makemigrations quickscale_{name}`).
""",
        f"{pkg}/__init__.py": f'"""QuickScale {title} module."""\n',
        f"{pkg}/apps.py": f'''from django.apps import AppConfig


class {class_name}(AppConfig):
    """Explicit label so tables never clash with other apps (quickscale_<name>_<model>)."""

    name = "quickscale_modules.{name}"
    label = "quickscale_{name}"
    verbose_name = "QuickScale {title}"
    default_auto_field = "django.db.models.BigAutoField"
''',
        "tests/settings.py": f'''"""Django settings for the {title} module's own tests."""

SECRET_KEY = "{name}-tests-only"
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "quickscale_modules.{name}",
]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}}}
''',
        "tests/test_app.py": f'''"""The module is a Django app with QuickScale's explicit label."""

from django.apps import apps


def test_app_is_installed_with_explicit_label() -> None:
    config = apps.get_app_config("quickscale_{name}")
    assert config.name == "quickscale_modules.{name}"
    assert config.label == "quickscale_{name}"
''',
    }
