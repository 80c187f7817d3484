"""Acceptance 1 of the foundation: a fresh venv, `pip install ./quickscale_core
./quickscale_cli`, then `quickscale init acme` with no flags at all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import clean_env, run
from quickscale_core.testing import monorepo_root

pytestmark = pytest.mark.e2e


def test_fresh_install_then_init_without_flags(tmp_path: Path) -> None:
    root = monorepo_root()
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    run(
        [str(venv / "bin/pip"), "install", "-q", "./quickscale_core", "./quickscale_cli"],
        cwd=root,
    )
    work = tmp_path / "work"
    work.mkdir()
    # The source is found from the install itself (pip's direct_url.json → this checkout).
    run([str(venv / "bin/quickscale"), "init", "acme"], cwd=work, env=clean_env())
    project = work / "acme"
    for path in (
        "manage.py",
        "acme/settings.py",
        "acme/urls.py",
        "acme/wsgi.py",
        "acme/asgi.py",
        "acme/backend_extensions.py",
        "quickscale.yml",
        "custom_frontend/templates/base.html",
        "custom_frontend/static/css/main.css",
        "custom_frontend/static/js/app.js",
        "custom_frontend/variants/default",
        "custom_frontend/variants/client_a",
        "requirements.txt",
        ".env.example",
        ".gitignore",
        "README.md",
        "tests/test_site.py",
        "pyproject.toml",
        ".github/workflows/ci.yml",
        "Dockerfile",
        "compose.yaml",
        "quickscale_core/pyproject.toml",
    ):
        assert (project / path).exists(), path
    log = run(["git", "log", "--oneline", "--graph"], cwd=project).stdout
    assert "Squashed 'quickscale_core/' content from commit" in log
    assert len(log.strip().splitlines()) >= 3
