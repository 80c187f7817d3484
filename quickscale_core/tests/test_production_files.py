"""What production gets of QuickScale holds no tests and no test support.

Production runs QuickScale from two kinds of files: the wheels a release publishes, and
a client project's image, whose /app is `docker build`'s context (the Dockerfile's
`COPY . .`) and whose `pip install -r requirements.txt` installs the embedded subtrees
editable from there. Tests and test support (the ``quickscale_testing`` namespace: the
Stripe fakes, the helpers of the modules' suites) live beside the runtime in the same
subtrees, for development. Here every production wheel is built with hatchling's own
builder (what pip runs, without its subprocess: all of them take well under a second),
and the context of a project with every module and both themes is listed with the Docker
SDK's .dockerignore rules (test_docker_context.py's ``_context``); neither holds a
``tests/`` folder, a ``quickscale_testing`` package, or a Python module named for testing
or fakes, and Django starts from that /app alone. The generator's templates of a
project's tests (``__tests__/*.py.j2``) are the toolchain's data, not modules, and may
stay.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path, PurePosixPath

import pytest
import quickscale_testing
from hatchling.builders.wheel import WheelBuilder
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.catalog import from_directory
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.scaffold import render_project, write_files
from quickscale_toolchain.generator.wiring import ModuleChoice
from test_docker_context import _context

ROOT = monorepo_root()
EMBEDDED = ("quickscale_core", "quickscale_modules", "quickscale_themes")
TEST_SUPPORT = "quickscale_testing"
#: A Python module that is test code by its name.
TEST_MODULE = re.compile(r"(testing|fake|^conftest\.py$)", re.IGNORECASE)


def is_test_code(path: str) -> bool:
    """Whether ``path`` (relative, with slashes) is a test or test support."""
    *folders, name = PurePosixPath(path).parts
    in_tests = any(folder in ("tests", TEST_SUPPORT) for folder in folders)
    return in_tests or (name.endswith(".py") and bool(TEST_MODULE.search(name)))


def distributions() -> list[Path]:
    """The folder of every distribution QuickScale publishes: core, the CLI, every
    theme and module."""
    return [
        path.parent
        for pattern in ("quickscale_*/pyproject.toml", "quickscale_*/*/pyproject.toml")
        for path in sorted(ROOT.glob(pattern))
        if path.parent.name != "tests"
    ]


def editable_folders(app: Path) -> list[str]:
    """The folders the project's requirements.txt installs editable (`-e ./folder`)."""
    return [
        line.removeprefix("-e ").strip().removeprefix("./")
        for line in (app / "requirements.txt").read_text().splitlines()
        if line.startswith("-e ")
    ]


def wheel_files(folder: Path, out: Path) -> list[str]:
    """The files of the wheel hatchling builds of the distribution in ``folder``."""
    built = list(WheelBuilder(str(folder)).build(directory=str(out), versions=["standard"]))
    return sorted(zipfile.ZipFile(built[0]).namelist())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("quickscale_testing/repos.py", True),
        ("quickscale_core/src/quickscale_testing/modules.py", True),
        ("quickscale_modules/billing/src/quickscale_modules/billing/testing.py", True),
        ("quickscale_modules/payments/tests/stripe_fixtures.py", True),
        ("quickscale_modules/payments/tests/templates/base.html", True),
        ("quickscale_modules/auth/src/quickscale_modules/auth/stripe_fake.py", True),
        ("tests/conftest.py", True),
        ("quickscale_modules/billing/src/quickscale_modules/billing/models.py", False),
        ("quickscale_toolchain/generator/templates/project/__tests__/test_site.py.j2", False),
        ("quickscale_core/src/quickscale_core/middleware.py", False),
    ],
)
def test_what_counts_as_test_code(path: str, expected: bool) -> None:
    assert is_test_code(path) is expected


@pytest.mark.parametrize("folder", distributions(), ids=lambda p: p.name)
def test_a_production_wheel_holds_no_test_code(folder: Path, tmp_path: Path) -> None:
    names = wheel_files(folder, tmp_path)
    modules = [n for n in names if n.endswith(".py") and ".dist-info/" not in n]
    assert len(modules) >= 3, names  # the runtime is there: the check is not vacuous
    assert [n for n in names if is_test_code(n)] == []


