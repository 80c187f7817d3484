"""The README works as written: the shell lines of its "Using the CLI" section run one
by one in one bash, in a fresh clone of this repository and a fresh venv, exactly as a
newcomer types them. Then the first example of enabling a module in docs/config.md
runs on the project they made.

The only change: `runserver` becomes `check` (a test cannot wait on a server); lines
that need a second repository could be listed in EXEMPT (none needs to be). `quickscale`
comes from `uv tool install`, with uv's tool and bin directories in the test's own
temporary directory; uv itself is the monorepo's (pinned in requirements-dev.txt).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import clean_env, run
from quickscale_testing.repos import TEST_IDENTITY, monorepo_root

pytestmark = pytest.mark.e2e

README = monorepo_root() / "README.md"
CONFIG_DOC = monorepo_root() / "docs" / "config.md"

#: Lines that would need a second repository to do anything, and are not run. None:
#: on a fresh project `update --component core` finds core up to date and `sync push`
#: finds nothing to send, both with exit 0 against the clone, so they run as written.
EXEMPT: tuple[str, ...] = ()
#: Exit codes a line may end with besides 0 (3: newer components exist).
ALSO_ALLOWED = {"quickscale update --check": (3,)}


def section(text: str, heading: str) -> str:
    """The Markdown section under ``heading``, up to the next heading of its level."""
    level = heading.split(" ", 1)[0]
    start = text.index(f"\n{heading}\n")
    end = text.find(f"\n{level} ", start + len(heading) + 2)
    return text[start : end if end != -1 else len(text)]


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def shell_lines(text: str) -> list[str]:
    return [line for block in code_blocks(text, "bash") for line in block.splitlines() if line]


def command_of(line: str) -> str:
    """The command without its trailing comment: what EXEMPT and ALSO_ALLOWED name."""
    return line.split("  #", 1)[0].strip()


def as_run(line: str) -> str:
    """The line as the test runs it: `runserver` checked instead of served."""
    return re.sub(r"\bmanage\.py runserver\b", "manage.py check", line)


def script(lines: list[str], results: Path) -> str:
    """One bash script: each line verbatim, then its exit status recorded in ``results``;
    an exit status the line may not have stops the script there."""
    body = [f"exec 3>{shlex.quote(str(results))}"]
    for number, line in enumerate(lines):
        allowed = "|".join(str(c) for c in (0, *ALSO_ALLOWED.get(command_of(line), ())))
        body += [
            line,
            f'rc=$?; echo "{number} $rc" >&3; case $rc in {allowed}) ;; *) exit "$rc" ;; esac',
        ]
    return "\n".join(body) + "\n"


class Shell:
    """A newcomer's shell on this machine: a fresh clone, a fresh venv holding uv, and
    uv's tool directories in the test's temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.clone = root / "quickscale"
        self.tools = root / "uv-tools"
        self.bin = root / "uv-bin"
        self.venv = root / "venv"

    def prepare(self) -> None:
        run(["git", "clone", "-q", str(monorepo_root()), str(self.clone)], cwd=self.root)
        run([sys.executable, "-m", "venv", str(self.venv)], cwd=self.root)
        uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
        assert uv, "uv is not installed: it is pinned in requirements-dev.txt"
        (self.venv / "bin" / "uv").symlink_to(uv)

    def env(self) -> dict[str, str]:
        # No directory holding another `quickscale` (such as the monorepo's .venv/bin)
        # stays on PATH: the command must come from uv's bin directory.
        system = [
            d
            for d in os.environ["PATH"].split(os.pathsep)
            if d and not Path(d, "quickscale").exists()
        ]
        return clean_env(
            PATH=os.pathsep.join([str(self.bin), *system]),
            UV_TOOL_DIR=str(self.tools),
            UV_TOOL_BIN_DIR=str(self.bin),
            **TEST_IDENTITY,
        )

    def run(self, lines: list[str], name: str) -> tuple[subprocess.CompletedProcess[str], list]:
        """Run ``lines`` in one bash in the clone, with the fresh venv active."""
        results = self.root / f"{name}.rc"
        text = f". {shlex.quote(str(self.venv / 'bin/activate'))}\n" + script(lines, results)
        (self.root / f"{name}.sh").write_text(text)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", str(self.root / f"{name}.sh")],
            cwd=self.clone,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=900,
        )
        codes = [
            (lines[int(n)], int(rc))
            for n, rc in (row.split() for row in results.read_text().splitlines())
        ]
        return done, codes


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Shell:
    return Shell(tmp_path_factory.mktemp("readme"))


@pytest.fixture(scope="module")
def readme_run(shell: Shell) -> tuple[subprocess.CompletedProcess[str], list]:
    shell.prepare()
    lines = [as_run(line) for line in README_LINES if command_of(line) not in EXEMPT]
    return shell.run(lines, "readme")


README_LINES = shell_lines(section(README.read_text(encoding="utf-8"), "## Using the CLI"))


