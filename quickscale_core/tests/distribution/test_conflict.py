"""A conflicting client edit: `update` stops, and both documented ways out work."""

from __future__ import annotations

from pathlib import Path

from conftest import Lab, add_component, append

NAMES = "quickscale_core/src/quickscale_toolchain/names.py"


def _conflicted(lab: Lab) -> tuple[Path, Path, str]:
    source = lab.source()
    client = lab.client(source)
    append(client / NAMES, "# acme: conflicting local line")
    head = lab.commit_all(client, "acme: edit names.py")
    lab.release(source, "0.2.0")  # appends a different line at the same place
    return source, client, head


DOC = Path(__file__).resolve().parents[3] / "docs" / "distribution.md"


def test_conflict_exits_1_lists_the_file_and_tells_how_to_finish_or_abort(lab: Lab) -> None:
    source, client, _head = _conflicted(lab)

    done = lab.qs("update", "--component", "core", "--source", str(source), cwd=client)

    assert done.returncode == 1
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert f"merge conflicts in {NAMES} — " in line
    assert "'git add' them and 'git commit' to finish" in line
    assert line.endswith("or run 'git merge --abort' to undo the update")
    assert line in DOC.read_text().splitlines()  # docs/distribution.md shows this very line
    unmerged = lab.git(client, "diff", "--name-only", "--diff-filter=U")
    assert unmerged == NAMES


def test_documented_abort_restores_the_exact_pre_update_state(lab: Lab) -> None:
    source, client, head = _conflicted(lab)
    state = lab.state(client)
    assert lab.qs("update", "-c", "core", "--source", str(source), cwd=client).returncode == 1

    lab.git(client, "merge", "--abort")

    assert lab.git(client, "rev-parse", "HEAD") == head
    assert lab.git(client, "status", "--porcelain", "--untracked-files=all") == ""
    assert lab.state(client) == state
    assert "# acme: conflicting local line" in (client / NAMES).read_text()
    # A later update refuses nothing and conflicts again the same way (state is sane).
    again = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert again.returncode == 1 and NAMES in again.stderr


def test_finishing_the_merge_by_hand_completes_the_update(lab: Lab) -> None:
    source, client, head = _conflicted(lab)
    assert lab.qs("update", "-c", "core", "--source", str(source), cwd=client).returncode == 1
    refused = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert refused.returncode == 4 and "an unfinished merge" in refused.stderr

    text = (client / NAMES).read_text()
    resolved = "".join(
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(("<<<<<<<", "=======", ">>>>>>>"))
    )
    (client / NAMES).write_text(resolved)
    lab.git(client, "add", NAMES)
    lab.git(client, "commit", "-q", "--no-edit")

    final = (client / NAMES).read_text()
    assert "# acme: conflicting local line" in final and "# release 0.2.0" in final
    assert lab.git(client, "rev-parse", "HEAD^1") == head
    assert 'version = "0.2.0"' in (client / "quickscale_core/pyproject.toml").read_text()
    check = lab.qs("update", "--check", "--source", str(source), cwd=client)
    assert check.returncode == 0 and "up to date" in check.stdout
    lab.release(source, "0.3.0", line="# unrelated {v}")
    # The hand-finished merge recorded the squash: the next update merges cleanly.
    nxt = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert nxt.returncode == 0, nxt.stderr
    assert "0.2.0 -> 0.3.0" in nxt.stdout


def test_updating_several_modules_reports_what_was_done_before_a_conflict(lab: Lab) -> None:
    source = lab.source(extra=("modules/alpha", "modules/beta"))
    assert lab.qs("publish", cwd=source).returncode == 0
    client = lab.client(source)
    for name in ("alpha", "beta"):
        lab.embed(client, source, f"modules/{name}")
    beta_init = "quickscale_modules/beta/src/quickscale_modules/beta/__init__.py"
    append(client / beta_init, "LOCAL = 1")
    lab.commit_all(client, "acme: beta tweak")
    for name in ("alpha", "beta"):
        add_component(source, f"modules/{name}", "0.2.0")
        append(
            source / f"quickscale_modules/{name}/src/quickscale_modules/{name}/__init__.py",
            "UPSTREAM = 2",
        )
    lab.commit_all(source, "alpha and beta 0.2.0")

    done = lab.qs("update", "-c", "modules", "--source", str(source), cwd=client)

    assert done.returncode == 1
    assert "modules/alpha: 0.1.0 -> 0.2.0" in done.stdout
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert line == (
        f"error: updating modules/beta stopped on merge conflicts in {beta_init} — resolve "
        "the markers in each, 'git add' them and 'git commit' to finish; or run "
        "'git merge --abort' to undo the update"
    )
    after_alpha = lab.git(client, "rev-parse", "HEAD")
    lab.git(client, "merge", "--abort")
    assert lab.git(client, "rev-parse", "HEAD") == after_alpha
    assert lab.git(client, "status", "--porcelain") == ""
    assert (
        "UPSTREAM = 2"
        in (
            client / "quickscale_modules/alpha/src/quickscale_modules/alpha/__init__.py"
        ).read_text()
    )
