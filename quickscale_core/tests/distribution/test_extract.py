"""`quickscale extract`: client code becomes an installable, tested module branch."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import Lab, append

APP = {
    "acme/invoicing/__init__.py": "",
    "acme/invoicing/apps.py": (
        "from django.apps import AppConfig\n\n\n"
        "class InvoicingConfig(AppConfig):\n    name = 'acme.invoicing'\n"
    ),
    "acme/invoicing/models.py": (
        "from django.db import models\n\n\n"
        "class Invoice(models.Model):\n    number = models.CharField(max_length=20)\n"
    ),
    "acme/invoicing/services.py": (
        "def total(amounts: list[int]) -> int:\n    return sum(amounts)\n"
    ),
}
MODULE = "quickscale_modules/invoicing"


def _client_with_app(lab: Lab) -> tuple[Path, Path]:
    source = lab.source()
    client = lab.client(source)
    for rel, text in APP.items():
        (client / rel).parent.mkdir(parents=True, exist_ok=True)
        (client / rel).write_text(text)
    lab.commit_all(client, "acme: invoicing app")
    return source, client


def test_extract_commits_a_module_on_a_new_branch_and_leaves_the_client(lab: Lab) -> None:
    source, client = _client_with_app(lab)
    main_before = lab.git(source, "rev-parse", "main")
    client_before = lab.state(client)

    done = lab.qs(
        "extract", "acme/invoicing", "--module", "invoicing", "--source", str(source), cwd=client
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "extract/invoicing"
    assert lab.state(client) == client_before
    assert lab.git(source, "rev-parse", "main") == main_before
    assert lab.git(source, "status", "--porcelain") == ""
    assert lab.git(source, "rev-parse", "extract/invoicing^") == main_before
    message = lab.git(source, "log", "-1", "--format=%s", "extract/invoicing")
    assert message == "feat(modules): extract invoicing from acme"
    files = set(lab.git(source, "diff", "--name-only", "main", "extract/invoicing").splitlines())
    pkg = f"{MODULE}/src/quickscale_modules/invoicing"
    assert {
        f"{MODULE}/pyproject.toml",
        f"{MODULE}/README.md",
        f"{pkg}/__init__.py",
        f"{pkg}/apps.py",
        f"{pkg}/models.py",
        f"{pkg}/services.py",
        f"{MODULE}/tests/settings.py",
        f"{MODULE}/tests/test_app.py",
    } == files
    # PEP 420: no __init__.py at the namespace level.
    assert f"{MODULE}/src/quickscale_modules/__init__.py" not in files
    show = lab.git(source, "show", f"extract/invoicing:{pkg}/services.py")
    assert show + "\n" == APP["acme/invoicing/services.py"]
    apps = lab.git(source, "show", f"extract/invoicing:{pkg}/apps.py")
    assert 'label = "quickscale_invoicing"' in apps
    assert "replaced by the skeleton's apps.py" in done.stdout


def test_extracted_module_installs_and_its_tests_pass(lab: Lab, tmp_path: Path) -> None:
    source, client = _client_with_app(lab)
    done = lab.qs(
        "extract", "acme/invoicing", "--module", "invoicing", "--source", str(source), cwd=client
    )
    assert done.returncode == 0, done.stderr
    checkout = tmp_path / "review"
    lab.git(lab.root, "clone", "-q", "--branch", "extract/invoicing", str(source), str(checkout))
    module = checkout / MODULE

    # A fresh venv that sees this interpreter's packages (Django, pytest) through a .pth,
    # so only the extracted module itself is installed into it.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "dev-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "-e", str(module)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr

    where = subprocess.run(
        [python, "-c", "import quickscale_modules.invoicing.services as s; print(s.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(str(module))
    tests = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=module,
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed" in tests.stdout


def test_extract_a_single_file_to_a_url_source(lab: Lab) -> None:
    source, client = _client_with_app(lab)
    done = lab.qs(
        "extract",
        "invoicing/services.py",
        "--module",
        "billing_tools",
        "--source",
        source.as_uri(),
        cwd=client / "acme",
    )
    assert done.returncode == 0, done.stderr
    path = "quickscale_modules/billing_tools/src/quickscale_modules/billing_tools/services.py"
    assert lab.git(source, "cat-file", "-t", f"extract/billing_tools:{path}") == "blob"


def test_extract_refuses_an_existing_module_or_branch(lab: Lab) -> None:
    source, client = _client_with_app(lab)
    args = ("extract", "acme/invoicing", "--source", str(source))
    first = lab.qs(*args, "--module", "invoicing", cwd=client)
    assert first.returncode == 0, first.stderr
    again = lab.qs(*args, "--module", "invoicing", cwd=client)
    assert again.returncode == 1 and "already has a branch extract/invoicing" in again.stderr
    lab.git(source, "merge", "-q", "--no-edit", "extract/invoicing")
    lab.git(source, "branch", "-q", "-d", "extract/invoicing")
    refs = lab.git(source, "for-each-ref")
    exists = lab.qs(*args, "--module", "invoicing", cwd=client)
    assert exists.returncode == 1
    assert "already has quickscale_modules/invoicing/" in exists.stderr
    assert "choose another --module name" in exists.stderr
    assert lab.git(source, "for-each-ref") == refs


def test_an_extracted_module_merged_into_the_source_is_enabled_in_another_project(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole loop of the spec: client code -> extract branch -> reviewed and merged
    into the source -> listed by the catalogue -> enabled in a second client from
    quickscale.yml alone, with nothing in core edited."""
    source, client = _client_with_app(lab)
    done = lab.qs(
        "extract", "acme/invoicing", "--module", "invoicing", "--source", str(source), cwd=client
    )
    assert done.returncode == 0, done.stderr
    lab.git(source, "merge", "-q", "--no-ff", "--no-edit", "extract/invoicing")
    listed = lab.qs("components", "--source", str(source), "--format", "json", cwd=lab.root)
    assert listed.returncode == 0, listed.stderr
    assert "modules/invoicing" in listed.stdout

    monkeypatch.setenv("QUICKSCALE_SOURCE", str(source))  # validate/generate read it too
    beta = lab.client(source, "beta")
    config = beta / "quickscale.yml"
    if "schema_version: 1" in config.read_text():
        upgraded = lab.qs("config", "upgrade", cwd=beta)
        assert upgraded.returncode == 0, upgraded.stderr
    append(config, "modules:\n  invoicing: {}")
    assert lab.qs("validate", cwd=beta).returncode == 0
    lab.commit_all(beta, "beta: enable invoicing")
    generated = lab.qs("generate", "--no-migrations", cwd=beta)
    assert generated.returncode == 0, generated.stdout + generated.stderr

    assert (beta / MODULE / "src/quickscale_modules/invoicing/services.py").is_file()
    assert '"quickscale_modules.invoicing"' in (beta / "beta/settings.py").read_text()
    assert "-e ./quickscale_modules/invoicing" in (beta / "requirements.txt").read_text()
    squash = lab.git(beta, "log", "-1", "--format=%B", "--grep=git-subtree-dir: " + MODULE)
    assert f"git-subtree-dir: {MODULE}" in squash
    # The project starts with the module's app installed (its code from the subtree).
    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=beta,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": f"{beta / MODULE / 'src'}",
            "DJANGO_SETTINGS_MODULE": "beta.settings",
        },
    )
    assert check.returncode == 0, check.stdout + check.stderr
