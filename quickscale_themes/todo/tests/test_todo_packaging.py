"""Acceptance: both theme wheels install side by side and import from one PEP 420 namespace.

Builds real wheels with `python -m build`, installs them into a fresh virtualenv (Django
comes from the package registry or pip's cache) and imports them there, far away from this
checkout's sources.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

pytestmark = pytest.mark.packaging

THEMES_DIR = Path(__file__).resolve().parents[2]
#: Each theme's release, as its pyproject.toml says (the wheels carry it in their names).
VERSIONS = {
    theme: tomllib.loads((THEMES_DIR / theme / "pyproject.toml").read_text())["project"]["version"]
    for theme in ("starter", "todo")
}

#: Each theme's Django requirement, as its pyproject.toml declares it (a range).
DJANGO = {
    theme: str(Requirement(text).specifier)
    for theme in ("starter", "todo")
    for text in tomllib.loads((THEMES_DIR / theme / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    if Requirement(text).name.lower() == "django"
}

PROBE = textwrap.dedent(
    """
    import json, sys
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
            "django.contrib.messages", "django.contrib.staticfiles",
            "quickscale_themes.starter", "quickscale_themes.todo",
        ],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                    "APP_DIRS": True}],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        STATIC_URL="/static/",
    )
    django.setup()
    import quickscale_themes
    import quickscale_themes.starter.business as business
    import quickscale_themes.todo.services as services
    from django.apps import apps
    from django.contrib.staticfiles import finders
    from django.db.migrations.loader import MigrationLoader
    from django.template.loader import get_template

    print(json.dumps({
        "namespace_file": getattr(quickscale_themes, "__file__", None),
        "namespace_path": list(quickscale_themes.__path__),
        "namespace_path_type": type(quickscale_themes.__path__).__name__,
        "starter_file": quickscale_themes.starter.__file__,
        "todo_file": quickscale_themes.todo.__file__,
        "labels": sorted(c.label for c in apps.get_app_configs()),
        "business": business.StarterBusiness.__name__,
        "services": services.item_add.__name__,
        "migrations": sorted(
            name for app, name in MigrationLoader(None).disk_migrations
            if app == "quickscale_todo"
        ),
        "template": get_template("quickscale_todo/list_detail.html").origin.name,
        "static": [finders.find("quickscale_starter/css/starter.css"),
                   finders.find("quickscale_todo/css/todo.css")],
        "prefix": sys.prefix,
    }))
    """
)


def run(*command: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_wheels_install_side_by_side_as_a_namespace(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    for theme in ("starter", "todo"):
        run(sys.executable, "-m", "build", "--wheel", "--outdir", wheels, THEMES_DIR / theme)
    built = {path.name.split("-")[0]: path for path in wheels.glob("*.whl")}
    assert set(built) == {"quickscale_theme_starter", "quickscale_theme_todo"}

    for dist, theme in (("quickscale_theme_starter", "starter"), ("quickscale_theme_todo", "todo")):
        names = zipfile.ZipFile(built[dist]).namelist()
        assert "quickscale_themes/__init__.py" not in names
        assert f"quickscale_themes/{theme}/__init__.py" in names
        assert f"quickscale_themes/{theme}/migrations/__init__.py" in names
        assert f"quickscale_themes/{theme}/static/quickscale_{theme}/css/{theme}.css" in names
        info = f"{dist}-{VERSIONS[theme]}.dist-info/"
        assert all(n.startswith(("quickscale_themes/", info)) for n in names)
        assert not [n for n in names if "__pycache__" in n or "/tests/" in n or n.endswith(".pyc")]
        metadata = zipfile.ZipFile(built[dist]).read(f"{info}METADATA").decode()
        # The Django series the theme supports, as its pyproject.toml declares it.
        lines = metadata.splitlines()
        requires = [Requirement(line[15:]) for line in lines if line.startswith("Requires-Dist: ")]
        (django,) = [r for r in requires if r.name.lower() == "django"]
        assert django.specifier == SpecifierSet(DJANGO[theme]), str(django)
    todo_metadata = zipfile.ZipFile(built["quickscale_theme_todo"]).read(
        f"quickscale_theme_todo-{VERSIONS['todo']}.dist-info/METADATA"
    )
    pin = f"Requires-Dist: quickscale-theme-starter=={VERSIONS['starter']}"
    assert pin.encode() in todo_metadata

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    # Only the todo wheel is named: its pinned dependency on the starter must resolve from
    # the wheel directory, Django from the registry.
    run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
        "--find-links", wheels, built["quickscale_theme_todo"],
    )  # fmt: skip
    report = json.loads(run(python, "-I", "-c", PROBE, cwd=tmp_path))

    site_packages = Path(report["starter_file"]).parents[2]
    assert report["namespace_file"] is None
    assert report["namespace_path_type"] == "_NamespacePath"
    assert report["namespace_path"] == [str(site_packages / "quickscale_themes")]
    assert Path(report["prefix"]).resolve() == venv.resolve()
    assert str(venv.resolve()) in str(Path(report["todo_file"]).resolve())
    assert Path(report["todo_file"]).parents[1] == Path(report["starter_file"]).parents[1]
    assert {"quickscale_starter", "quickscale_todo"} <= set(report["labels"])
    assert (report["business"], report["services"]) == ("StarterBusiness", "item_add")
    assert report["migrations"] == ["0001_initial"]
    assert report["template"].startswith(str(site_packages))
    assert all(path and path.startswith(str(site_packages)) for path in report["static"])
