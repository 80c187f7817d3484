"""`quickscale init`: the happy path, every bad input, and a SIGKILL at any point
(Ctrl-C: test_init_interrupt.py)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
from quickscale_toolchain.errors import ExitCode


def tree(path: Path) -> list[str]:
    """Every entry under ``path`` (hidden ones included), to prove nothing was created."""
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def tracked_files(project: Path) -> dict[str, bytes]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=project, capture_output=True, check=True
    ).stdout.split(b"\0")
    return {n.decode(): (project / n.decode()).read_bytes() for n in names if n}


def test_init_creates_a_git_project_with_core_embedded_by_squashed_subtree(run_cli, tmp_path):
    result = run_cli("init", "acme", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "acme"
    for path in (
        "manage.py",
        "acme/settings.py",
        "quickscale.yml",
        ".env",
        "quickscale_core/src/quickscale_core/settings.py",
    ):
        assert (project / path).is_file(), path
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(log) >= 3
    assert any(line.startswith("Squashed 'quickscale_core/' content from commit") for line in log)
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""  # .env exists but is ignored, everything else committed
    assert ".env" not in tracked_files(project)
    assert "DJANGO_SECRET_KEY=" in (project / ".env").read_text()
    # only the project, no leftover build directory
    assert tree(tmp_path)[:1] == ["acme"] and not list(tmp_path.glob(".acme*"))


def test_two_inits_give_identical_tracked_files(run_cli, tmp_path):
    for where in ("one", "two"):
        (tmp_path / where).mkdir()
        assert run_cli("init", "acme", cwd=tmp_path / where).returncode == 0
    one = tracked_files(tmp_path / "one" / "acme")
    two = tracked_files(tmp_path / "two" / "acme")
    assert one.keys() == two.keys()
    assert [p for p in one if one[p] != two[p]] == []
    # the random development key differs, and lives only in the ignored .env
    env_one = (tmp_path / "one" / "acme" / ".env").read_text()
    assert env_one != (tmp_path / "two" / "acme" / ".env").read_text()


def test_init_into_an_existing_empty_directory_is_allowed(run_cli, tmp_path):
    (tmp_path / "acme").mkdir()
    assert run_cli("init", "acme", cwd=tmp_path).returncode == 0
    assert (tmp_path / "acme" / "manage.py").is_file()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("My-App", "'My-App' is not a valid project name"),
        ("class", "'class' is a Python keyword"),
        ("django", "would shadow the 'django' module"),
        ("test", "would shadow the 'test' module"),
        ("site", "would shadow the 'site' module"),
        ("quickscale_core", "would shadow the 'quickscale_core' module"),
        ("a/b", "'a/b' is a path, not a project name"),
        ("..", "'..' is a path, not a project name"),
    ],
)
def test_bad_names_exit_2_with_one_line_and_create_nothing(run_cli, tmp_path, name, message):
    result = run_cli("init", name, cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0] and " — " in lines[0]  # the message, then the fix
    assert tree(tmp_path) == []


def test_existing_non_empty_directory_is_refused_and_left_untouched(run_cli, tmp_path):
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "notes.txt").write_text("mine")
    result = run_cli("init", "acme", cwd=tmp_path)
    assert result.returncode == ExitCode.FAILED
    assert "directory 'acme' already exists and is not empty" in result.stderr
    assert "choose another project name" in result.stderr
    assert tree(tmp_path) == ["acme", "acme/notes.txt"]
    assert (tmp_path / "acme" / "notes.txt").read_text() == "mine"


def test_existing_file_with_the_name_is_refused(run_cli, tmp_path):
    (tmp_path / "acme").write_text("a file")
    result = run_cli("init", "acme", cwd=tmp_path)
    assert result.returncode == ExitCode.FAILED
    assert "'acme' already exists and is not a directory" in result.stderr
    assert tree(tmp_path) == ["acme"]


def test_missing_git_is_reported_with_how_to_install_it(run_cli, tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("init", "acme", cwd=work, env={"PATH": str(empty_bin)})
    assert result.returncode == ExitCode.FAILED
    assert result.stderr.strip() == (
        "error: git was not found on PATH — install git "
        "(e.g. 'apt-get install git' or 'brew install git') and retry"
    )
    assert tree(work) == []


@pytest.mark.parametrize("kind", ["missing", "not-git", "no-core"])
def test_unusable_source_is_refused(run_cli, tmp_path, kind):
    source = tmp_path / "src"
    if kind != "missing":
        source.mkdir()
    if kind == "no-core":
        subprocess.run(["git", "init", "-q"], cwd=source, check=True)
        (source / "README").write_text("x")
        subprocess.run(["git", "add", "-A"], cwd=source, check=True)
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
            cwd=source,
            check=True,
        )
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("init", "acme", "--source", str(source), cwd=work)
    assert result.returncode == ExitCode.FAILED, result.stderr
    expected = {
        "missing": "does not exist",
        "not-git": "is not a git repository",
        "no-core": "has no committed 'quickscale_core/'",
    }[kind]
    assert expected in result.stderr and "--source" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree(work) == []


def installed_from_an_index(site: Path) -> Path:
    """quickscale_core and quickscale_cli in ``site`` as a wheel from a package index
    leaves them: each package and its dist-info, without the direct_url.json that pip
    writes only for an install from a local directory or a URL. Nothing there is in a
    git checkout, so the CLI has no checkout to take shared code from."""
    import quickscale_toolchain

    import quickscale_cli
    import quickscale_core

    purelib = Path(sysconfig.get_paths()["purelib"])
    # quickscale_toolchain ships in the quickscale-core distribution.
    for package, dist in (
        (quickscale_core, "quickscale_core"),
        (quickscale_toolchain, None),
        (quickscale_cli, "quickscale_cli"),
    ):
        shutil.copytree(
            Path(package.__file__).parent,
            site / package.__name__,
            ignore=shutil.ignore_patterns("*.pyc"),
        )
        if dist:
            (info,) = purelib.glob(f"{dist}-*.dist-info")
            ignore = shutil.ignore_patterns("direct_url.json")
            shutil.copytree(info, site / info.name, ignore=ignore)
    return site


def test_without_a_source_or_checkout_init_refuses_in_one_line(source_repo, tmp_path):
    site = installed_from_an_index(tmp_path / "site")
    work = tmp_path / "work"
    work.mkdir()
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in {"QUICKSCALE_SOURCE", "PYTHONPATH"}}
    env |= {"PYTHONPATH": str(site), "QUICKSCALE_CACHE_DIR": str(cache)}

    def init(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "quickscale_cli", "init", *args]
        return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)

    refused = init("acme")
    assert refused.returncode == ExitCode.FAILED, refused.stderr
    assert refused.stderr.splitlines() == [
        "error: no source of shared code: quickscale was not installed from a checkout — "
        "pass --source PATH|URL or set QUICKSCALE_SOURCE"
    ]
    assert tree(work) == [] and not cache.exists()  # nothing written, not even a cache
    # the same installation, given a source, creates the project
    created = init("acme", "--source", str(source_repo))
    assert created.returncode == 0, created.stderr
    assert (work / "acme" / "quickscale_core" / "pyproject.toml").is_file()


IDENTITY_VARIABLES = {
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
}


@pytest.mark.parametrize(
    ("gitconfig", "variables", "expected"),
    [
        pytest.param("", {}, "run 'git config --global user.name \"Your Name\"' and ", id="none"),
        pytest.param(
            "[user]\n\tname = Ann\n", {}, "run 'git config --global user.email", id="no-email"
        ),
        pytest.param(
            "",
            {"GIT_AUTHOR_NAME": "Env Ann", "GIT_AUTHOR_EMAIL": "ann@env.invalid"}
            | {"GIT_COMMITTER_NAME": "Env Ann", "GIT_COMMITTER_EMAIL": "ann@env.invalid"},
            "Env Ann <ann@env.invalid>",
            id="from-the-environment",
        ),
        pytest.param(
            '[includeIf "gitdir:WORK/"]\n\tpath = WORK/../identity\n',
            {},
            "Inc Ann <ann@inc.invalid>",
            id="only-for-repositories-under-the-directory",
        ),
    ],
)
def test_init_needs_a_git_identity_and_commits_with_it(
    quickscale_bin, source_repo, tmp_path, gitconfig, variables, expected
):
    """Refused in one line before anything is written when git has no identity (HOME
    empty, no system config, no variables); else every commit is the user's own."""
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    (home / ".gitconfig").write_text(gitconfig.replace("WORK", str(work)))
    (tmp_path / "identity").write_text("[user]\n\tname = Inc Ann\n\temail = ann@inc.invalid\n")
    env = {k: v for k, v in os.environ.items() if k not in IDENTITY_VARIABLES}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    env |= {"QUICKSCALE_SOURCE": str(source_repo), **variables}
    result = subprocess.run(
        [quickscale_bin, "init", "acme"], cwd=work, env=env, capture_output=True, text=True
    )
    if expected.startswith("run "):  # refused before anything was written
        assert result.returncode == ExitCode.FAILED, result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: git has no identity to commit with (") and expected in line
        assert line.endswith(", then 'quickscale init' again")
        assert tree(work) == []  # no project, no hidden build directory
        return
    assert result.returncode == 0, result.stderr
    log = subprocess.run(
        ["git", "log", "--format=%an <%ae>%n%cn <%ce>"],
        cwd=work / "acme",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(log.stdout.splitlines()) == {expected}  # every author and committer


@pytest.fixture
def slow_git(tmp_path: Path) -> dict[str, str]:
    """A PATH whose `git` is the real one, slowed down, so a signal lands mid-build."""
    shim = tmp_path / "shim"
    shim.mkdir()
    real = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    (shim / "git").write_text(f'#!/bin/sh\nsleep 0.05\nexec {real} "$@"\n')
    (shim / "git").chmod(0o755)
    return {"PATH": f"{shim}:{os.environ['PATH']}"}


def _start_init(quickscale_bin: str, source_repo: Path, cwd: Path, env: dict[str, str]):
    return subprocess.Popen(
        [quickscale_bin, "init", "acme"],
        cwd=cwd,
        env={**os.environ, **env, "QUICKSCALE_SOURCE": str(source_repo)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_at_random_points_never_leaves_the_project(
    quickscale_bin, source_repo, tmp_path, slow_git
):
    rng = random.Random(20261126)
    work = tmp_path / "work"
    work.mkdir()
    killed = 0
    for _ in range(6):
        proc = _start_init(quickscale_bin, source_repo, work, slow_git)
        time.sleep(rng.uniform(0.05, 0.6))
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)
        if proc.returncode == -signal.SIGKILL:
            killed += 1
            assert not (work / "acme").exists()
        else:  # finished before the kill: then it must be complete
            assert (work / "acme" / "quickscale_core" / "pyproject.toml").is_file()
            subprocess.run(["rm", "-rf", str(work / "acme")], check=True)
    assert killed >= 3, "the kills should mostly land while init is still running"
    # a later init of the same name cleans what the killed ones left and succeeds
    finished = _start_init(quickscale_bin, source_repo, work, {})
    finished.communicate(timeout=60)
    assert finished.returncode == 0
    assert tree(work)[0] == "acme" and not list(work.glob(".acme*"))
