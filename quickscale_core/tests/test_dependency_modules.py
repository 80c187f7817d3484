"""The modules a project name may not shadow are computed from the pinned distributions.

dependency_modules.json is data written by scripts/dependency-modules from the installed
distributions' metadata (top_level.txt and RECORD) for every pin generate writes. This
test runs the script's check, so a pin added or bumped without rewriting the data fails.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain import catalog, pins
from quickscale_toolchain.names import DEPENDENCY_MODULES_FILE, dependency_modules

SCRIPT = monorepo_root() / "scripts" / "dependency-modules"


def load_script() -> ModuleType:
    from importlib.machinery import SourceFileLoader

    loader = SourceFileLoader("dependency_modules_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_stored_modules_are_those_of_the_installed_pinned_distributions() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_every_pin_generate_writes_is_in_the_data() -> None:
    stored = json.loads(DEPENDENCY_MODULES_FILE.read_text(encoding="utf-8"))["distributions"]
    pinned = {name.split("[")[0] for name, _ in pins.RUNTIME + pins.TOOLCHAIN + pins.DEV + pins.CLI}
    for entry in catalog.from_directory(monorepo_root(), "checkout"):
        pinned |= {name for name, _ in entry.manifest.all_pins}
    assert set(stored) == pinned
    # The names of the finding, each from its distribution's own metadata.
    modules = dependency_modules()
    expected = {"csp": "django-csp", "celery": "celery", "axes": "django-axes", "redis": "redis"}
    assert {name: modules[name] for name in expected} == expected
    assert modules["environ"] == "django-environ" and modules["allauth"] == "django-allauth"


def test_the_check_fails_when_the_data_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_script()
    stale = json.loads(DEPENDENCY_MODULES_FILE.read_text(encoding="utf-8"))
    del stale["distributions"]["django-csp"]  # as if the pin had just been added
    data = tmp_path / "dependency_modules.json"
    data.write_text(json.dumps(stale, indent=2) + "\n", encoding="utf-8")
    monkeypatch.setattr(script, "DATA", data)
    assert script.main(["--check"]) == 1
    assert "run '.venv/bin/python scripts/dependency-modules'" in capsys.readouterr().err
    assert script.main([]) == 0  # rewrites it
    assert script.main(["--check"]) == 0
    assert "django-csp" in json.loads(data.read_text(encoding="utf-8"))["distributions"]


def test_a_pin_bump_makes_the_data_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = load_script()
    data = tmp_path / "dependency_modules.json"
    data.write_text(DEPENDENCY_MODULES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(script, "DATA", data)
    bumped = dict(script.pinned(), redis="0.0.0")
    monkeypatch.setattr(script, "pinned", lambda: bumped)
    assert script.main(["--check"]) == 1
