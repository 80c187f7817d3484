"""What `docker build` sends of a generated project: nothing that git ignores.

The Dockerfile runs `COPY . .`, so whatever the build context holds ends up in the
image: a database dump from `manage.py backup`, an upload, `.env` once did. The
project here has every module enabled and the components' own .gitignore files where
`init` and `generate` embed them. It is filled with a sample file for every pattern of
every .gitignore in it (at the top and, where git applies the pattern at any depth,
nested), plus the usual local files; git says which files it ignores, and the context
is listed by the Docker SDK's own implementation of .dockerignore's rules
(``docker.utils.build.exclude_paths``, pinned in requirements-dev.txt), as `docker
build` would send it. The list therefore follows the .gitignore files, not a hand list.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docker.utils.build import exclude_paths
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.catalog import from_directory
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.scaffold import render_project, write_files
from quickscale_toolchain.generator.wiring import ModuleChoice

EMBEDDED = ("quickscale_core", "quickscale_modules", "quickscale_themes")

#: What a project that has been worked in holds beside its code (each git-ignored).
LOCAL_FILES = (
    "backups/default-2026-01-01-020000.psql.gz",
    "media/uploads/avatar.png",
    ".env",
    ".env.production",
    ".venv/bin/python",
    ".venv/lib/python3.11/site-packages/django/__init__.py",
    "acme/__pycache__/settings.cpython-311.pyc",
    "quickscale_core/src/quickscale_core/__pycache__/security.cpython-311.pyc",
    "db.sqlite3",
    "staticfiles/css/main.css",
    ".quickscale/pending.json",
)

#: Tracked files the image does without (the project's tests run in CI, not in the image).
LEFT_OUT_ON_PURPOSE = re.compile(r"^(\.quickscale/|\.env\.example$|backups/|tests/)")


def _git(root: Path, *args: str) -> list[str]:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.splitlines()


def _sample(pattern: str) -> str:
    """A relative path that ``pattern`` (one .gitignore line, anchors removed) matches."""
    path = pattern.strip("/").replace("**", "deep")
    path = re.sub(r"\[!?([^\]])[^\]]*\]", r"\1", path)  # [cod] -> c
    return path.replace("*", "sample").replace("?", "x")


def _samples(ignore_file: Path, root: Path) -> list[str]:
    """Files each pattern of ``ignore_file`` should make git ignore, relative to root."""
    base = ignore_file.parent.relative_to(root)
    found = []
    for line in ignore_file.read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith(("#", "!")):
            continue
        name = _sample(pattern)
        places = [base]
        if "/" not in pattern.rstrip("/"):  # git applies it at any depth below base
            places.append(base / "nested" / "deeper")
        for place in places:
            # A directory pattern ignores what is inside; a file pattern the file itself.
            found.append(
                str(place / name / "inside.txt" if pattern.endswith("/") else place / name)
            )
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every module's project, with the components' .gitignore files embedded, as a git
    repository whose tracked files are all the generated ones."""
    source = monorepo_root()
    catalog = from_directory(source, origin="source")
    spec = ProjectSpec(
        "acme", modules=tuple(ModuleChoice(m) for m in catalog.modules), catalog=catalog
    )
    root = tmp_path_factory.mktemp("context") / "acme"
    write_files(root, render_project(spec))
    for path in _git(source, "ls-files", "--", *(f"{c}/**.gitignore" for c in EMBEDDED)):
        if "/generate/" not in path:  # a template, not an embedded .gitignore
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes((source / path).read_bytes())
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    return root


@pytest.fixture(scope="module")
def planted(project: Path) -> list[str]:
    """The sample and local files, written into the project after `git add`."""
    ignore_files = sorted(project.rglob(".gitignore"))
    assert project / ".gitignore" in ignore_files and project / "backups/.gitignore" in ignore_files
    paths = [*LOCAL_FILES, *(p for f in ignore_files for p in _samples(f, project))]
    for path in paths:
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text("local, never shipped\n")
    return paths


def _context(project: Path) -> set[str]:
    lines = (project / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return exclude_paths(str(project), patterns, dockerfile="Dockerfile")


def test_no_git_ignored_file_is_in_the_docker_build_context(
    project: Path, planted: list[str]
) -> None:
    ignored = set(_git(project, "ls-files", "--others", "--ignored", "--exclude-standard"))
    assert set(planted) <= ignored, "a sample git does not ignore: fix _samples"
    assert sorted(ignored & _context(project)) == []


def test_every_tracked_file_but_generate_s_records_is_in_the_context(
    project: Path, planted: list[str]
) -> None:
    tracked = set(_git(project, "ls-files"))
    assert {"Dockerfile", "manage.py", "requirements.txt", "acme/settings.py"} <= tracked
    missing = {path for path in tracked - _context(project) if not LEFT_OUT_ON_PURPOSE.match(path)}
    assert sorted(missing) == []
