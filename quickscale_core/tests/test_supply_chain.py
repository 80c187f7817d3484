"""A generated project's supply chain, judged by linters nobody here wrote.

zizmor audits the GitHub workflows and the Dependabot config, hadolint the Dockerfile;
both are pinned in requirements-dev.txt (installed by ``make venv``), so a missing one
is a broken environment and fails. Each run also lints a known-bad variant, so a
linter that finds nothing because it audited nothing cannot pass unnoticed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from quickscale_toolchain import pins
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.scaffold import render_project
from quickscale_toolchain.generator.wiring import ModuleChoice

WORKFLOWS = (".github/workflows/ci.yml", ".github/workflows/quickscale-update.yml")
#: The only actions a generated workflow may use, pinned to a commit (tag in a comment).
ACTIONS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
}
EMBEDDED = ("quickscale_core/**", "quickscale_modules/**", "quickscale_themes/**")


def _tool(name: str) -> str:
    """The linter installed beside this Python (requirements-dev.txt), never skipped."""
    found = Path(sys.executable).with_name(name)
    path = str(found) if found.exists() else shutil.which(name)
    assert path, f"{name} is not installed: run 'make venv' (it is in requirements-dev.txt)"
    return path


def _all_modules_spec() -> ProjectSpec:
    from quickscale_testing.repos import monorepo_root
    from quickscale_toolchain.catalog import from_directory

    catalog = from_directory(monorepo_root(), origin="source")
    chosen = tuple(ModuleChoice(name) for name in catalog.modules)
    return ProjectSpec("acme", modules=chosen, catalog=catalog)


@pytest.fixture(scope="module", params=["default", "every-module"])
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rendered project on disk: the default one, and one with every module enabled
    (their offline variables reach the CI workflow and the Dockerfile)."""
    spec = ProjectSpec("acme") if request.param == "default" else _all_modules_spec()
    root = tmp_path_factory.mktemp(request.param) / "acme"
    for path, rendered in render_project(spec).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(rendered.content)
        target.chmod(0o755 if rendered.executable else 0o644)
    return root


def _zizmor(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            _tool("zizmor"),
            "--offline",
            "--persona",
            "regular",
            "--no-config",
            "--no-ignores",
            "--strict-collection",
            "--format",
            "json",
            ".",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )


def _hadolint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    config = dockerfile.parent / ".hadolint-test.yaml"  # ours: no user or project config
    config.write_text("failure-threshold: style\n", encoding="utf-8")
    return subprocess.run(
        [
            _tool("hadolint"),
            "--config",
            str(config),
            "--disable-ignore-pragma",
            "--no-color",
            "--format",
            "json",
            str(dockerfile),
        ],
        capture_output=True,
        text=True,
    )


def test_zizmor_finds_nothing_in_the_workflows_and_the_dependabot_config(project: Path) -> None:
    done = _zizmor(project)

    assert json.loads(done.stdout) == [], done.stdout
    assert done.returncode == 0, done.stderr
    for path in (*WORKFLOWS, ".github/dependabot.yml"):
        assert f"completed ./{path}" in done.stderr, f"zizmor did not audit {path}"


def test_zizmor_does_find_what_the_old_ci_workflow_had(project: Path, tmp_path: Path) -> None:
    """The workflow as it was before pinning: unpinned actions, persisted credentials,
    default permissions; zizmor must report each."""
    old = (project / WORKFLOWS[0]).read_text()
    old = re.sub(r"(?ms)^permissions:.*?\n\n", "", old)
    old = re.sub(r"(?m)^    permissions:\n      contents: read\n", "", old)
    old = old.replace("        with:\n          persist-credentials: false\n", "")
    for action in ACTIONS:
        old = re.sub(rf"{action}@\S+ # v(\d+)\S*", rf"{action}@v\1", old)
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/ci.yml").write_text(old)

    found = {finding["ident"] for finding in json.loads(_zizmor(tmp_path).stdout)}

    assert found == {"unpinned-uses", "artipacked", "excessive-permissions"}


def test_hadolint_finds_nothing_in_the_dockerfile(project: Path, tmp_path: Path) -> None:
    done = _hadolint(project / "Dockerfile")

    assert json.loads(done.stdout) == [], done.stdout
    assert done.returncode == 0, done.stderr
    # The same linter does report a named user and an unpinned install.
    bad = tmp_path / "Dockerfile"
    text = (project / "Dockerfile").read_text()
    bad.write_text(re.sub(r"(?m)^USER .*$", "USER app\nRUN pip install requests", text))
    codes = {finding["code"] for finding in json.loads(_hadolint(bad).stdout)}
    assert {"DL3066", "DL3013"} <= codes


