"""docs/security.md names, for each promise, the test that proves it; every such name
must be a test that exists, or the promise is unproven without anyone noticing.

A reference is ``path::test`` (a parametrised id's ``[…]`` is ignored), or ``::test`` for
one more test of the file named just before. ``path`` is relative to the monorepo root,
or, for a generated project's own tests (``tests/test_site.py``), the file a component
ships under ``generate/project/__tests__/`` or core's ``templates/project/__tests__/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from quickscale_testing.repos import monorepo_root

ROOT = monorepo_root()
SECURITY = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`((?:[\w./-]+\.py)?)::(\w+)(?:\[[^\]`]*\])?`")


def references() -> list[tuple[str, str]]:
    """(file, test) pairs in the order docs/security.md names them."""
    found: list[tuple[str, str]] = []
    current = ""
    for path, test in REFERENCE.findall(SECURITY.read_text()):
        current = path or current
        found.append((current, test))
    return found


def sources(path: str) -> list[Path]:
    """The files a reference may mean: the monorepo's own, or a generated project's
    test as some component ships it."""
    if (ROOT / path).is_file():
        return [ROOT / path]
    if not path.startswith("tests/"):
        return []
    name = path.removeprefix("tests/") + ".j2"
    return sorted(ROOT.glob(f"quickscale_*/**/__tests__/{name}"))


def test_the_doc_names_tests() -> None:
    assert len(references()) >= 20


@pytest.mark.parametrize(("path", "test"), references())
def test_every_test_the_doc_names_exists(path: str, test: str) -> None:
    files = sources(path)
    assert files, f"docs/security.md names {path}, which no component has"
    defined = re.compile(rf"^\s*(?:async\s+)?def {test}\(", re.MULTILINE)
    assert any(defined.search(file.read_text()) for file in files), f"{path}::{test}"
