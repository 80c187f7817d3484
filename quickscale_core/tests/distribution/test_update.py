"""`quickscale update` and `update --check` against real source and client repositories."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import Lab, add_component, append

NAMES = "quickscale_core/src/quickscale_toolchain/names.py"
PINS = "quickscale_core/src/quickscale_toolchain/pins.py"


def _split_of_last_squash(lab: Lab, client: Path) -> str:
    body = lab.git(client, "log", "-1", "--grep=^git-subtree-dir: quickscale_core", "--format=%b")
    return body.split("git-subtree-split:")[1].split()[0]


def test_update_brings_release_2_and_keeps_an_unrelated_client_edit(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    append(client / PINS, "# acme: local tweak")
    lab.commit_all(client, "acme: tweak embedded pins")
    before = lab.git(client, "rev-parse", "HEAD")
    lab.release(source, "0.2.0")

    done = lab.qs("update", "--component", "core", "--source", str(source), cwd=client)

    assert done.returncode == 0, done.stderr
    assert "core: 0.1.0 -> 0.2.0" in done.stdout
    assert f"M {NAMES}" in done.stdout and f"M {PINS}" not in done.stdout
    assert "# release 0.2.0" in (client / NAMES).read_text()
    assert "# acme: local tweak" in (client / PINS).read_text()
    assert 'version = "0.2.0"' in (client / "quickscale_core/pyproject.toml").read_text()
    assert lab.git(client, "rev-parse", "HEAD^1") == before
    assert lab.git(client, "status", "--porcelain") == ""
    # The new squash records the component commit built from the source's HEAD (the
    # next update's "previous split"): core's tree there, the source commit in a trailer.
    split = _split_of_last_squash(lab, client)
    assert lab.git(client, "rev-parse", f"{split}^{{tree}}") == lab.git(
        source, "rev-parse", "HEAD:quickscale_core"
    )
    head = lab.git(source, "rev-parse", "HEAD")
    assert f"Source-commit: {head}" in lab.git(client, "log", "-1", "--format=%B", split)


def test_successive_updates_keep_the_merge_base(lab: Lab) -> None:
    """Squashed history every time: a second and third update merge only new changes."""
    source = lab.source()
    client = lab.client(source)
    append(client / PINS, "# acme: local tweak")
    lab.commit_all(client, "acme: tweak")
    for version in ("0.2.0", "0.3.0"):
        lab.release(source, version)
        done = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
        assert done.returncode == 0, done.stderr
        assert f"-> {version}" in done.stdout
    text = (client / NAMES).read_text()
    assert text.count("# release 0.2.0") == 1 and text.count("# release 0.3.0") == 1
    assert "# acme: local tweak" in (client / PINS).read_text()
    again = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert again.returncode == 0 and "already up to date" in again.stdout


def test_check_reports_versions_exit_codes_and_changes_nothing(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    current = lab.qs("update", "--check", "--source", str(source), cwd=client)
    assert current.returncode == 0, current.stderr
    assert "0.1.0 -> 0.1.0" not in current.stdout and "up to date" in current.stdout

    lab.release(source, "0.2.0")
    state = lab.state(client)
    text = lab.qs("update", "--check", "--source", str(source), cwd=client)
    as_json = lab.qs("update", "--check", "--format", "json", "--source", str(source), cwd=client)

    assert text.returncode == 3 and "update available" in text.stdout
    assert as_json.returncode == 3
    report = json.loads(as_json.stdout)
    assert report["update_available"] is True
    # init also embeds the default theme (themes/starter), which has no release here
    [core] = [c for c in report["components"] if c["component"] == "core"]
    assert core["embedded"]["version"] == "0.1.0"
    assert core["available"]["version"] == "0.2.0"
    assert core["status"] == "update-available"
    assert lab.state(client) == state


def test_check_via_environment_source_and_unreleased_changes(lab: Lab) -> None:
    """Changed content without a version bump is still an available update (exit 3)."""
    source = lab.source()
    client = lab.client(source)
    append(source / NAMES, "# unreleased")
    lab.commit_all(source, "work in progress")
    import os
    import subprocess

    env = {**os.environ, "QUICKSCALE_SOURCE": str(source)}
    proc = subprocess.run(
        [lab.bin, "update", "--check"], cwd=client, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 3, proc.stderr
    assert "changed" in proc.stdout and "0.1.0" in proc.stdout


def test_update_to_a_release_tag_published_by_publish(lab: Lab) -> None:
    source = lab.source()
    assert lab.qs("publish", "--tag", cwd=source).returncode == 0
    client = lab.client(source)
    lab.release(source, "0.2.0")
    assert lab.qs("publish", "--tag", cwd=source).returncode == 0
    lab.release(source, "0.3.0")  # main moves on; the client asks for 0.2.0 exactly

    done = lab.qs("update", "-c", "core", "--ref", "0.2.0", "--source", str(source), cwd=client)

    assert done.returncode == 0, done.stderr
    assert "0.1.0 -> 0.2.0" in done.stdout
    assert _split_of_last_squash(lab, client) == lab.git(source, "rev-parse", "core-v0.2.0")
    assert "# release 0.3.0" not in (client / NAMES).read_text()


def test_update_over_a_url_source(lab: Lab) -> None:
    source = lab.source()
    assert lab.qs("publish", cwd=source).returncode == 0
    url = source.as_uri()
    client = lab.client(source)
    lab.release(source, "0.2.0")
    assert lab.qs("publish", cwd=source).returncode == 0

    check = lab.qs("update", "--check", "--source", url, cwd=client)
    done = lab.qs("update", "-c", "core", "--source", url, cwd=client)

    assert check.returncode == 3, check.stderr
    assert done.returncode == 0, done.stderr
    assert "0.1.0 -> 0.2.0" in done.stdout


def _embed(lab: Lab, client: Path, source: Path, component: str) -> None:
    """Embed a module by hand, exactly as docs/distribution.md shows."""
    assert lab.qs("publish", "-c", component, cwd=source).returncode == 0
    lab.embed(client, source, component)


def test_core_update_refused_when_it_breaks_a_modules_core_compatibility(lab: Lab) -> None:
    source = lab.source()
    add_component(source, "modules/widgets", "0.1.0", core_compatibility=">=0.1,<0.2")
    lab.commit_all(source, "add widgets")
    client = lab.client(source)
    _embed(lab, client, source, "modules/widgets")
    lab.release(source, "0.2.0")
    state = lab.state(client)

    done = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    check = lab.qs("update", "--check", "-c", "core", "--source", str(source), cwd=client)

    assert done.returncode == 1
    assert "outside modules/widgets's core-compatibility '>=0.1,<0.2'" in done.stderr
    assert "update modules/widgets first" in done.stderr
    assert lab.state(client) == state
    assert check.returncode == 0 and "incompatible" in check.stdout


@pytest.mark.parametrize("component", ["modules/widgets", "themes/plain"])
def test_module_or_theme_needing_a_newer_core_is_refused_then_works(
    lab: Lab, component: str
) -> None:
    kind, _, name = component.partition("/")
    source = lab.source()
    add_component(source, component, "0.1.0")
    lab.commit_all(source, f"add {name}")
    client = lab.client(source)
    _embed(lab, client, source, component)
    add_component(source, component, "0.2.0", core_compatibility=">=0.2,<1.0")
    lab.commit_all(source, f"{name} 0.2.0 needs core 0.2")
    lab.release(source, "0.2.0")
    state = lab.state(client)

    refused = lab.qs("update", "-c", kind, "-n", name, "--source", str(source), cwd=client)
    assert refused.returncode == 1
    assert (
        "needs core '>=0.2,<1.0'" in refused.stderr and "update --component core" in refused.stderr
    )
    assert lab.state(client) == state

    core = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    module = lab.qs("update", "-c", component, "--source", str(source), cwd=client)
    assert core.returncode == 0, core.stderr
    assert module.returncode == 0, module.stderr
    assert f"{component}: 0.1.0 -> 0.2.0" in module.stdout
    pyproject = client / f"quickscale_{component}" / "pyproject.toml"
    assert 'version = "0.2.0"' in pyproject.read_text()


def test_bulk_check_reports_a_module_that_is_not_a_subtree(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    add_component(client, "modules/local", "0.1.0")
    lab.commit_all(client, "a hand-made module")
    lab.release(source, "0.2.0")
    done = lab.qs("update", "--check", "--format", "json", "--source", str(source), cwd=client)
    assert done.returncode == 3, done.stderr
    rows = {row["component"]: row for row in json.loads(done.stdout)["components"]}
    assert rows["core"]["status"] == "update-available"
    assert rows["modules/local"]["status"] == "unmanaged"
    assert "no git subtree history" in rows["modules/local"]["detail"]
    strict = lab.qs("update", "--check", "-c", "modules", "--source", str(source), cwd=client)
    assert strict.returncode == 1 and "no git subtree history" in strict.stderr


def test_the_documented_manual_pull_and_the_wrapper_agree(lab: Lab) -> None:
    """docs/distribution.md: `git subtree pull --squash <source> core` is what update does."""
    source = lab.source()
    client = lab.client(source)
    lab.release(source, "0.2.0")
    assert lab.qs("publish", "--tag", cwd=source).returncode == 0
    twin = lab.root / "twin"
    lab.git(lab.root, "clone", "-q", str(client), str(twin))
    lab.git(
        twin, "subtree", "pull", "-q", "--prefix=quickscale_core", "--squash", str(source), "core"
    )
    wrapped = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert wrapped.returncode == 0, wrapped.stderr
    assert lab.git(twin, "rev-parse", "HEAD:quickscale_core") == lab.git(
        client, "rev-parse", "HEAD:quickscale_core"
    )
    check = lab.qs("update", "--check", "--source", str(source), cwd=twin)
    assert check.returncode == 0 and "up to date" in check.stdout


def test_update_after_gc_pruned_the_embedded_split_commit(lab: Lab) -> None:
    """A squash add leaves the upstream commit unreachable; update fetches it again."""
    source = lab.source()
    client = lab.client(source)
    embedded = _split_of_last_squash(lab, client)
    lab.git(client, "reflog", "expire", "--expire=now", "--all")
    lab.git(client, "gc", "-q", "--prune=now")
    assert lab.git(client, "cat-file", "-t", embedded, check=False) == ""
    lab.release(source, "0.2.0")
    done = lab.qs("update", "-c", "core", "--source", str(source), cwd=client)
    assert done.returncode == 0, done.stderr
    assert "0.1.0 -> 0.2.0" in done.stdout


def test_url_source_without_published_branches(lab: Lab) -> None:
    source = lab.source()
    client = lab.client(source)
    done = lab.qs("update", "--check", "--source", source.as_uri(), cwd=client)
    assert done.returncode == 1
    assert "has no core" in done.stderr and "quickscale publish" in done.stderr


def test_never_downgrades_unless_a_ref_asks_for_it(lab: Lab) -> None:
    source = lab.source()
    assert lab.qs("publish", "--tag", cwd=source).returncode == 0  # core-v0.1.0
    lab.release(source, "0.2.0")
    client = lab.client(source)  # embeds 0.2.0
    older = lab.root / "older"
    lab.git(lab.root, "clone", "-q", str(source), str(older))
    lab.git(older, "reset", "-q", "--hard", "HEAD~1")  # the monorepo at release 0.1.0
    head = lab.git(client, "rev-parse", "HEAD")

    check = lab.qs("update", "--check", "--source", str(older), cwd=client)
    skipped = lab.qs("update", "-c", "core", "--source", str(older), cwd=client)
    assert check.returncode == 0 and "older" in check.stdout
    assert skipped.returncode == 0 and "already up to date (0.2.0)" in skipped.stdout
    assert lab.git(client, "rev-parse", "HEAD") == head

    back = lab.qs("update", "-c", "core", "--ref", "0.1.0", "--source", str(source), cwd=client)
    assert back.returncode == 0, back.stderr
    assert "0.2.0 -> 0.1.0" in back.stdout
    assert "# release 0.2.0" not in (client / NAMES).read_text()


def test_a_clone_embedding_a_published_commit_is_told_how_to_fetch_it(lab: Lab) -> None:
    """A published release commit has the branch's previous tip as parent, so unlike a
    commit built on the fly it cannot be written again from the project's records. A
    fresh clone of the project never holds it, and a single-branch clone of upstream
    lacks the component branches: the stop names the fetch that brings them, and after
    running it verbatim the update goes through."""
    upstream = lab.source("upstream")
    assert lab.qs("publish", cwd=upstream).returncode == 0
    lab.release(upstream, "0.2.0")
    assert lab.qs("publish", cwd=upstream).returncode == 0
    assert lab.git(upstream, "rev-list", "--count", "core") == "2"  # a parent: not rebuildable
    made = lab.client(upstream)
    lab.release(upstream, "0.3.0")
    assert lab.qs("publish", cwd=upstream).returncode == 0
    client, source = lab.root / "acme-clone", lab.root / "source"
    lab.git(lab.root, "clone", "-q", "--no-local", str(made), str(client))
    lab.git(lab.root, "clone", "-q", "--no-local", "--single-branch", str(upstream), str(source))

    update = ("update", "--component", "core", "--source", str(source))
    stopped = lab.qs(*update, cwd=client)

    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    (line,) = [text for text in stopped.stderr.splitlines() if text.startswith("error: ")]
    assert line.startswith("error: the previously embedded commit "), line
    fix = re.search(r"run '([^']+)'", line)
    assert fix, line
    assert lab.git(client, "status", "--porcelain") == ""
    fetched = subprocess.run(["sh", "-c", fix.group(1)], cwd=client, capture_output=True)
    assert fetched.returncode == 0, fetched.stderr
    done = lab.qs(*update, cwd=client)
    assert done.returncode == 0, done.stderr
    assert "core: 0.2.0 -> 0.3.0" in done.stdout
