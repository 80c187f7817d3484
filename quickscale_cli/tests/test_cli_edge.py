"""The CLI's edge, for every command: one-line usage errors, located config diagnostics,
exit codes and options that --help and docs/cli.md state alike, and help that fits 80
columns. The commands are walked from ``main.COMMANDS``, so a new command is covered
(and held to the same contract) as soon as it is registered."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from cli_support import minimal_project
from click.testing import CliRunner
from quickscale_cli.main import COMMANDS, cli
from quickscale_cli.output import Command, describe_exit_codes, shown_path
from quickscale_testing.repos import TEST_IDENTITY, make_source_repo
from quickscale_toolchain.errors import ExitCode

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"

#: The commands that read quickscale.yml, and the arguments that make them read it.
READS_CONFIG = {
    "validate": (),
    "preview": (),
    "generate": (),
    "status": ("--no-migrations",),
    "config upgrade": (),
}

INVALID_CONFIG = (
    "schema_version: 2\nproject:\n  nmae: acme\n  version: 0.1.0\ntheme: starter\n"
    "backend_extensions: acme.backend_extensions\n"
    "frontend:\n  source: ./custom_frontend/\n  variant: default\nfrontnd: {}\n"
)
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s]+):\d+:\d+: (error|warning): \S+: .+")
ONE_LINE_ERROR = re.compile(r"^error: \S.* — \S.*$")


def _leaves(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(command, click.Group):
        return [path]
    ctx = click.Context(command)
    found: list[tuple[str, ...]] = []
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        assert sub is not None, f"{' '.join((*path, name))} is listed but cannot be loaded"
        found += _leaves(sub, (*path, name))
    return found


LEAVES = _leaves(cli)
NAMES = [" ".join(path) for path in LEAVES]


def _command(name: str) -> click.Command:
    command: click.Command = cli
    for word in name.split():
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), word)
        assert found is not None
        command = found
    return command


def _run(quickscale_bin: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("QUICKSCALE_SOURCE", None)
    return subprocess.run(
        [quickscale_bin, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_walk_covers_every_registered_command():
    assert {path[0] for path in LEAVES} == set(COMMANDS)
    assert set(READS_CONFIG) <= set(NAMES)
    for required in ("init", "validate", "preview", "generate", "status", "update", "publish"):
        assert required in NAMES
    for required in ("sync push", "extract", "config upgrade", "config schema"):
        assert required in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_command_bad_option_bad_config_missing_config(name, quickscale_bin, tmp_path):
    words = name.split()
    bad = _run(quickscale_bin, [*words, "--bogus-option"], tmp_path)
    assert bad.returncode == ExitCode.USAGE, bad.stderr
    assert bad.stdout == ""
    assert (
        bad.stderr == f"error: no such option '--bogus-option' — run 'quickscale {name} --help'\n"
    )
    if name not in READS_CONFIG:
        return
    extra = list(READS_CONFIG[name])

    missing = _run(quickscale_bin, [*words, *extra], tmp_path)
    assert missing.returncode == ExitCode.USAGE, missing.stderr
    [line] = missing.stderr.splitlines()
    assert ONE_LINE_ERROR.match(line), line
    assert "quickscale.yml" in line

    project = minimal_project(tmp_path / "acme", INVALID_CONFIG)
    invalid = _run(quickscale_bin, [*words, *extra], project)
    assert invalid.returncode == ExitCode.FAILED, invalid.stderr
    expected = [
        "quickscale.yml:3:3: error: project.nmae: unknown key 'nmae' in 'project' — "
        "did you mean 'name'?",
        "quickscale.yml:10:1: error: frontnd: unknown key 'frontnd' at the top level — "
        "did you mean 'frontend'?",
    ]
    if name == "validate":  # the report is its output; the other commands fail with it
        assert invalid.stdout.splitlines() == [*expected, "quickscale.yml: invalid, 2 errors"]
        assert invalid.stderr == ""
        return
    first, *rest = invalid.stderr.splitlines()
    assert ONE_LINE_ERROR.match(first), first
    assert first.endswith("— fix quickscale.yml and run 'quickscale validate'")
    assert all(m and m["file"] == "quickscale.yml" for m in map(DIAGNOSTIC.match, rest)), rest
    assert set(expected) <= set(rest)
    assert str(project) not in invalid.stderr
    assert (project / "quickscale.yml").read_text() == INVALID_CONFIG


@pytest.mark.parametrize("name", sorted(READS_CONFIG))
def test_with_dash_c_paths_are_relative_to_where_you_are(name, quickscale_bin, tmp_path):
    minimal_project(tmp_path / "acme", INVALID_CONFIG)
    done = _run(quickscale_bin, [*name.split(), "-C", "acme", *READS_CONFIG[name]], tmp_path)
    assert done.returncode == ExitCode.FAILED, done.stderr
    report = done.stdout if name == "validate" else done.stderr
    files = {m["file"] for m in map(DIAGNOSTIC.match, report.splitlines()) if m}
    assert files == {"acme/quickscale.yml"}, report
    if name != "validate":
        assert "run 'quickscale validate acme/quickscale.yml'" in report


def test_shown_path_is_relative_under_the_current_directory_else_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path / "acme" / "quickscale.yml") == "acme/quickscale.yml"
    assert shown_path(tmp_path.parent / "quickscale.yml") == str(tmp_path.parent / "quickscale.yml")
    assert shown_path("../x/quickscale.yml") == "../x/quickscale.yml"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["frobnicate"], "error: no such command 'frobnicate' — run 'quickscale --help'"),
        (
            ["genrate"],
            "error: no such command 'genrate'; did you mean 'generate'? — run 'quickscale --help'",
        ),
        (
            ["statu", "-C", "x"],
            "error: no such command 'statu'; did you mean 'status'? — run 'quickscale --help'",
        ),
        (
            ["config", "upgrad"],
            "error: no such command 'upgrad'; did you mean 'upgrade'? — "
            "run 'quickscale config --help'",
        ),
        (["config", "frob"], "error: no such command 'frob' — run 'quickscale config --help'"),
        (["init"], "error: missing argument 'NAME' — run 'quickscale init --help'"),
        (["extract"], "error: missing argument 'PATH' — run 'quickscale extract --help'"),
        (
            ["sync", "push"],
            "error: missing option '--component' / '-c' — run 'quickscale sync push --help'",
        ),
        (
            ["preview", "--format", "xml"],
            "error: invalid value for '--format': 'xml' is not one of 'text', 'json' — "
            "run 'quickscale preview --help'",
        ),
        (
            ["preview", "--no-dif"],
            "error: no such option '--no-dif'; did you mean '--no-diff'? — "
            "run 'quickscale preview --help'",
        ),
        (
            ["update", "--format"],
            "error: option '--format' requires an argument — run 'quickscale update --help'",
        ),
        (
            ["validate", "a.yml", "b.yml"],
            "error: got unexpected extra argument (b.yml) — run 'quickscale validate --help'",
        ),
    ],
)
def test_click_usage_errors_are_one_line_exit_2(args, expected, quickscale_bin, tmp_path):
    done = _run(quickscale_bin, args, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (ExitCode.USAGE, "", expected + "\n")


# --- One declaration of exit codes and options; --help and docs/cli.md agree with it ---


@dataclass
class DocRow:
    synopsis: str
    exit_codes: str


def _doc_rows() -> dict[str, DocRow]:
    """docs/cli.md's "All commands" table: command name -> its row."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("## All commands", 1)[1]
    rows: dict[str, DocRow] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        synopsis = cells[0].strip("`")
        words = []
        for word in synopsis.split():
            if not re.fullmatch(r"[a-z]+", word):
                break
            words.append(word)
        rows[" ".join(words)] = DocRow(synopsis, cells[2])
    return rows