def test_every_action_is_pinned_to_a_commit_and_permissions_start_read_only(
    project: Path,
) -> None:
    for path in WORKFLOWS:
        text = (project / path).read_text()
        workflow = yaml.safe_load(text)
        assert workflow["permissions"] == {"contents": "read"}, path
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "uses" not in step:
                    continue
                action, _, ref = step["uses"].partition("@")
                sha, tag = ACTIONS[action]
                assert ref == sha, (path, step["uses"])
                assert f"uses: {action}@{sha} # {tag}\n" in text
                if action == "actions/checkout":
                    assert step["with"]["persist-credentials"] is False, path
    update = yaml.safe_load((project / WORKFLOWS[1]).read_text())
    assert update["jobs"]["update"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
    }
    ci = yaml.safe_load((project / WORKFLOWS[0]).read_text())
    assert ci["jobs"]["test"]["permissions"] == {"contents": "read"}


def test_ci_the_update_workflow_and_the_image_use_one_python(project: Path) -> None:
    versions = set()
    for path in WORKFLOWS:
        for job in yaml.safe_load((project / path).read_text())["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/setup-python@"):
                    versions.add(step["with"]["python-version"])
    base = re.search(r"(?m)^FROM python:(\d+\.\d+)-slim-\w+$", (project / "Dockerfile").read_text())
    assert base, "the Dockerfile builds on a python image of one minor version"
    assert versions == {base.group(1)} == {pins.PYTHON_MIN}


def test_the_dockerfile_pins_python_runs_unprivileged_and_probes_health(project: Path) -> None:
    text = (project / "Dockerfile").read_text()
    assert re.findall(r"(?m)^FROM (.*)$", text) == [pins.PYTHON_IMAGE]
    assert f"FROM {pins.PYTHON_IMAGE}@sha256:" in text  # the comment on pinning a digest
    assert "docker buildx imagetools inspect" in text
    users = re.findall(r"(?m)^USER (.*)$", text)
    assert len(users) == 1 and re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[0]), users
    # The user exists in the image with that uid (not root, no login shell needed).
    uid = users[0].split(":")[0]
    assert f"useradd --no-log-init --create-home --uid {uid} --user-group app" in text
    assert text.index("HEALTHCHECK") > text.index("USER ")
    assert "http://127.0.0.1:8000/health/live" in text


def _healthcheck_code(project: Path) -> str:
    """The Python the image's HEALTHCHECK runs (``CMD ["python", "-c", code]``)."""
    text = (project / "Dockerfile").read_text()
    match = re.search(r"(?m)^HEALTHCHECK .*\\\n\s+CMD (\[.*\])$", text)
    assert match, "HEALTHCHECK ... CMD [exec form] not found"
    command = json.loads(match.group(1))
    assert command[:2] == ["python", "-c"] and len(command) == 3
    code: str = command[2]
    return code


@pytest.fixture
def health_server() -> Iterator[tuple[int, dict[str, object]]]:
    """A stand-in for the site on loopback: answers /health/live with the status asked for,
    and records the Host header of each probe."""
    state: dict[str, object] = {"status": 200, "hosts": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hosts = state["hosts"]
            assert isinstance(hosts, list)
            hosts.append((self.path, self.headers["Host"]))
            status = int(str(state["status"]))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}' if status == 200 else b'{"status": "error"}')

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], state
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("example.com,www.example.com", "example.com"),
        (" .example.com", "example.com"),
        ("*", "localhost"),
        (None, "localhost"),
    ],
)
def test_the_healthcheck_passes_on_200_fails_on_503_and_sends_an_allowed_host(
    project: Path,
    health_server: tuple[int, dict[str, object]],
    allowed_hosts: str | None,
    host: str,
) -> None:
    port, state = health_server
    code = _healthcheck_code(project)
    assert code.count("http://127.0.0.1:8000/health/live") == 1
    code = code.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    env = {"PATH": "/usr/bin:/bin"}
    if allowed_hosts is not None:
        env["DJANGO_ALLOWED_HOSTS"] = allowed_hosts

    healthy = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    state["status"] = 503
    unhealthy = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)

    assert healthy.returncode == 0, healthy.stderr
    assert unhealthy.returncode != 0 and b"503" in unhealthy.stderr
    assert state["hosts"] == [("/health/live", host)] * 2


def test_dependabot_covers_pip_actions_and_docker_but_not_the_embedded_code(
    project: Path,
) -> None:
    config = yaml.safe_load((project / ".github/dependabot.yml").read_text())
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"pip", "github-actions", "docker"}
    for update in updates.values():
        assert update["directory"] == "/"
        assert tuple(update["exclude-paths"]) == EMBEDDED
        assert update["cooldown"]["default-days"] >= 7
    # The image's Python minor version moves with CI's, never by Dependabot alone.
    (python,) = updates["docker"]["ignore"]
    assert python["dependency-name"] == "python"
    assert "version-update:semver-minor" in python["update-types"]


