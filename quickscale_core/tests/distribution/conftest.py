"""Real git repositories for the distribution tests: a source monorepo and clients.

Every test works on throwaway repositories under tmp_path with a hermetic git config,
and drives the installed ``quickscale`` console script in a subprocess, as a user does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from quickscale_testing.repos import TEST_IDENTITY, make_source_repo


def _quickscale_bin() -> str:
    candidate = Path(sys.executable).with_name("quickscale")
    found = str(candidate) if candidate.exists() else shutil.which("quickscale")
    assert found, "the quickscale console script is not installed in this environment"
    return found


@pytest.fixture(autouse=True)
def hermetic_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user/system git config, a fixed identity, no inherited QUICKSCALE_SOURCE."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("QUICKSCALE_SOURCE", raising=False)
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_INDEX_FILE", raising=False)
    for key, value in TEST_IDENTITY.items():
        monkeypatch.setenv(key, value)


@dataclass
class Lab:
    """Helpers over one test's temp directory."""

    root: Path
    bin: str

    def git(self, repo: Path, *args: str, check: bool = True) -> str:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout.strip()

    def qs(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """Run the real ``quickscale`` console script."""
        return subprocess.run(
            [self.bin, *args], cwd=cwd, capture_output=True, text=True, check=False
        )

    def commit_all(self, repo: Path, message: str) -> str:
        self.git(repo, "add", "-A")
        self.git(repo, "commit", "-q", "--allow-empty", "-m", message)
        return self.git(repo, "rev-parse", "HEAD")

    def source(self, name: str = "monorepo", extra: tuple[str, ...] = ()) -> Path:
        """A source monorepo at release 0.1.0 of core (plus ``extra`` components)."""
        # core plus the default theme, which every `init` embeds (quickscale_themes/starter)
        repo = make_source_repo(self.root / name, ("quickscale_core", "quickscale_themes/starter"))
        set_version(repo / "quickscale_core", "0.1.0")
        # The real starter needs today's core; this source's releases count from 0.1.0, so
        # its starter accepts every one of them (else going back to 0.1.0 would be refused).
        set_core_compatibility(repo / "quickscale_themes/starter", ">=0.1,<1.0")
        # Its changelog, like its version, is this source's own: release 0.1.0 only.
        (repo / "quickscale_core" / CHANGELOG).write_text(CHANGELOG_HEAD, encoding="utf-8")
        add_release_entry(repo / "quickscale_core", "0.1.0")
        for component in extra:
            add_component(repo, component, "0.1.0")
        self.commit_all(repo, "release core 0.1.0")
        return repo

    def release(self, repo: Path, version: str, line: str = "# release {v}") -> str:
        """A new core release: append a line to names.py, bump the version and give it
        a changelog entry (``publish --tag`` tags no version without one)."""
        target = repo / "quickscale_core/src/quickscale_toolchain/names.py"
        append(target, line.format(v=version))
        set_version(repo / "quickscale_core", version)
        add_release_entry(repo / "quickscale_core", version)
        return self.commit_all(repo, f"release core {version}")

    def client(self, source: Path, name: str = "acme") -> Path:
        """A client project made by the real ``quickscale init --source``."""
        made = self.qs("init", name, "--source", str(source), cwd=self.root)
        assert made.returncode == 0, made.stderr
        return self.root / name

    def embed(self, client: Path, source: Path, component: str) -> str:
        """Embed ``component`` (``modules/widgets``) by hand, as docs/distribution.md
        shows (``git subtree add --squash`` of its published branch); returns the prefix."""
        prefix = f"quickscale_{component}"
        self.git(
            client, "subtree", "add", "-q", f"--prefix={prefix}", "--squash", str(source), component
        )
        return prefix

    def state(self, repo: Path) -> tuple[str, str, str]:
        """HEAD, every ref and the porcelain status: equal before/after = nothing changed."""
        return (
            self.git(repo, "rev-parse", "HEAD"),
            self.git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
            self.git(repo, "status", "--porcelain", "--untracked-files=all"),
        )


def set_version(component_dir: Path, version: str) -> None:
    pyproject = component_dir / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^version = "[^"]*"', f'version = "{version}"', text, count=1)
    pyproject.write_text(text, encoding="utf-8")


CHANGELOG = "CHANGELOG.md"
CHANGELOG_HEAD = "# Changelog\n\n## [Unreleased]\n\n"


def add_release_entry(component_dir: Path, version: str) -> None:
    """A ``## [<version>]`` entry under Unreleased in the component's CHANGELOG.md,
    unless the file has one already (a test that wrote its own notes keeps them)."""
    path = component_dir / CHANGELOG
    text = path.read_text(encoding="utf-8") if path.exists() else CHANGELOG_HEAD
    if f"## [{version}]" in text:
        return
    entry = f"## [{version}] - 2026-12-07\n\n### Changed\n\n- release {version}\n\n"
    head, found, rest = text.partition("## [Unreleased]\n\n")
    path.write_text(head + found + entry + rest if found else text + "\n" + entry, encoding="utf-8")


def set_core_compatibility(component_dir: Path, compatibility: str) -> None:
    pyproject = component_dir / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text, found = re.subn(
        r'(?m)^core-compatibility = "[^"]*"', f'core-compatibility = "{compatibility}"', text
    )
    assert found == 1, f"{pyproject} declares no core-compatibility"
    pyproject.write_text(text, encoding="utf-8")


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def add_component(
    repo: Path, component: str, version: str, core_compatibility: str = ">=0.1,<1.0"
) -> Path:
    """A minimal module/theme (``modules/widgets``) with version and core-compatibility."""
    kind, _, name = component.partition("/")
    root = repo / f"quickscale_{kind}" / name
    package = root / "src" / f"quickscale_{kind}" / name
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(f'"""{name}."""\n', encoding="utf-8")
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "quickscale-{kind}-{name}"\nversion = "{version}"\n\n'
        f'[tool.quickscale]\nkind = "{kind.removesuffix("s")}"\nname = "{name}"\n'
        f'core-compatibility = "{core_compatibility}"\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    work = tmp_path / "lab"
    work.mkdir()
    return Lab(work, _quickscale_bin())
