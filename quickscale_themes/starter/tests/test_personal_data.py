"""This component says it holds no personal data ('holds = false' in its manifest): true
while none of the apps it installs has a table (a model added later needs a declaration
instead, and this test says so)."""

from __future__ import annotations

from pathlib import Path

from quickscale_testing.personal_data import Declared


def test_holds_no_personal_data() -> None:
    Declared.of(Path(__file__).resolve().parents[1]).check_holds_nothing()
