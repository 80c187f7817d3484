"""`quickscale sync push`: the client's fix lands in the source as a review branch."""

from __future__ import annotations

from pathlib import Path

from conftest import Lab, append

NAMES = "quickscale_core/src/quickscale_toolchain/names.py"
PINS = "quickscale_core/src/quickscale_toolchain/pins.py"
FIX = "# acme: a fix worth sharing"


def _branch(lab: Lab, stdout: str) -> str:
    branch = stdout.strip().splitlines()[-1]
    assert branch.startswith("sync/acme/core-"), stdout
    return branch


def _client_with_fix_after_an_update(lab: Lab) -> tuple[Path, Path]:
    """The fix is made before an update to release 2: only the fix may travel back."""
    source = lab.source()
    client = lab.client(source)
    append(client / PINS, FIX)
    lab.commit_all(client, "acme: fix pins")
    lab.release(source, "0.2.0")
    updated = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert updated.returncode == 0, updated.stderr
    return source, client


def test_sync_push_creates_a_branch_with_exactly_the_fix(lab: Lab) -> None:
    source, client = _client_with_fix_after_an_update(lab)
    lab.release(source, "0.3.0", line="# main moved on {v}")  # main is ahead of the client
    main_before = lab.git(source, "rev-parse", "main")
    status_before = lab.git(source, "status", "--porcelain", "--untracked-files=all")
    client_before = lab.state(client)

    done = lab.qs("sync", "push", "--component", "core", "--source", str(source), cwd=client)

    assert done.returncode == 0, done.stderr
    branch = _branch(lab, done.stdout)
    assert lab.git(source, "rev-parse", "main") == main_before
    assert lab.git(source, "status", "--porcelain", "--untracked-files=all") == status_before
    assert lab.state(client) == client_before
    assert lab.git(source, "rev-parse", f"{branch}^") == main_before
    assert lab.git(source, "rev-list", "--count", f"main..{branch}") == "1"
    assert lab.git(source, "diff", "--name-only", "main", branch) == PINS
    diff = lab.git(source, "diff", "-U0", "main", branch)
    added = [line for line in diff.splitlines() if line.startswith(("+", "-"))]
    assert added == [f"--- a/{PINS}", f"+++ b/{PINS}", f"+{FIX}"]
    assert "acme: fix pins" in lab.git(source, "log", "-1", "--format=%B", branch)

    lab.git(source, "merge", "-q", "--no-ff", "--no-edit", branch)
    merged = (source / PINS).read_text()
    assert merged.endswith(FIX + "\n")
    assert "# main moved on 0.3.0" in (source / NAMES).read_text()


def test_sync_push_again_without_new_commits_reports_the_existing_branch(lab: Lab) -> None:
    source, client = _client_with_fix_after_an_update(lab)
    first = lab.qs("sync", "push", "-c", "core", "--source", str(source), cwd=client)
    refs = lab.git(source, "for-each-ref")
    second = lab.qs("sync", "push", "-c", "core", "--source", str(source), cwd=client)
    assert first.returncode == 0 and second.returncode == 0
    assert "Already sent as branch " + _branch(lab, first.stdout) in second.stdout
    assert lab.git(source, "for-each-ref") == refs


def test_sync_push_with_nothing_to_send(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    refs = lab.git(source, "for-each-ref")
    done = lab.qs("sync", "push", "-c", "core", "--source", str(source), cwd=client)
    assert done.returncode == 0 and "nothing to send" in done.stdout
    assert lab.git(source, "for-each-ref") == refs


def test_sync_push_to_a_url_source(lab: Lab) -> None:
    source, client = _client_with_fix_after_an_update(lab)
    main_before = lab.git(source, "rev-parse", "main")
    done = lab.qs("sync", "push", "-c", "core", "--source", source.as_uri(), cwd=client)
    assert done.returncode == 0, done.stderr
    branch = _branch(lab, done.stdout)
    assert lab.git(source, "rev-parse", "main") == main_before
    assert lab.git(source, "diff", "--name-only", "main", branch) == PINS


def test_sync_push_refuses_a_fix_that_no_longer_applies(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    append(client / NAMES, "# acme: edit at the end")
    lab.commit_all(client, "acme: names")
    lab.release(source, "0.2.0")  # main changed the same lines
    refs = lab.git(source, "for-each-ref")
    done = lab.qs("sync", "push", "-c", "core", "--source", str(source), cwd=client)
    assert done.returncode == 1
    assert "do not apply to the source's main" in done.stderr
    assert "quickscale update --component core" in done.stderr
    assert lab.git(source, "for-each-ref") == refs


def test_sync_push_of_a_module_fix_lands_under_the_module_prefix(lab: Lab) -> None:
    source = lab.source(extra=("modules/widgets",))
    assert lab.qs("publish", "-c", "modules/widgets", cwd=source).returncode == 0
    client = lab.client(source)
    prefix = lab.embed(client, source, "modules/widgets")
    target = f"{prefix}/src/quickscale_modules/widgets/__init__.py"
    append(client / target, "FIXED = True")
    lab.commit_all(client, "acme: widgets fix")
    main_before = lab.git(source, "rev-parse", "main")

    done = lab.qs("sync", "push", "-c", "modules", "--source", str(source), cwd=client)

    assert done.returncode == 0, done.stderr
    branch = done.stdout.strip().splitlines()[-1]
    assert branch.startswith("sync/acme/modules-widgets-")
    assert lab.git(source, "rev-parse", "main") == main_before
    assert lab.git(source, "diff", "--name-only", "main", branch) == target