def test_every_exit_code_is_in_the_docs_table_and_quickscale_help():
    """The codes that apply to every command (4 unfinished merge, 5 an embedded toolchain
    of an API version this CLI does not speak) are stated once: docs/cli.md's table of
    codes and ``quickscale --help``."""
    head = DOC.read_text(encoding="utf-8").split("## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \| \S", head, re.MULTILINE)}
    assert documented == {int(code) for code in ExitCode}
    overview = " ".join(_help([]).split())
    for code in ExitCode:
        if code not in (ExitCode.OK, ExitCode.FAILED, ExitCode.USAGE):
            assert f" {int(code)} " in overview, f"quickscale --help does not name {code!r}"


OPTION_NAME = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b")


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="quickscale", terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def _help_options(help_text: str) -> list[set[str]]:
    """The names of each option row of a --help's Options section (not -h/--help)."""
    section = help_text.split("\nOptions:\n", 1)[1]
    rows: list[set[str]] = []
    for line in section.splitlines():
        if not line.startswith("  -"):
            if line and not line.startswith(" "):
                break
            continue
        names = set(OPTION_NAME.findall(re.split(r"\s{2,}", line.strip())[0]))
        if names != {"-h", "--help"}:
            rows.append(names)
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_help_docs_and_declaration_agree(name):
    command = _command(name)
    assert isinstance(command, Command), f"{name}: use @click.command(cls=Command, exit_codes=…)"
    codes = command.exit_codes
    assert 0 in codes and ExitCode.USAGE in codes, f"{name} must declare 0 and 2"
    assert set(codes) <= {int(code) for code in ExitCode}
    declared = describe_exit_codes(codes)

    help_text = _help(name.split())
    assert f"Exit codes: {declared}." in " ".join(help_text.split())

    rows = _doc_rows()
    assert name in rows, f"docs/cli.md has no row for `{name}`"
    row = rows[name]
    assert row.exit_codes == declared, f"docs/cli.md and {name} --help disagree on exit codes"
    in_docs = set(OPTION_NAME.findall(row.synopsis))
    in_help = _help_options(help_text)
    for names in in_help:
        assert names & in_docs, f"docs/cli.md's row for `{name}` misses {sorted(names)}"
    assert in_docs <= set().union(*in_help), f"docs/cli.md names options {name} lacks"
    params = [p for p in command.params if isinstance(p, click.Option)]
    assert len(in_help) == len(params)


