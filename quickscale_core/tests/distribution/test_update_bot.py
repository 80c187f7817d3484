"""The generated project's update bot: ``scripts/quickscale-update-branch``, run in a real
client project against a real source that publishes a second version.

The script is what .github/workflows/quickscale-update.yml runs before pushing the branch
and opening the pull request (the one step that needs GitHub, not tested here).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Lab, add_component, append

SCRIPT = "scripts/quickscale-update-branch"
NAMES = "quickscale_core/src/quickscale_toolchain/names.py"


def _bot(
    lab: Lab, client: Path, source: Path, *args: str, outputs: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the client's own script, executable as committed, with the real CLI."""
    env = {**os.environ, "QUICKSCALE": lab.bin, "QUICKSCALE_SOURCE": str(source)}
    env.pop("GITHUB_OUTPUT", None)
    if outputs is not None:
        env["GITHUB_OUTPUT"] = str(outputs)
    return subprocess.run(
        [str(client / SCRIPT), *args], cwd=client, env=env, capture_output=True, text=True
    )


def _outputs(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines)


def test_an_update_goes_on_a_new_branch_as_the_update_commit(lab: Lab, tmp_path: Path) -> None:
    source = lab.source()
    client = lab.client(source)
    assert lab.git(client, "ls-files", "-s", SCRIPT).startswith("100755 ")
    main = lab.git(client, "rev-parse", "main")
    lab.release(source, "0.2.0")
    outputs, body = tmp_path / "github_output", tmp_path / "body.md"

    done = _bot(lab, client, source, "--body", str(body), outputs=outputs)

    assert done.returncode == 0, done.stderr
    branch = lab.git(client, "symbolic-ref", "--short", "HEAD")
    assert branch.startswith("quickscale/update-")
    assert _outputs(outputs) == {
        "branch": branch,
        "title": "Update QuickScale: core 0.1.0 -> 0.2.0",
    }
    # main is untouched; the branch holds exactly the update's merge commit on top of it,
    # the one `quickscale update --component core` makes (its squash as second parent).
    assert lab.git(client, "rev-parse", "main") == main
    assert lab.git(client, "rev-list", "--count", f"main..{branch}", "--first-parent") == "1"
    assert lab.git(client, "rev-parse", f"{branch}^1") == main
    squash = lab.git(client, "log", "-1", "--format=%B", f"{branch}^2")
    assert "git-subtree-dir: quickscale_core" in squash
    assert "# release 0.2.0" in (client / NAMES).read_text()
    assert 'version = "0.2.0"' in (client / "quickscale_core/pyproject.toml").read_text()
    assert lab.git(client, "status", "--porcelain") == ""
    text = body.read_text()
    assert "| `core` | 0.1.0 | 0.2.0 | updated |" in text
    assert f"M {NAMES}" in text
    assert "Not updated here" not in text

    # The same updates again, from main: the branch exists, so nothing happens.
    lab.git(client, "switch", "-q", "main")
    state = lab.state(client)
    again = _bot(lab, client, source, outputs=tmp_path / "again")
    assert again.returncode == 0, again.stderr
    assert "already proposed" in again.stdout
    assert lab.state(client) == state and not (tmp_path / "again").exists()

    # A fresh clone, as CI makes it, sees the pushed branch as origin's: nothing happens.
    clone = lab.root / "ci-clone"
    lab.git(lab.root, "clone", "-q", str(client), str(clone))
    state = lab.state(clone)
    in_ci = _bot(lab, clone, source, outputs=tmp_path / "ci")
    assert in_ci.returncode == 0, in_ci.stderr
    assert f"refs/remotes/origin/{branch}" in in_ci.stdout
    assert lab.state(clone) == state and not (tmp_path / "ci").exists()

    # A newer release is a new set of updates: a new branch, again from main.
    lab.release(source, "0.3.0")
    newer = _bot(lab, client, source, outputs=tmp_path / "newer")
    assert newer.returncode == 0, newer.stderr
    assert _outputs(tmp_path / "newer")["title"] == "Update QuickScale: core 0.1.0 -> 0.3.0"
    assert _outputs(tmp_path / "newer")["branch"] not in ("", branch)


