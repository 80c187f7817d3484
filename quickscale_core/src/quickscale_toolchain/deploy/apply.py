"""Run a target's plan: each command in order, the rollback when the switch fails.

The commands inherit the deployer's environment plus the deploy variables (so that
``docker compose`` can fill ``${NAME}`` in the compose file) and the step's own
(``DOCKER_HOST``). Secret values are never printed: progress names commands only.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from quickscale_toolchain.deploy.environment import Environment
from quickscale_toolchain.deploy.targets import INSTALL, Step, TargetPlan, plan_target
from quickscale_toolchain.errors import QuickScaleError


class DeployFailed(QuickScaleError):
    """A command of the deploy failed; ``rolled_back`` says whether the previous version
    was restored."""

    def __init__(self, message: str, hint: str, rolled_back: bool | None) -> None:
        super().__init__(message, hint)
        self.rolled_back = rolled_back


def _tool_missing(step: Step) -> DeployFailed:
    tool = step.argv[0]
    return DeployFailed(
        f"'{tool}' was not found on PATH", INSTALL.get(tool, f"install {tool}"), None
    )


def _run_step(
    step: Step, variables: Mapping[str, str], captured: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    argv = [a.format_map(captured) if "{" in a else a for a in step.argv]
    env = {**os.environ, **variables, **step.env}
    data = "".join(f"{name}={variables[name]}\n" for name in step.stdin_names if name in variables)
    try:
        return subprocess.run(
            argv,
            env=env,
            input=data if step.stdin_names else None,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise _tool_missing(step) from None


def _reason(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {proc.returncode}"


def _previous_image(output: str) -> str:
    """The image of the newest complete release in ``flyctl releases --image --json``."""
    try:
        releases = json.loads(output or "[]")
    except json.JSONDecodeError:
        return ""
    for release in releases if isinstance(releases, list) else []:
        if isinstance(release, dict) and str(release.get("Status", "")).lower() == "complete":
            return str(release.get("ImageRef") or "")
    return ""


def run_plan(
    plan: TargetPlan, variables: Mapping[str, str], progress: Callable[[str], None]
) -> None:
    """Run ``plan``; raises DeployFailed (after rolling back when a switch failed)."""
    captured: dict[str, str] = {}
    kept_previous = False
    steps = [s for s in plan.steps if s.role != "rollback"]
    rollback = [s for s in plan.steps if s.role == "rollback"]
    for step in steps:
        progress(f"{step.description}: {step.shown()}")
        proc = _run_step(step, variables, captured)
        if step.role == "capture":
            captured[step.capture] = _previous_image(proc.stdout) if proc.returncode == 0 else ""
            kept_previous = bool(captured[step.capture])
            continue
        if step.role == "may-fail":
            kept_previous = kept_previous or proc.returncode == 0
            continue
        if proc.returncode == 0:
            continue
        failed = f"'{' '.join(step.argv[:3])}' failed: {_reason(proc)}"
        if step.role != "switch":
            raise DeployFailed(
                f"deploy stopped: {failed}",
                "nothing was switched: the running version is untouched",
                None,
            )
        if not kept_previous:
            raise DeployFailed(
                f"deploy failed: {failed}",
                "there was no previous version to roll back to (first deploy): fix the "
                "problem and deploy again",
                False,
            )
        for back in rollback:
            progress(f"{back.description}: {back.shown()}")
            undone = _run_step(back, variables, captured)
            if undone.returncode != 0:
                raise DeployFailed(
                    f"deploy failed: {failed}; the rollback failed too: {_reason(undone)}",
                    "the site may be down: check it now ('docker compose ps' / 'flyctl status')",
                    False,
                )
        raise DeployFailed(
            f"deploy failed and was rolled back to the previous version: {failed}",
            "the previous version serves the site; fix the problem and deploy again",
            True,
        )


def deploy(
    env: Environment, variables: Mapping[str, str], progress: Callable[[str], None]
) -> TargetPlan:
    """Write the target's files to a private directory and run its plan there."""
    with tempfile.TemporaryDirectory(prefix="quickscale-deploy-") as directory:
        workdir = Path(directory)
        plan = plan_target(env, variables, workdir)
        for name, content in plan.files.items():
            (workdir / name).write_text(content, encoding="utf-8")
        run_plan(plan, variables, progress)
        return plan
