"""Fixtures for generator tests (helpers live in gen_support.py).

Tests that need a real `init` use ``initialized_project``, which embeds quickscale_core
from a throwaway source repository made from this working tree (init reads committed
history only).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gen_support import (
    config,
    django_free_env,
    generate,
    make_project,
    tree_bytes,
    tree_digest,
    write_config,
)
from quickscale_toolchain.generator.plan import Plan


@dataclass
class Helpers:
    config: Callable[..., dict[str, Any]]
    write_config: Callable[[Path, dict[str, Any]], None]
    make_project: Callable[[Path, dict[str, Any]], Path]
    generate: Callable[[Path], Plan]
    tree_bytes: Callable[[Path], dict[str, bytes]]
    tree_digest: Callable[[Path], dict[str, str]]


@pytest.fixture
def qs() -> Helpers:
    return Helpers(config, write_config, make_project, generate, tree_bytes, tree_digest)


@pytest.fixture(scope="session")
def source_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git source repository holding this working tree's quickscale_core, committed."""
    from quickscale_testing.repos import make_source_repo

    return make_source_repo(tmp_path_factory.mktemp("source") / "quickscale")


@pytest.fixture(scope="session")
def initialized_template(tmp_path_factory: pytest.TempPathFactory, source_repo: Path) -> Path:
    """One real `quickscale init acme` (git repo, embedded core), copied per test."""
    from quickscale_toolchain.generator.scaffold import create_project

    parent = tmp_path_factory.mktemp("init")
    project = create_project("acme", parent, source=str(source_repo))
    (project / ".env").write_text(
        "DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=generator-tests-only-0123456789abcdefghijklmnop\n",
        "utf-8",
    )
    return project


@pytest.fixture
def initialized_project(initialized_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    shutil.copytree(initialized_template, target, symlinks=True)
    return target


@pytest.fixture
def project_env() -> Callable[..., dict[str, str]]:
    return django_free_env