def test_the_section_is_what_this_test_reads() -> None:
    commands = [command_of(line) for line in README_LINES]
    assert commands[0] == "uv tool install ./quickscale_cli --with ./quickscale_core"
    assert "quickscale init acme" in commands
    assert "python manage.py migrate && python manage.py runserver" in commands
    assert "quickscale update --check" in commands
    for exempt in EXEMPT:
        assert exempt in commands, f"{exempt!r} is exempt but no longer in the README"
    # The fresh-machine section keeps its two commands.
    fresh = section(README.read_text(encoding="utf-8"), "## Set up on a fresh machine")
    assert shell_lines(fresh) == ["make demo", "make test"]


def test_every_line_of_the_readme_succeeds(readme_run) -> None:
    done, codes = readme_run
    ran = [as_run(line) for line in README_LINES if command_of(line) not in EXEMPT]
    assert [line for line, _ in codes] == ran, f"stopped early:\n{done.stdout}\n{done.stderr}"
    for line, rc in codes:
        allowed = (0, *ALSO_ALLOWED.get(command_of(line), ()))
        assert rc in allowed, f"{line!r} exited {rc}:\n{done.stdout}\n{done.stderr}"
    assert done.returncode == 0, done.stderr


def test_quickscale_and_its_core_come_from_the_clone(shell: Shell, readme_run) -> None:
    """uv recorded where each distribution came from (PEP 610 direct_url.json): the
    clone's folders, not a package index."""
    python = next(shell.tools.glob("*/bin/python"))
    probe = (
        "import json, importlib.metadata as m; print(json.dumps({n: m.distribution(n)"
        ".read_text('direct_url.json') for n in ('quickscale-cli', 'quickscale-core')}))"
    )
    found = json.loads(run([str(python), "-c", probe], cwd=shell.root).stdout)
    for name, folder in (
        ("quickscale-cli", "quickscale_cli"),
        ("quickscale-core", "quickscale_core"),
    ):
        assert found[name] is not None, f"{name} has no direct_url.json: it came from an index"
        assert json.loads(found[name])["url"] == (shell.clone / folder).resolve().as_uri()
    assert (shell.bin / "quickscale").exists()


def test_the_project_is_complete_and_embeds_core_from_the_clone(shell: Shell, readme_run) -> None:
    project = shell.clone / "acme"
    for path in (
        "manage.py",
        "acme/settings.py",
        "acme/urls.py",
        "acme/wsgi.py",
        "acme/asgi.py",
        "acme/backend_extensions.py",
        "quickscale.yml",
        "custom_frontend/templates/base.html",
        "custom_frontend/static/css/main.css",
        "custom_frontend/static/js/app.js",
        "custom_frontend/variants/default",
        "custom_frontend/variants/client_a",
        "requirements.txt",
        ".env.example",
        ".gitignore",
        "README.md",
        "tests/test_site.py",
        "pyproject.toml",
        ".github/workflows/ci.yml",
        "Dockerfile",
        "compose.yaml",
        "quickscale_core/pyproject.toml",
        "db.sqlite3",
    ):
        assert (project / path).exists(), path
    assert "\nschema_version: 2\n" in (project / "quickscale.yml").read_text()
    log = run(["git", "log", "--oneline"], cwd=project).stdout
    assert "Squashed 'quickscale_core/' content from commit" in log
    # The embedded core is the clone's, byte for byte (the same git tree).
    embedded, cloned = (
        run(["git", "rev-parse", "HEAD:quickscale_core"], cwd=where).stdout
        for where in (project, shell.clone)
    )
    assert embedded == cloned


def test_the_docs_first_module_example_works_on_the_new_project(shell: Shell, readme_run) -> None:
    """docs/config.md's "Enabling a module": its lines appended to the new project's
    quickscale.yml, its commands run in the project's venv; the module's pages then work
    and the project's own tests (the module's smoke tests among them) pass."""
    doc = section(CONFIG_DOC.read_text(encoding="utf-8"), "### Enabling a module")
    snippet = code_blocks(doc, "yaml")[0]
    assert snippet.startswith("modules:\n")
    project = shell.clone / "acme"
    with (project / "quickscale.yml").open("a") as config:
        config.write(snippet)
    venv = f". {shlex.quote(str(project / '.venv/bin/activate'))}"
    lines = ["cd acme", venv, *shell_lines(doc), "python -m pytest -q -p no:cacheprovider"]
    done, codes = shell.run(lines, "module")
    assert [line for line, _ in codes] == lines, f"stopped:\n{done.stdout}\n{done.stderr}"
    assert all(rc == 0 for _, rc in codes), codes
    module = next(iter(re.findall(r"^  (\w+):", snippet, re.MULTILINE)))
    assert (project / "quickscale_modules" / module / "pyproject.toml").is_file()
    assert (project / "tests" / f"test_{module}_module.py").is_file()
    assert " passed" in done.stdout and "failed" not in done.stdout, done.stdout