def test_up_to_date_it_does_nothing(lab: Lab, tmp_path: Path) -> None:
    source = lab.source()
    client = lab.client(source)
    state = lab.state(client)
    outputs, body = tmp_path / "github_output", tmp_path / "body.md"

    done = _bot(lab, client, source, "--body", str(body), outputs=outputs)

    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    assert lab.state(client) == state
    assert not outputs.exists() and not body.exists()


def test_a_conflicting_component_is_undone_and_reported_the_others_go_ahead(
    lab: Lab, tmp_path: Path
) -> None:
    source = lab.source(extra=("modules/widgets",))
    assert lab.qs("publish", cwd=source).returncode == 0
    client = lab.client(source)
    lab.embed(client, source, "modules/widgets")
    append(client / NAMES, "# acme: conflicting local line")
    main = lab.commit_all(client, "acme: edit names.py")
    lab.release(source, "0.2.0")  # appends a different line at the same place
    add_component(source, "modules/widgets", "0.2.0")
    lab.commit_all(source, "widgets 0.2.0")
    outputs, body = tmp_path / "github_output", tmp_path / "body.md"

    done = _bot(lab, client, source, "--body", str(body), outputs=outputs)

    assert done.returncode == 0, done.stderr
    assert "core: not updated" in done.stderr and NAMES in done.stderr
    branch = _outputs(outputs)["branch"]
    assert _outputs(outputs)["title"] == "Update QuickScale: modules/widgets 0.1.0 -> 0.2.0"
    # Only the module's merge is on the branch; core's conflicting merge was aborted.
    assert lab.git(client, "rev-parse", f"{branch}^1") == main
    assert lab.git(client, "status", "--porcelain") == ""
    assert not (client / ".git/MERGE_HEAD").exists()
    assert "# acme: conflicting local line" in (client / NAMES).read_text()
    assert "# release 0.2.0" not in (client / NAMES).read_text()
    widgets = (client / "quickscale_modules/widgets/pyproject.toml").read_text()
    assert 'version = "0.2.0"' in widgets
    text = body.read_text()
    assert "| `core` | 0.1.0 | 0.2.0 | failed |" in text
    assert "| `modules/widgets` | 0.1.0 | 0.2.0 | updated |" in text
    assert "run `quickscale update --component core` locally" in text


def test_when_nothing_can_be_updated_the_branch_is_removed_and_it_fails(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    append(client / NAMES, "# acme: conflicting local line")
    lab.commit_all(client, "acme: edit names.py")
    lab.release(source, "0.2.0")
    state = lab.state(client)

    done = _bot(lab, client, source)

    assert done.returncode == 1
    assert "no component could be updated" in done.stderr
    assert lab.state(client) == state  # on main, no new branch, a clean tree


def test_a_title_from_the_source_stays_one_safe_line(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The title goes to $GITHUB_OUTPUT as ``title=…``: a newline in a version string
    from the source must not add an output line (``branch=…``) of its own."""
    from importlib.machinery import SourceFileLoader
    from importlib.util import module_from_spec, spec_from_loader

    client = lab.client(lab.source())
    loader = SourceFileLoader("update_branch", str(client / SCRIPT))
    spec = spec_from_loader("update_branch", loader)
    assert spec is not None
    script = module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "update_branch", script)  # for its dataclasses
    loader.exec_module(script)

    title = script.one_line("Update QuickScale: core 0.1.0 -> 0.2.0\nbranch=main")

    assert title == "Update QuickScale: core 0.1.0 -> 0.2.0?branch?main"


def test_refuses_uncommitted_changes_and_a_failing_check(lab: Lab, tmp_path: Path) -> None:
    source = lab.source()
    client = lab.client(source)
    lab.release(source, "0.2.0")
    append(client / "README.md", "local edit")
    state = lab.state(client)

    dirty = _bot(lab, client, source)
    missing_source = _bot(lab, client, tmp_path / "no-such-source")

    assert dirty.returncode == 1 and "uncommitted changes" in dirty.stderr
    assert missing_source.returncode == 1
    assert "quickscale update --check failed" in missing_source.stderr
    assert lab.state(client) == state
