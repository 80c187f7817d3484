"""Generated projects, run for real: v2 models through the admin, and frontend variants.

These start from a real `quickscale init` (git repository, embedded quickscale_core) and
run the project's own commands (manage.py, pytest) in subprocesses with this venv's
Python, which has the project's runtime packages.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

from gen_support import config, write_config

CLI = str(Path(sys.executable).with_name("quickscale"))

VARIANT_TEST = '''\
"""Which frontend variant does the running site use? (written by the generator tests)"""

import os
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_site_renders_the_expected_variant(client, settings):
    expected = os.environ["EXPECT_VARIANT"]
    assert settings.QUICKSCALE_VARIANT == expected
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'class="variant-{expected}"' in html
    brand = next(
        t.origin.name for t in response.templates if t.name == "components/brand.html"
    )
    base = next(t.origin.name for t in response.templates if t.name == "base.html")
    css = Path(finders.find("css/variant.css"))
    if expected == "default":
        assert brand.endswith("custom_frontend/templates/components/brand.html"), brand
    else:
        assert brand.endswith(f"variants/{expected}/templates/components/brand.html"), brand
    assert base.endswith("custom_frontend/templates/base.html"), base
    assert css.as_posix().endswith(f"custom_frontend/variants/{expected}/static/css/variant.css")
    Path(os.environ["REPORT_TO"]).write_text(html + "\\n/* css */\\n" + css.read_text())
'''

# What a user adds to admin.py to customize a generated admin page.
REREGISTER = """
from acme.generated_admin import ProductAdmin
from acme.models import Product


class ReviewedProductAdmin(ProductAdmin):
    list_per_page = 20


admin.site.unregister(Product)
admin.site.register(Product, ReviewedProductAdmin)
"""

# The models, imported by name from the app's models module, and their admin pages.
WHICH_ADMIN = """
from django.contrib import admin
from acme.models import Order, Product
print(*(type(admin.site._registry[m]).__name__ for m in (Product, Order)))
"""


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def project_pytest(
    project: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], project, env)


def test_v2_models_generate_models_admin_forms_migrations_and_pass_admin_tests(
    initialized_project: Path, project_env
):
    from gen_support import EVERY_TYPE, ORDER, PRODUCT

    project = initialized_project
    env = project_env()
    models = [PRODUCT, ORDER, EVERY_TYPE]
    write_config(project, config(models=models, rules=["Orders over $1000 need approval"]))
    result = run([CLI, "generate"], project, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "new              tests/test_generated_models.py" in result.stdout
    assert "updated          acme/generated_models.py" in result.stdout
    migration = sorted((project / "acme/migrations").glob("0002_*.py"))
    assert len(migration) == 1, result.stdout
    text = migration[0].read_text()
    assert "name='Product'" in text and "name='Order'" in text
    assert (
        "class ProductAdmin(admin.ModelAdmin):" in (project / "acme/generated_admin.py").read_text()
    )
    assert "class OrderForm(forms.ModelForm):" in (project / "acme/generated_forms.py").read_text()
    assert "def check_orders_over_1000_need_approval" in (project / "acme/services.py").read_text()
    # admin.py may swap a generated admin page for a subclass, as generated_admin.py
    # says, and the models module names the generated models
    admin_py = project / "acme/admin.py"
    written = admin_py.read_text()
    imports = "from acme.models import User\n"
    admin_py.write_text(written.replace(imports, imports + REREGISTER, 1))
    shell = run([sys.executable, "manage.py", "shell", "-c", WHICH_ADMIN], project, env)
    last = shell.stdout.splitlines()[-1:]
    assert last == ["ReviewedProductAdmin OrderAdmin"], shell.stdout + shell.stderr[-2000:]
    admin_py.write_text(written)
    # the project's CI checks: migrations complete, and its whole test suite passes
    check = run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], project, env
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "System check identified" not in check.stderr, check.stderr  # e.g. fields.E010
    tests = project_pytest(project, env, "-v", "-W", "error")
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    for name in (
        "test_model_is_created_and_listed_through_the_admin[Product] PASSED",
        "test_model_is_created_and_listed_through_the_admin[Order] PASSED",
        "test_model_form_saves_valid_data[Order] PASSED",
        # every field type, with a default and beside foreign keys, through the admin
        "test_model_is_created_and_listed_through_the_admin[Sampler] PASSED",
        "test_model_form_saves_valid_data[Sampler] PASSED",
    ):
        assert name in tests.stdout
    # generate again: nothing to do, no byte changes, no new migration
    again = run([CLI, "generate"], project, env)
    assert again.returncode == 0 and "Nothing to do" in again.stdout
    assert sorted((project / "acme/migrations").glob("0002_*.py")) == migration
    # remove Order: planned with a data warning, and migrations drop only that model
    write_config(project, config(models=[PRODUCT]))
    preview = run([CLI, "preview", "--no-diff"], project, env)
    assert "acme_order" in preview.stderr and "DROPPED" in preview.stderr
    removed = run([CLI, "generate"], project, env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert "Delete model Order" in removed.stdout


def _python_without_django(where: Path) -> Path:
    """A venv whose Python has the CLI's own dependencies, but no Django."""
    import importlib

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            where,
            {},
        ).stdout.strip()
    )
    needed = ["click", "jinja2", "markupsafe", "yaml", "rich", "pygments", "jsonschema"]
    needed += ["jsonschema_specifications", "referencing", "rpds", "attr", "attrs"]
    needed += ["typing_extensions", "packaging"]
    for name in needed:
        module = importlib.import_module(name)
        origin = Path(module.__file__)
        if origin.name == "__init__.py":
            origin = origin.parent
        (site / origin.name).symlink_to(origin)
    import quickscale_cli
    import quickscale_core

    sources = [Path(m.__file__).parents[1] for m in (quickscale_core, quickscale_cli)]
    (site / "quickscale.pth").write_text("".join(f"{p}\n" for p in sources))
    assert run([str(python), "-c", "import django"], where, {}).returncode != 0
    return python


