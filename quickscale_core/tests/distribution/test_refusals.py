"""Every unsafe state is refused with one line naming the fix, exit 1, nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Lab, append

PINS = "quickscale_core/src/quickscale_toolchain/pins.py"

# Each command that changes a repository, as run inside a client project.
CHANGING = {
    "update": ("update", "--component", "core"),
    "sync push": ("sync", "push", "--component", "core"),
    "extract": ("extract", "acme/settings.py", "--module", "things"),
}


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    assert " — " in lines[0], "the line must name the fix after the dash"
    return lines[0]


def _refused(lab: Lab, cwd: Path, args: tuple[str, ...], *repos: Path) -> str:
    before = [lab.state(repo) for repo in repos]
    done = lab.qs(*args, cwd=cwd)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert [lab.state(repo) for repo in repos] == before
    return _one_error_line(done.stderr)


@pytest.mark.parametrize("command", ["update", "sync push"])
def test_dirty_working_tree(lab: Lab, command: str) -> None:
    source = lab.source()
    client = lab.client(source)
    lab.release(source, "0.2.0")
    append(client / PINS, "# uncommitted")
    line = _refused(lab, client, (*CHANGING[command], "--source", str(source)), client, source)
    assert "uncommitted changes" in line and PINS in line and "git commit" in line
    assert "# uncommitted" in (client / PINS).read_text()


def test_extract_refuses_uncommitted_changes_in_the_extracted_path(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    append(client / "acme/settings.py", "# uncommitted")
    line = _refused(lab, client, (*CHANGING["extract"], "--source", str(source)), client, source)
    assert "uncommitted changes" in line and "acme/settings.py" in line


@pytest.mark.parametrize(
    "args",
    [
        ("update", "--component", "core"),
        ("update", "--check"),
        ("sync", "push", "--component", "core"),
        ("extract", "code.py", "--module", "things"),
        ("publish",),
    ],
)
def test_not_a_git_repository(lab: Lab, args: tuple[str, ...]) -> None:
    plain = lab.root / "plain"
    plain.mkdir()
    (plain / "code.py").write_text("x = 1\n")
    done = lab.qs(*args, cwd=plain)
    assert done.returncode == 1
    line = _one_error_line(done.stderr)
    assert "is not a git repository" in line and "quickscale init" in line
    assert sorted(p.name for p in plain.iterdir()) == ["code.py"]


@pytest.mark.parametrize("command", ["update", "sync push", "extract"])
def test_detached_head(lab: Lab, command: str) -> None:
    source = lab.source()
    client = lab.client(source)
    lab.release(source, "0.2.0")
    lab.git(client, "checkout", "-q", "--detach", "HEAD")
    line = _refused(lab, client, (*CHANGING[command], "--source", str(source)), client, source)
    assert "detached HEAD" in line and "git switch" in line


def test_publish_refuses_detached_head(lab: Lab) -> None:
    source = lab.source()
    lab.git(source, "checkout", "-q", "--detach", "HEAD")
    line = _refused(lab, source, ("publish",), source)
    assert "detached HEAD" in line


def test_missing_component_in_the_client(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    args = ("update", "-c", "modules", "-n", "auth", "--source", str(source))
    line = _refused(lab, client, args, client, source)
    assert "modules/auth is not embedded" in line and "git subtree add" in line
    sync = ("sync", "push", "-c", "themes/todo", "--source", str(source))
    line = _refused(lab, client, sync, client, source)
    assert "themes/todo is not embedded" in line


def test_missing_core_in_the_client(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    lab.git(client, "rm", "-q", "-r", "quickscale_core")
    lab.commit_all(client, "drop core")
    line = _refused(lab, client, ("update", "-c", "core", "--source", str(source)), client)
    assert "core is not embedded" in line


@pytest.mark.parametrize(
    "source_arg", ["{root}/nowhere", "file:///{root}/nowhere.git", "{root}/not-a-repo"]
)
@pytest.mark.parametrize("command", ["update", "sync push", "extract"])
def test_unreachable_source(lab: Lab, command: str, source_arg: str) -> None:
    source = lab.source()
    client = lab.client(source)
    (lab.root / "not-a-repo").mkdir()
    append(client / PINS, "# a fix")  # so sync push has something to send
    lab.commit_all(client, "fix")
    where = source_arg.format(root=lab.root)
    line = _refused(lab, client, (*CHANGING[command], "--source", where), client, source)
    assert "source" in line and "--source" in line


def test_unreachable_source_for_check(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    shutil.rmtree(source)
    line = _refused(lab, client, ("update", "--check", "--source", str(source)), client)
    assert "does not exist" in line


def test_subtree_added_without_squash(lab: Lab) -> None:
    source = lab.source()
    assert lab.qs("publish", cwd=source).returncode == 0
    client = lab.root / "full"
    client.mkdir()
    lab.git(client, "init", "-q", "-b", "main")
    (client / "README.md").write_text("client\n")
    lab.commit_all(client, "start")
    lab.git(client, "subtree", "add", "-q", "--prefix=quickscale_core", str(source), "core")
    lab.release(source, "0.2.0")
    for args in (
        ("update", "-c", "core", "--source", str(source)),
        ("update", "--check", "--source", str(source)),
        ("sync", "push", "-c", "core", "--source", str(source)),
    ):
        line = _refused(lab, client, args, client, source)
        assert "added with full history, not with --squash" in line
        assert "git subtree add --squash --prefix=quickscale_core" in line


def test_component_copied_without_subtree_history(lab: Lab) -> None:
    source = lab.source()
    client = lab.root / "copied"
    client.mkdir()
    lab.git(client, "init", "-q", "-b", "main")
    shutil.copytree(source / "quickscale_core", client / "quickscale_core")
    lab.commit_all(client, "copy core by hand")
    line = _refused(lab, client, ("update", "-c", "core", "--source", str(source)), client)
    assert "no git subtree history" in line and "git subtree add --squash" in line


def test_usage_errors_exit_2(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    for args in (
        ("update",),
        ("update", "-c", "widgets"),
        ("update", "-c", "core", "-n", "x"),
        ("update", "-c", "modules", "-n", "Bad-Name"),
        ("extract", "acme", "--module", "9lives", "--source", str(source)),
        ("extract", "nope.py", "--module", "things", "--source", str(source)),
    ):
        before = lab.state(client)
        done = lab.qs(*args, cwd=client)
        assert done.returncode == 2, (args, done.stderr)
        assert lab.state(client) == before


def test_untracked_files_in_the_way_of_an_update(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    (source / "quickscale_core/NEW.txt").write_text("upstream\n")
    lab.release(source, "0.2.0")
    (client / "quickscale_core/NEW.txt").write_text("mine, untracked\n")
    line = _refused(lab, client, ("update", "-c", "core", "--source", str(source)), client, source)
    assert "untracked files are in the way" in line and "quickscale_core/NEW.txt" in line
    assert (client / "quickscale_core/NEW.txt").read_text() == "mine, untracked\n"