def test_docs_list_no_command_that_does_not_exist():
    assert set(_doc_rows()) == set(NAMES)


@pytest.mark.parametrize(
    "name",
    [
        "validate",
        "extract",
        "config upgrade",
        "config schema",
        "preview",
        "generate",
        "status",
        "update",
        "sync push",
        "publish",
    ],
)
def test_every_project_command_takes_dash_c(name):
    options = [p for p in _command(name).params if isinstance(p, click.Option)]
    assert any({"-C", "--directory"} <= set(p.opts) for p in options)


@pytest.mark.parametrize("name", NAMES)
def test_every_option_is_described(name):
    for param in _command(name).params:
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), f"{name} {param.opts[0]} has no help"


GROUPS = [[], *sorted({path[:-1] for path in LEAVES if len(path) > 1})]


@pytest.mark.parametrize(
    "args",
    [list(g) for g in GROUPS] + [list(path) for path in LEAVES],
    ids=lambda a: " ".join(["quickscale", *a]),
)
def test_nothing_is_cut_off_at_80_columns(args):
    text = _help(args)
    for line in text.splitlines():
        assert len(line) <= 80, line
        if not line.startswith("Usage: "):  # "[ARGS]..." there is click's notation
            assert not line.rstrip().endswith(("...", "…")), f"truncated: {line!r}"


# --- update --check: "up to date", or A -> B only when B is newer; exit 1 outside git ---


def _check_line(status: str, embedded: str | None, available: str | None, detail: str = "") -> str:
    from quickscale_cli.commands.update import _check_line as line
    from quickscale_toolchain.changes import ComponentChange, ComponentStatus
    from quickscale_toolchain.components import Component

    plan = ComponentChange(
        Component("core"),
        ComponentStatus(status),
        detail,
        embedded_version=embedded,
        available_version=available,
        embedded_commit="a" * 40,
        available_commit="b" * 40,
    )
    return " ".join(line(plan).split())