def test_without_the_project_environment_generate_stops_and_a_rerun_finishes(
    initialized_project: Path, project_env, tmp_path: Path
):
    """A model change is never "done" before its migration exists: the run that cannot
    make it stops with the command to run, and the next run (with an environment) makes
    the migration that the written files alone would hide."""
    from gen_support import PRODUCT

    project = initialized_project
    python = _python_without_django(tmp_path / "no-django")
    write_config(project, config(models=[PRODUCT]))
    # This venv holds the CLI's modules without their distribution metadata, which the
    # launcher's dependency check reads; the embedded core is this very code anyway.
    env = project_env(QUICKSCALE_PROJECT_CORE="1")
    result = run([str(python), "-m", "quickscale_cli.main", "generate"], project, env)
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: the models changed, and the project has no Python environment")
    assert "run 'python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt'" in line
    assert not list((project / "acme/migrations").glob("0002_*.py"))
    assert "class Product(models.Model):" in (project / "acme/generated_models.py").read_text()
    status = run([CLI, "status", "--no-migrations"], project, project_env())
    assert status.returncode == 1
    assert "the migration or commit of a generate that stopped" in status.stdout
    # Today's main answered "Nothing to do" here and never made the migration.
    rerun = run([CLI, "generate"], project, project_env())
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    (migration,) = (project / "acme/migrations").glob("0002_*.py")
    assert "CreateModel" in migration.read_text() and "Product" in migration.read_text()
    assert not (project / ".quickscale/pending.json").exists()
    check = run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        project,
        project_env(),
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_variants_render_different_templates_and_css_and_env_overrides(
    initialized_project: Path, project_env, tmp_path: Path
):
    project = initialized_project
    (project / "tests/test_variant_qs.py").write_text(VARIANT_TEST)
    settings_file = project / "acme/settings.py"

    def render(variant_env: str | None, expected: str) -> str:
        report = tmp_path / f"report-{expected}-{variant_env}.txt"
        extra = {"EXPECT_VARIANT": expected, "REPORT_TO": str(report)}
        if variant_env:
            extra["QUICKSCALE_VARIANT"] = variant_env
        result = project_pytest(project, project_env(**extra), "-q", "tests/test_variant_qs.py")
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        # the CSRF token is random per request; everything else must be reproducible
        return re.sub(r'"X-CSRFToken": "[^"]*"', "TOKEN", report.read_text())

    default = render(None, "default")
    settings_before = hashlib.sha256(settings_file.read_bytes()).hexdigest()
    overridden = render("client_a", "client_a")  # deployment override, no regeneration
    assert hashlib.sha256(settings_file.read_bytes()).hexdigest() == settings_before
    assert default != overridden
    assert default.split("/* css */")[1] != overridden.split("/* css */")[1]
    # switching frontend.variant in the config and regenerating switches the default
    write_config(project, config(variant="client_a"))
    result = run([CLI, "generate"], project, project_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'default="client_a"' in settings_file.read_text()
    assert render(None, "client_a") == overridden
    assert render("default", "default") == default  # and the env var still wins
