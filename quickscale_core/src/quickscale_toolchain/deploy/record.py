"""What was deployed, recorded in git: one annotated tag per successful deploy.

``deploy/<environment>/<UTC time>`` points at the deployed commit; its message is JSON
with the commit, the environment and target, the effective config's SHA-256 and the
version of every embedded component (quickscale_core, themes, modules). Tags travel
with ``git push --tags``, so the whole team sees what runs where.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quickscale_toolchain import git

TAG_PREFIX = "deploy"


@dataclass(frozen=True)
class DeployRecord:
    tag: str
    data: dict[str, Any]

    def lines(self) -> list[str]:
        d = self.data
        components = ", ".join(f"{k} {v}" for k, v in sorted(d.get("components", {}).items()))
        return [
            f"environment: {d['environment']} (target {d['target']})",
            f"deployed:    {d['deployed_at']}",
            f"commit:      {d['commit']}",
            f"config:      sha256 {d['config_hash']}",
            f"components:  {components or 'none'}",
            f"tag:         {self.tag}",
        ]


def embedded_versions(root: Path) -> dict[str, str]:
    """``{"quickscale_core": "0.1.0", "modules/auth": "0.1.0", ...}`` from the embedded
    components' pyproject.toml files."""
    found: dict[str, str] = {}
    candidates = [root / "quickscale_core" / "pyproject.toml"]
    candidates += sorted(root.glob("quickscale_themes/*/pyproject.toml"))
    candidates += sorted(root.glob("quickscale_modules/*/pyproject.toml"))
    for path in candidates:
        if not path.is_file():
            continue
        version = tomllib.loads(path.read_text("utf-8")).get("project", {}).get("version", "?")
        relative = path.parent.relative_to(root).as_posix()
        name = relative.replace("quickscale_themes/", "themes/").replace(
            "quickscale_modules/", "modules/"
        )
        found[name] = str(version)
    return found


def record_deploy(
    root: Path, environment: str, target: str, config_hash: str, *, now: datetime | None = None
) -> DeployRecord:
    """Tag HEAD as deployed to ``environment``; returns the record."""
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    commit = git.output(["rev-parse", "HEAD"], root)
    data = {
        "environment": environment,
        "target": target,
        "commit": commit,
        "config_hash": config_hash,
        "components": embedded_versions(root),
        "deployed_at": moment.isoformat().replace("+00:00", "Z"),
    }
    tag = base = f"{TAG_PREFIX}/{environment}/{moment.strftime('%Y%m%dT%H%M%SZ')}"
    number = 1
    exists = ["rev-parse", "--verify", "--quiet"]
    while git.run([*exists, f"refs/tags/{tag}"], root, check=False).stdout:
        number += 1  # a second deploy within the same second
        tag = f"{base}.{number}"
    message = json.dumps(data, indent=2, sort_keys=True)
    git.run(
        ["tag", "--annotate", tag, "--message", message, commit], root, env=git.identity_env(root)
    )
    return DeployRecord(tag, data)


def last_deploy(root: Path, environment: str) -> DeployRecord | None:
    """The newest ``deploy/<environment>/…`` tag's record, or None."""
    refs = git.output(
        [
            "for-each-ref",
            "--sort=-refname",
            "--count=1",
            "--format=%(refname:short)",
            f"refs/tags/{TAG_PREFIX}/{environment}/",
        ],
        root,
    )
    if not refs:
        return None
    tag = refs.splitlines()[0]
    body = git.output(["tag", "--list", "--format=%(contents)", tag], root)
    return DeployRecord(tag, json.loads(body))
