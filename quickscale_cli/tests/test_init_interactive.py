"""`quickscale init --interactive`, end to end through its real prompts.

Piped answers (scripting) and a pseudo-terminal (a person typing), against the real
console script and a real source repository; every finished project's quickscale.yml is
checked by `quickscale validate` inside the project.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pexpect
import pytest
from quickscale_toolchain.errors import ExitCode


@pytest.fixture
def env(source_repo: Path) -> dict[str, str]:
    return {**os.environ, "QUICKSCALE_SOURCE": str(source_repo)}


def wizard(quickscale_bin, env, cwd: Path, answers: list[str], *args: str):
    return subprocess.run(
        [quickscale_bin, "init", "--interactive", *args],
        input="".join(f"{a}\n" for a in answers),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def validate(quickscale_bin, project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [quickscale_bin, "validate"], cwd=project, capture_output=True, text=True, timeout=60
    )


def test_piped_defaults_create_a_valid_project(quickscale_bin, env, tmp_path):
    result = wizard(quickscale_bin, env, tmp_path, ["acme", "", "", "", "", ""])
    assert result.returncode == ExitCode.OK, result.stderr
    assert "Summary: the project will be created in" in result.stdout
    assert "Created acme in" in result.stdout
    config = (tmp_path / "acme" / "quickscale.yml").read_text()
    assert "  name: acme\n  version: 0.1.0\n" in config and "variant: default" in config
    check = validate(quickscale_bin, tmp_path / "acme")
    assert check.returncode == 0 and check.stdout == "quickscale.yml: valid (schema_version 2)\n"


def test_each_bad_answer_is_refused_on_the_spot_and_asked_again(quickscale_bin, env, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    answers = [
        "Acme", "class", "django", "taken", "shop",  # name
        "1.0", "v2", "2.1.0",  # version
        "startr", "todo",  # theme
        "/srv/www", "../x", "front",  # frontend directory
        "client_b", "bad/name", "client_a",  # variant
        "maybe", "y",  # confirm
    ]  # fmt: skip
    result = wizard(quickscale_bin, env, tmp_path, answers)
    assert result.returncode == ExitCode.OK, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("  error: ")]
    assert [e.split(" — ")[0] for e in errors] == [
        "  error: 'Acme' must be lowercase letters, digits and '_', not starting with a digit",
        "  error: 'class' is a Python keyword and cannot name a package",
        "  error: 'django' would shadow the 'django' module of Django, a dependency QuickScale "
        "projects pin",
        "  error: directory 'taken' already exists and is not empty",
        "  error: '1.0' must be a version MAJOR.MINOR.PATCH such as 1.0.0",
        "  error: 'v2' must be a version MAJOR.MINOR.PATCH such as 1.0.0",
        "  error: 'startr' is not a valid theme",
        "  error: '/srv/www' is an absolute path; the frontend must live inside the project",
        "  error: '../x' uses '..' to leave the project directory",
        "  error: a new project has the variants client_a, default",
        "  error: 'bad/name' must be a directory name: letters, digits, '_' and '-'",
        "  error: answer y or n",
    ]
    assert "did you mean 'starter'?" in errors[6]
    project = tmp_path / "shop"
    config = (project / "quickscale.yml").read_text()
    for expected in ("name: shop", "version: 2.1.0", "theme: todo", "source: ./front/",
                     "variant: client_a"):  # fmt: skip
        assert expected in config
    assert (project / "front" / "variants" / "client_a").is_dir()
    assert validate(quickscale_bin, project).returncode == 0


def test_name_argument_is_the_default_answer(quickscale_bin, env, tmp_path):
    result = wizard(quickscale_bin, env, tmp_path, ["", "", "", "", "", "yes"], "shop")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "Project name (a Python package name, e.g. acme) [shop]: " in result.stdout
    assert (tmp_path / "shop" / "quickscale.yml").is_file()


def test_declining_creates_nothing(quickscale_bin, env, tmp_path):
    result = wizard(quickscale_bin, env, tmp_path, ["acme", "", "", "", "", "n"])
    assert result.returncode == ExitCode.FAILED
    assert "Cancelled: nothing was created." in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_input_that_ends_early_is_a_usage_error_and_creates_nothing(quickscale_bin, env, tmp_path):
    result = wizard(quickscale_bin, env, tmp_path, ["acme", "1.0.0"])
    assert result.returncode == ExitCode.USAGE
    assert "error: the input ended before 'Theme (starter, todo)' was answered" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_interactive_the_name_is_still_required(quickscale_bin, tmp_path):
    result = subprocess.run(
        [quickscale_bin, "init"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == ExitCode.USAGE and "missing argument 'NAME'" in result.stderr


def _as_a_terminal_starts_it() -> None:
    # A shell in a terminal starts commands with Ctrl-C's signal at its default. A test
    # run started in the background (`cmd &` in a script) inherits SIGINT *ignored*,
    # and Python then never installs its handler: Ctrl-C would do nothing at all.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_until_it_waits_for_input(pid: int) -> None:
    """Return once the process sleeps (blocked reading the terminal), as it is when a
    person presses Ctrl-C. A signal that lands after the prompt is printed but before
    the read starts is only noticed by CPython at the next line typed, so a test that
    sends Ctrl-C the instant the prompt appears can hang on a loaded machine."""
    stat = Path(f"/proc/{pid}/stat")
    for _ in range(400):
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "S":
            return
        time.sleep(0.025)


def spawn(quickscale_bin: str, env: dict[str, str], cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(
        quickscale_bin,
        ["init", "--interactive"],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
        preexec_fn=_as_a_terminal_starts_it,
    )


def test_a_person_at_a_terminal(quickscale_bin, env, tmp_path):
    child = spawn(quickscale_bin, env, tmp_path)
    child.expect_exact("Project name (a Python package name, e.g. acme): ")
    child.sendline("Bad Name")
    child.expect_exact("error: 'Bad Name' must be lowercase letters")
    child.expect_exact("Project name (a Python package name, e.g. acme): ")
    child.sendline("acme")
    child.expect_exact("Project version [0.1.0]: ")
    child.sendline("1.2.3")
    child.expect_exact("Theme (starter, todo) [starter]: ")
    child.sendline("")
    child.expect_exact("Frontend directory [custom_frontend]: ")
    child.sendline("")
    child.expect_exact("Client variant (client_a, default) [default]: ")
    child.sendline("client_a")
    child.expect_exact("version: 1.2.3")
    child.expect_exact("Create the project? (y/n) [y]: ")
    child.sendline("")
    child.expect_exact("Created acme in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.OK
    config = (tmp_path / "acme" / "quickscale.yml").read_text()
    assert "version: 1.2.3" in config and "variant: client_a" in config
    assert validate(quickscale_bin, tmp_path / "acme").returncode == 0


def test_ctrl_c_at_a_prompt_creates_nothing(quickscale_bin, env, tmp_path):
    child = spawn(quickscale_bin, env, tmp_path)
    child.expect_exact("Project name (a Python package name, e.g. acme): ")
    child.sendline("acme")
    child.expect_exact("Project version [0.1.0]: ")
    _wait_until_it_waits_for_input(child.pid)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED
    assert "interrupted — nothing was changed" in child.before
    assert list(tmp_path.iterdir()) == []