def test_every_distribution_is_checked() -> None:
    names = {p.name for p in distributions()}
    assert {"quickscale_core", "quickscale_cli", "billing", "payments", "starter"} <= names
    assert len(names) >= 10, names


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with every module, its components embedded as `init` and `update`
    embed them (each one's whole folder: src, tests, generate, ...), both themes. Every
    feature of the auth module is on, so each of its modules (social.py imports allauth's
    socialaccount, mfa_adapter.py allauth.mfa) has its app installed where the image
    imports them all; MFA is required of staff, so its test fixtures sit in conftest.py
    at the root."""
    catalog = from_directory(ROOT, origin="source")
    features = {"social": {"google": {}}, "mfa": ["totp", "webauthn"], "session_activity": True}
    options = {"auth": {**features, "mfa_required": "staff"}}
    modules = tuple(ModuleChoice(m, options=options.get(m, {})) for m in catalog.modules)
    spec = ProjectSpec("acme", modules=modules, catalog=catalog)
    root = tmp_path_factory.mktemp("image") / "acme"
    write_files(root, render_project(spec))
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *EMBEDDED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    for path in listed:
        if (ROOT / path).is_file():  # a tracked file deleted in the checkout is not
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / path, root / path)
    return root


@pytest.fixture(scope="module")
def app(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """/app of the project's image: the files of the build context."""
    app = tmp_path_factory.mktemp("image") / "app"
    for path in _context(project):
        if not (project / path).is_file():  # the context lists folders too
            continue
        (app / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(project / path, app / path)
    return app


def test_the_image_s_application_directory_holds_no_test_code(project: Path, app: Path) -> None:
    files = sorted(str(p.relative_to(app)) for p in app.rglob("*") if p.is_file())
    everything = {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    # The project had test code to leave out: the embedded suites, every fake and helper.
    assert {
        "tests/conftest.py",
        "conftest.py",
        "quickscale_core/tests/test_import_contract.py",
        "quickscale_core/src/quickscale_testing/repos.py",
        "quickscale_modules/billing/src/quickscale_testing/billing.py",
        "quickscale_modules/payments/tests/conftest.py",
    } <= everything
    assert {"manage.py", "quickscale_core/src/quickscale_core/settings.py"} <= set(files)
    assert [path for path in files if is_test_code(path)] == []


def test_the_image_s_editable_installs_have_all_they_install(app: Path, tmp_path: Path) -> None:
    """The Dockerfile's `pip install -r requirements.txt` installs each embedded
    component editable from /app; hatchling's editable build selects the files its wheel
    would and puts their src/ folder on the path. From /app each component builds the
    same wheel as from the checkout: the .dockerignore leaves out nothing production
    installs."""
    editable = editable_folders(app)
    assert len(editable) >= 9, editable  # core, the theme and the seven modules
    for folder in editable:
        from_app = wheel_files(app / folder, tmp_path / "app" / folder)
        assert from_app == wheel_files(ROOT / folder, tmp_path / "checkout" / folder), folder


def test_development_imports_every_portion_of_test_support() -> None:
    """The editable installs (hatchling's, without exact mode) put each component's src
    folder on the path, so every subtree's portion of the namespace is importable where
    the tests run, here as in a project's venv, with nothing in the dev requirements."""
    portions = {*ROOT.glob(f"quickscale_*/src/{TEST_SUPPORT}")} | {
        *ROOT.glob(f"quickscale_*/*/src/{TEST_SUPPORT}")
    }
    assert len(portions) >= 4
    assert {Path(p).resolve() for p in quickscale_testing.__path__} >= portions


#: The container's environment (no .env in /app). DEBUG spares the providers' keys (a
#: production start without SENDGRID_API_KEY and the like stops, as it should); it
#: changes which checks run, not what the code imports.
IMAGE_ENV = {"DJANGO_SECRET_KEY": "image-test", "DJANGO_DEBUG": "true"}

#: Run by the image's Python: /app's editable src folders and the installed libraries on
#: the path, and not the checkout's (the venv's .pth files are not read).
IMAGE_PYTHON = """
import importlib, os, pkgutil, sys
app, purelib = sys.argv[1], sys.argv[2]
sys.path[:0] = [app, *sys.argv[3:]]
sys.path.append(purelib)
os.environ["DJANGO_SETTINGS_MODULE"] = "acme.settings"
import django
django.setup()
from django.core.management import call_command
call_command("check")
for package in ("quickscale_core", "quickscale_modules", "quickscale_themes", "acme"):
    for found in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        if ".migrations" not in found.name and ".tests" not in found.name:
            importlib.import_module(found.name)
print(importlib.util.find_spec("quickscale_testing"))
print(sorted(name for name in sys.modules if name.startswith("quickscale_testing")))
print(all(m.__file__ is None or m.__file__.startswith(app) for n, m in sys.modules.items()
          if n.startswith(("quickscale_core", "quickscale_modules", "quickscale_themes"))))
"""


def test_the_image_s_code_runs_without_test_support(app: Path, tmp_path: Path) -> None:
    """Django starts from /app alone, as the image runs it: `check` passes and every
    module of the runtime, the components and the project imports, while
    quickscale_testing is not there and nothing asked for it."""
    src_folders = [str(app / folder / "src") for folder in editable_folders(app)]
    done = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            IMAGE_PYTHON,
            str(app),
            sysconfig.get_paths()["purelib"],
            *src_folders,
        ],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], **IMAGE_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-3:] == ["None", "[]", "True"], done.stdout
