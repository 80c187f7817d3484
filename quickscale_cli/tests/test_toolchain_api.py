"""The CLI against the oldest and the newest embedded toolchain, and one it cannot speak to.

Inside a project, validate, preview, generate, status (and deploy) re-run with the
project's own ``quickscale_core/src`` and agree with it on ``quickscale_toolchain.api``'s
API_VERSION. The oldest supported toolchain is core's layout on main before the
toolchain package existed (commit 18fbf44, API version 1, driven through
quickscale_cli.legacy); the newest is this checkout's (API version 2). A marker planted
in the project's *embedded* template shows which toolchain rendered the output: the
CLI's installed one has no such line.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from quickscale_testing.repos import TEST_IDENTITY, make_source_repo, monorepo_root

RunCli = Callable[..., subprocess.CompletedProcess[str]]

#: main when the runtime/toolchain split started: the oldest embedded core supported.
OLDEST = "18fbf4465e886bf0b3faa096a2e2deabd82e9644"
TEMPLATE = {
    "oldest": "quickscale_core/src/quickscale_core/generator/templates/project/dot-dockerignore.j2",
    "newest": "quickscale_core/src/quickscale_toolchain/generator/templates/project/"
    "dot-dockerignore.j2",
}
MARKER = "# rendered by the project's embedded toolchain\n"
DEPLOY = {
    "oldest": "quickscale_core/src/quickscale_core/deploy",
    "newest": "quickscale_core/src/quickscale_toolchain/deploy",
}
PREDATES = (
    "error: this project's quickscale_core predates deploys — run 'quickscale update "
    "--component core', then 'quickscale generate', and commit\n"
)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **TEST_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def oldest_source(dest: Path) -> Path:
    """A source repository holding core and the starter theme as they were at OLDEST
    (core's tests left out: nothing here runs them), MARKER planted in a template."""
    paths = ["quickscale_core/src", "quickscale_core/pyproject.toml", "quickscale_themes/starter"]
    archive = subprocess.run(
        ["git", "archive", "--format=tar", OLDEST, *paths],
        cwd=monorepo_root(),
        capture_output=True,
    )
    if archive.returncode != 0:
        pytest.fail(
            f"commit {OLDEST[:7]} (the oldest supported core) is not in this checkout's "
            "history: fetch it, e.g. 'git fetch --unshallow'"
        )
    dest.mkdir(parents=True)
    subprocess.run(["tar", "-x"], cwd=dest, input=archive.stdout, check=True)
    template = dest / TEMPLATE["oldest"]
    template.write_text(template.read_text() + MARKER)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", f"source at {OLDEST[:7]}")
    return dest


def project_on(run_cli: RunCli, parent: Path, source: Path, layout: str) -> Path:
    """``quickscale init acme`` from ``source``, with MARKER in the embedded template of
    .dockerignore (the oldest source has it already; the shared newest one must not)."""
    done = run_cli("init", "acme", cwd=parent, env={"QUICKSCALE_SOURCE": str(source)})
    assert done.returncode == 0, done.stdout + done.stderr
    project = parent / "acme"
    template = project / TEMPLATE[layout]
    if MARKER not in template.read_text():
        template.write_text(template.read_text() + MARKER)
        git(project, "commit", "-q", "-am", "a marker in the embedded template")
    return project


@pytest.mark.parametrize("layout", ["oldest", "newest"])
def test_the_cli_runs_the_project_s_embedded_toolchain(
    run_cli: RunCli, source_repo: Path, tmp_path: Path, layout: str
) -> None:
    source = oldest_source(tmp_path / "old-source") if layout == "oldest" else source_repo
    env = {"QUICKSCALE_SOURCE": str(source)}
    project = project_on(run_cli, tmp_path, source, layout)
    assert (project / "quickscale_core/src/quickscale_toolchain").exists() == (layout == "newest")

    valid = run_cli("validate", cwd=project, env=env)
    assert (valid.returncode, valid.stderr) == (0, ""), valid.stderr
    assert valid.stdout == "quickscale.yml: valid (schema_version 2)\n"
    behind = run_cli("status", "--no-migrations", cwd=project, env=env)
    assert behind.returncode == 1, behind.stdout + behind.stderr
    assert "  updated          .dockerignore\n" in behind.stdout
    preview = run_cli("preview", cwd=project, env=env)
    assert preview.returncode == 0, preview.stderr
    assert f"+{MARKER}" in preview.stdout  # the diff of .dockerignore
    done = run_cli("generate", "--no-migrations", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / ".dockerignore").read_text().endswith(MARKER)
    synced = run_cli("status", "--no-migrations", cwd=project, env=env)
    assert (synced.returncode, synced.stderr) == (0, ""), synced.stdout + synced.stderr
    assert synced.stdout.endswith("In sync: the code matches quickscale.yml.\n")
    # Without its deploy package the embedded toolchain has no deploys: nothing falls
    # back to the CLI's installed one.
    shutil.rmtree(project / DEPLOY[layout])
    cut = run_cli("deploy", "--env", "production", "--dry-run", cwd=project, env=env)
    assert (cut.returncode, cut.stdout, cut.stderr) == (1, "", PREDATES)
    git(project, "checkout", "--", "quickscale_core")
    if layout == "newest":
        return
    # 'quickscale update --component core' moves the project to today's layout, whose
    # templates (no marker) generate it from then on.
    make_source_repo(tmp_path / "today", ["quickscale_core", "quickscale_themes/starter"])
    for folder in ("quickscale_core", "quickscale_themes/starter"):
        shutil.rmtree(source / folder)
        shutil.copytree(tmp_path / "today" / folder, source / folder)
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "core and starter: today's layout")
    # The old core reads the source's manifests too, and today's declare what its schema
    # rejects: the fix is to move the core, not to edit the shared manifest.
    stale = run_cli("validate", cwd=project, env=env)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert stale.stderr.startswith(
        "error: this project's quickscale_core (from before quickscale_toolchain) cannot "
        "read a newer manifest: quickscale_themes/starter/pyproject.toml"
    ), stale.stderr
    assert stale.stderr.endswith(
        " — run 'quickscale update --component core', then 'quickscale generate'\n"
    ), stale.stderr
    assert stale.stderr.count("\n") == 1
    updated = run_cli("update", "--component", "core", cwd=project, env=env)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert (project / "quickscale_core/src/quickscale_toolchain/api.py").is_file()
    assert not (project / "quickscale_core/src/quickscale_core/generator").exists()
    again = run_cli("generate", "--no-migrations", cwd=project, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert MARKER not in (project / ".dockerignore").read_text()
    final = run_cli("status", "--no-migrations", cwd=project, env=env)
    assert final.returncode == 0, final.stdout + final.stderr


NEWER = (
    "error: this project's embedded toolchain speaks API version 99, newer than this "
    "quickscale CLI (1 to 2) — install the CLI again from a QuickScale checkout as new as "
    "the project's core (in that checkout: uv tool install --force ./quickscale_cli --with "
    "./quickscale_core)\n"
)
OLDER = (
    "error: this project's embedded toolchain speaks {what}, older than this quickscale "
    "CLI (1 to 2) — run 'quickscale update --component core', then the command again\n"
)


@pytest.fixture(scope="module")
def api_project(
    tmp_path_factory: pytest.TempPathFactory, quickscale_bin: str, source_repo: Path
) -> Path:
    parent = tmp_path_factory.mktemp("api")
    env = {**os.environ, "QUICKSCALE_SOURCE": str(source_repo)}
    subprocess.run([quickscale_bin, "init", "acme"], cwd=parent, env=env, check=True)
    return parent / "acme"


UNREADABLE = (
    "error: cannot read API_VERSION = <number> in the project's quickscale_toolchain/api.py "
    "({api}) — run 'git checkout -- quickscale_core/src/quickscale_toolchain/api.py', or "
    "'quickscale update --component core'\n"
)


@pytest.mark.parametrize(
    ("api_text", "commands", "code", "expected"),
    [
        (
            "API_VERSION = 99",
            [
                ["validate"],
                ["preview"],
                ["generate"],
                ["status"],
                ["deploy", "--env", "production", "--dry-run"],
            ],
            5,
            NEWER,
        ),
        ("API_VERSION = 1", [["status"]], 5, OLDER.format(what="API version 1")),
        (None, [["generate"]], 5, OLDER.format(what="no API this CLI knows")),
        ("API_VERSION = 1 + 1", [["preview"]], 1, UNREADABLE),
    ],
    ids=["newer", "older", "no-api", "unreadable"],
)
def test_an_api_version_the_cli_does_not_speak_is_one_line_and_exit_5(
    run_cli: RunCli,
    api_project: Path,
    api_text: str | None,
    commands: list[list[str]],
    code: int,
    expected: str,
) -> None:
    api = api_project / "quickscale_core/src/quickscale_toolchain/api.py"
    original = api.read_text()
    if api_text is None:
        api.unlink()
    else:
        assert "\nAPI_VERSION = 2\n" in original
        api.write_text(original.replace("\nAPI_VERSION = 2\n", f"\n{api_text}\n"))
    before = git(api_project, "status", "--porcelain")
    try:
        for args in commands:
            result = run_cli(*args, cwd=api_project)
            wanted = (code, "", expected.format(api=api))
            assert (result.returncode, result.stdout, result.stderr) == wanted, args
        assert git(api_project, "status", "--porcelain") == before  # nothing written
    finally:
        api.write_text(original)
    assert run_cli("status", "--no-migrations", cwd=api_project).returncode == 0


RELAUNCHED = ["validate", "preview", "generate", "status", "deploy", "_generation"]


def _toolchain_imports(path: Path) -> set[str]:
    """Every toolchain module a CLI module imports (in functions too, and under
    TYPE_CHECKING), as ``quickscale_toolchain.x`` or ``quickscale_toolchain:name``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("quickscale_toolchain")}
        elif isinstance(node, ast.ImportFrom) and node.module == "quickscale_toolchain":
            found |= {f"quickscale_toolchain.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "quickscale_toolchain"
        ):
            found.add(node.module or "")
    return found


@pytest.mark.parametrize("name", RELAUNCHED)
def test_a_relaunched_command_calls_the_toolchain_only_through_its_api(name: str) -> None:
    """The CLI's contract with an embedded toolchain is api.py (and the errors it
    raises): a command that reaches past it would depend on modules of one version."""
    import quickscale_cli.commands

    path = Path(quickscale_cli.commands.__file__).parent / f"{name}.py"
    allowed = {"quickscale_toolchain.api", "quickscale_toolchain.errors"}
    assert _toolchain_imports(path) <= allowed, f"{path.name} imports past the API"


def test_every_internal_status_has_its_api_member() -> None:
    """The API converts the generator's statuses by value: a new one there without its
    member here would fail at the first plan that holds it, so it fails here first."""
    from quickscale_toolchain import api
    from quickscale_toolchain.changes import ComponentStatus
    from quickscale_toolchain.generator.plan import Status

    words = {status.value for status in Status}
    assert words == {status.value for status in api.FileStatus}
    generate = {ComponentStatus.EMBED.value, ComponentStatus.REMOVE.value}
    assert generate == {action.value for action in api.ComponentAction}
    # Each word a status report may hold is a member of exactly one of the three enums.
    for word in [*words, *generate, "records", "unfinished"]:
        assert api.pending_state(word).value == word
    kinds = (api.FileStatus, api.ComponentAction, api.PendingState)
    assert len({m.value for kind in kinds for m in kind}) == sum(len(kind) for kind in kinds)
    with pytest.raises(ValueError):
        api.pending_state("wandering")


def test_a_re_run_that_would_use_the_cli_s_installed_toolchain_stops(
    quickscale_bin: str, api_project: Path
) -> None:
    """The re-run imports the project's toolchain because its src comes first on the
    path; a re-run without it (a Python that ignores PYTHONPATH) would silently get the
    CLI's installed one, so it stops instead, in one line."""
    src = api_project / "quickscale_core" / "src"
    env = {**os.environ, "QUICKSCALE_PROJECT_CORE": str(src), "QUICKSCALE_PROJECT_API": "2"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [quickscale_bin, "status", "--no-migrations"],
        cwd=api_project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: the re-run quickscale found quickscale_toolchain.api at ")
    assert f"not in the project's {src.resolve()} (API version 2)" in line


def test_the_cli_speaks_the_api_version_of_its_own_toolchain() -> None:
    """A bumped API_VERSION needs the CLI's side in the same change, or a project made
    today would be refused by the CLI released with it."""
    from quickscale_cli.launcher import SUPPORTED_API
    from quickscale_toolchain import api

    assert SUPPORTED_API[-1] == api.API_VERSION