def test_the_cli_is_installed_under_pins_that_cover_what_it_needs(project: Path) -> None:
    """The update workflow installs the CLI from the source with this file as
    PIP_CONSTRAINT: every third-party distribution the CLI and core pull in, and the
    build backend that builds them, is pinned there to a version their requirements
    accept."""
    import tomllib

    from quickscale_testing.repos import monorepo_root

    workflow = (project / WORKFLOWS[1]).read_text()
    assert 'export PIP_CONSTRAINT="$PWD/.github/quickscale-cli-constraints.txt"' in workflow
    lines = (project / ".github/quickscale-cli-constraints.txt").read_text().splitlines()
    pinned = {}
    for line in lines:
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pinned[_canonical(name)] = version
    needed: dict[str, list[Requirement]] = {}
    # (distribution, the extras asked of it): the CLI asks core for its toolchain extra.
    todo: list[tuple[str, frozenset[str]]] = [("quickscale-cli", frozenset())]
    for package in ("quickscale_core", "quickscale_cli"):
        pyproject = tomllib.loads((monorepo_root() / package / "pyproject.toml").read_text())
        for text in pyproject["build-system"]["requires"]:
            requirement = Requirement(text)
            needed.setdefault(_canonical(requirement.name), []).append(requirement)
            todo.append((requirement.name, frozenset(requirement.extras)))
    while todo:
        dist, extras = todo.pop()
        for text in metadata.requires(dist) or []:
            requirement = Requirement(text)
            if requirement.marker and not any(
                requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras)
            ):
                continue
            name = _canonical(requirement.name)
            if name not in needed or requirement.extras:
                todo.append((requirement.name, frozenset(requirement.extras)))
            needed.setdefault(name, []).append(requirement)
    third_party = {n: r for n, r in needed.items() if not n.startswith("quickscale-")}
    assert {"click", "rich", "jinja2", "pyyaml", "jsonschema", "hatchling"} <= set(third_party)
    for name, requirements in third_party.items():
        assert name in pinned, f"{name} (needed by the CLI) is not pinned"
        for requirement in requirements:
            assert requirement.specifier.contains(pinned[name]), (requirement, pinned[name])
    # One version per package across pins.py and the monorepo's own hatchling.
    for name in ("Pygments", "pluggy"):
        assert dict(pins.CLI)[name] == dict(pins.DEV)[name]
    ours = (monorepo_root() / "requirements-dev.txt").read_text().splitlines()
    assert f"hatchling=={dict(pins.CLI)['hatchling']}" in ours


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_readme_says_how_to_keep_up_to_date(project: Path) -> None:
    readme = (project / "README.md").read_text()
    section = readme.split("## Keeping up to date", 1)[1].split("\n## ", 1)[0]
    for name in (
        "QUICKSCALE_SOURCE",
        "QUICKSCALE_CLI_REF",
        "QUICKSCALE_SOURCE_SSH_KEY",
        "QUICKSCALE_SOURCE_TOKEN",
        "QUICKSCALE_UPDATE_TOKEN",
        "scripts/quickscale-update-branch",
        ".github/dependabot.yml",
    ):
        assert name in section, name
    workflow = (project / WORKFLOWS[1]).read_text()
    for secret in re.findall(r"(?:secrets|vars)\.(\w+)", workflow):
        assert f"`{secret}`" in section, f"{secret} is used by the workflow, not documented"


def test_the_docs_pin_the_actions_they_show() -> None:
    from quickscale_testing.repos import monorepo_root

    for doc in sorted((monorepo_root() / "docs").glob("*.md")):
        for line in doc.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                action, _, ref = line.split("uses:", 1)[1].strip().partition("@")
                assert ref.split()[0] == ACTIONS[action][0], f"{doc.name}: {line.strip()}"


def test_the_image_installs_the_components_debian_packages_pinned(project: Path) -> None:
    """system-packages of the enabled components' manifests, each at its exact version
    (hadolint above checks the same RUN: pinned, no recommends, lists removed)."""
    from quickscale_testing.repos import monorepo_root
    from quickscale_toolchain.catalog import from_directory

    dockerfile = (project / "Dockerfile").read_text()
    wanted = {
        f"{name}={version}"
        for entry in from_directory(monorepo_root(), origin="source")
        if entry.component.kind == "modules"
        for name, version in entry.manifest.system_packages
    }
    # Every image compiles its translations with GNU gettext, pinned, then removes it.
    from quickscale_toolchain import pins

    assert f"--no-install-recommends gettext={pins.GETTEXT_VERSION} \\\n" in dockerfile
    assert "&& apt-get purge -y --auto-remove gettext \\\n" in dockerfile
    if project.parent.name.startswith("default"):
        assert dockerfile.count("apt-get install") == 1  # that build step alone
    else:
        assert wanted and all(f"        {pin} \\\n" in dockerfile for pin in wanted)