@pytest.mark.parametrize(
    ("status", "embedded", "available", "detail", "expected"),
    [
        ("up-to-date", "0.1.0", "0.1.0", "", "core 0.1.0 up to date"),
        ("update-available", "0.1.0", "0.2.0", "", "core 0.1.0 -> 0.2.0 update available"),
        ("changed", "0.1.0", "0.1.0", "same version", "core 0.1.0 changed (same version)"),
        ("older", "0.2.0", "0.1.0", "behind", "core 0.2.0 (source: 0.1.0) older (behind)"),
        ("incompatible", "0.1.0", "0.2.0", "why", "core 0.1.0 -> 0.2.0 incompatible (why)"),
        ("unmanaged", None, None, "not a subtree", "core ? unmanaged (not a subtree)"),
    ],
)
def test_check_line_shows_an_arrow_only_towards_a_newer_version(
    status, embedded, available, detail, expected
):
    assert _check_line(status, embedded, available, detail) == expected


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, **TEST_IDENTITY}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_update_check_up_to_date_then_newer(run_cli, tmp_path):
    source = make_source_repo(tmp_path / "source", ("quickscale_core", "quickscale_themes/starter"))
    made = run_cli("init", "acme", "--source", str(source), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    client = tmp_path / "acme"

    current = run_cli("update", "--check", "--source", str(source), cwd=client)
    assert current.returncode == ExitCode.OK, current.stderr
    [core] = [line for line in current.stdout.splitlines() if line.startswith("core ")]
    assert core.split()[2:] == ["up", "to", "date"] and "->" not in current.stdout

    pyproject = source / "quickscale_core" / "pyproject.toml"
    old = re.search(r'(?m)^version = "([^"]+)"', pyproject.read_text())
    assert old is not None
    major, minor, patch = old[1].split(".")[:3]
    new = f"{major}.{minor}.{int(patch) + 1}"
    pyproject.write_text(pyproject.read_text().replace(old[0], f'version = "{new}"', 1))
    _git(source, "commit", "-q", "-am", f"release core {new}")

    newer = run_cli("update", "--check", "--source", str(source), cwd=client)
    assert newer.returncode == ExitCode.UPDATE_AVAILABLE, newer.stderr
    [core] = [line for line in newer.stdout.splitlines() if line.startswith("core ")]
    assert " ".join(core.split()) == f"core {old[1]} -> {new} update available"

    outside = run_cli("update", "--check", "-C", str(tmp_path / "source" / ".."), cwd=tmp_path)
    assert outside.returncode == ExitCode.FAILED
    [line] = outside.stderr.splitlines()
    assert ONE_LINE_ERROR.match(line) and "is not a git repository" in line


def test_update_check_outside_a_git_repository_exits_1(quickscale_bin, tmp_path):
    done = _run(quickscale_bin, ["update", "--check"], tmp_path)
    assert done.returncode == ExitCode.FAILED
    assert done.stderr == (
        "error: . is not a git repository — run the command inside a project made by "
        "'quickscale init' (or 'git init' one)\n"
    )
    assert "not in a git repository (--check too)" in " ".join(_help(["update"]).split())
    assert "not in a git repository (--check too)" in _doc_rows()["update"].exit_codes


@pytest.mark.parametrize(
    "command", ["quickscale preview --bogus", "quickscale genrate", "quickscale preview -C acme"]
)
def test_the_documented_error_samples_are_real(command, quickscale_bin, tmp_path):
    blocks = re.findall(r"```\n\$ (.*?)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    [sample] = [output for shown, output in blocks if shown == command]
    config = INVALID_CONFIG.replace("frontnd: {}\n", "")
    minimal_project(tmp_path / "acme", config)
    done = _run(quickscale_bin, command.split()[1:], tmp_path)
    assert done.stderr == sample
