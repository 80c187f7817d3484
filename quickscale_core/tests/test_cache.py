"""The per-user cache (quickscale_toolchain.cache) may skip work, never change a result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from quickscale_toolchain.manifest import ManifestError, parse_manifest

GOOD = """\
[project]
name = "quickscale-theme-cached"
version = "1.0.0"

[tool.quickscale]
kind = "theme"
name = "cached"
description = "A theme for the cache tests."
apps = ["quickscale_themes.cached"]
"""


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("QUICKSCALE_CACHE_DIR", str(home))
    monkeypatch.delenv("QUICKSCALE_NO_CACHE", raising=False)
    return home


def test_a_validated_manifest_is_remembered_and_a_changed_one_is_checked_again(
    cache_home: Path,
) -> None:
    assert parse_manifest(GOOD, "cached/pyproject.toml").name == "cached"
    assert len(list((cache_home / "manifests").iterdir())) == 1
    broken = GOOD.replace('kind = "theme"', 'kind = "plugin"')
    with pytest.raises(ManifestError, match="kind"):
        parse_manifest(broken, "cached/pyproject.toml")
    # A failure is never remembered: the same text fails again.
    with pytest.raises(ManifestError, match="kind"):
        parse_manifest(broken, "cached/pyproject.toml")
    assert len(list((cache_home / "manifests").iterdir())) == 1


def test_a_warm_cache_reads_a_manifest_without_importing_jsonschema(cache_home: Path) -> None:
    probe = (
        "import sys\n"
        "from quickscale_toolchain.manifest import parse_manifest\n"
        f"parse_manifest({GOOD!r}, 'cached/pyproject.toml')\n"
        "print('jsonschema' in sys.modules)\n"
    )
    env = {"QUICKSCALE_CACHE_DIR": str(cache_home), "PATH": "/usr/bin:/bin"}
    cold = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    warm = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert (cold.stdout.strip(), warm.stdout.strip()) == ("True", "False"), cold.stderr


def test_no_cache_and_an_unwritable_location_mean_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quickscale_toolchain.cache import cache_dir

    monkeypatch.setenv("QUICKSCALE_NO_CACHE", "1")
    assert cache_dir("manifests") is None
    monkeypatch.delenv("QUICKSCALE_NO_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("QUICKSCALE_CACHE_DIR", str(blocker))
    assert cache_dir("manifests") is None
    assert parse_manifest(GOOD, "cached/pyproject.toml").name == "cached"


def test_rendering_with_a_warm_template_cache_gives_the_same_bytes(cache_home: Path) -> None:
    from quickscale_toolchain.generator.context import ProjectSpec
    from quickscale_toolchain.generator.project_files import render_project

    cold = render_project(ProjectSpec(name="cachedsite"))
    assert any((cache_home / "jinja").iterdir())
    warm = render_project(ProjectSpec(name="cachedsite"))
    assert {p: f.content for p, f in cold.items()} == {p: f.content for p, f in warm.items()}
