"""This component says it holds no personal data ('holds = false' in its manifest): true
while none of the apps it installs has a table (a model added later needs a declaration
instead, and this test says so)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.apps import apps

QUICKSCALE = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())[
    "tool"
]["quickscale"]


def test_holds_no_personal_data() -> None:
    assert QUICKSCALE["personal-data"] == {"holds": False}
    assert not any("user" in table for table in QUICKSCALE.get("models", {}).values())
    installed = [c for c in apps.get_app_configs() if c.name in QUICKSCALE["apps"]]
    assert len(installed) == len(QUICKSCALE["apps"])
    tables = [m._meta.label for c in installed for m in c.get_models() if m._meta.managed]
    assert tables == [], "declare these models' personal data instead of holds = false"
