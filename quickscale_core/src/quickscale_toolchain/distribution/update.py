"""``quickscale update``: pull newer components into a client project, squashed.

Wraps ``git subtree merge --squash`` (the second half of ``git subtree pull``): the new
upstream tree becomes a squash commit whose parent is the previous squash commit, so the
previous squash is always the merge base and the client's own edits to embedded code are
merged, not overwritten. ``check`` computes the same plan and changes nothing.

Each plan carries the upgrade notes of the releases it crosses, read from the target's
CHANGELOG.md (:mod:`.changelog`). A required stop strictly between the embedded and the
target version refuses the update before anything is merged, naming the ``--ref`` that
passes through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git, subtree
from quickscale_toolchain.changes import ComponentChange, ComponentStatus
from quickscale_toolchain.distribution import changelog
from quickscale_toolchain.distribution import components as comps
from quickscale_toolchain.distribution import repo as repos
from quickscale_toolchain.distribution.components import Component
from quickscale_toolchain.distribution.errors import IncompatibleError, RefusedError, UpdateConflict
from quickscale_toolchain.distribution.upstream import (
    Upstream,
    bring,
    ensure_split_present,
    locate,
)
from quickscale_toolchain.distribution.versions import compare, core_allows, read_metadata
from quickscale_toolchain.errors import GitError, UsageError, shell_word
from quickscale_toolchain.generator.confine import check_tree_confined
from quickscale_toolchain.source import Source, built_from, resolve_source

ABORT_COMMAND = "git merge --abort"

Progress = Callable[[str], None]


@dataclass
class Result:
    """An applied update."""

    component: Component
    old_version: str | None
    new_version: str | None
    commit: str  # the merge commit in the client, or HEAD if nothing changed
    files: list[tuple[str, str]]  # (status letter, path)
    changed: bool
    upgrade: changelog.Upgrade | None = None  # the notes of the releases it crossed


@dataclass(frozen=True)
class RequiredStop:
    """A release the update may not skip: the project must reach it first."""

    component: Component
    embedded: str
    version: str
    target: str
    reason: str
    command: str  # the update that stops there, runnable from the project directory

    def error(self) -> RefusedError:
        reason = f": {self.reason}" if self.reason else ""
        return RefusedError(
            f"{self.component.id} {self.embedded} cannot skip {self.version} on the way to "
            f"{self.target}{reason}",
            f"run '{self.command}', then update again",
        )

    def as_json(self) -> dict[str, object]:
        return {"version": self.version, "reason": self.reason, "command": self.command}


def required_stop(plan: ComponentChange, source_arg: str | None) -> RequiredStop | None:
    """The required stop this plan would skip, with the command that stops there (the
    same --source when one was given, as an absolute path), or None."""
    upgrade = plan.upgrade
    if upgrade is None or upgrade.stop is None:
        return None
    component, stop = plan.component, upgrade.stop
    words = ["quickscale", "update", "--component", component.kind]
    words += ["--name", component.name] if component.name else []
    words += ["--ref", stop.version]
    if source_arg:
        words += ["--source", shell_word(resolve_source(source_arg).describe())]
    return RequiredStop(
        component,
        upgrade.embedded,
        stop.version,
        upgrade.target,
        stop.required_stop or "",
        " ".join(words),
    )


def _targets(client: Path, kind: str | None, name: str | None) -> list[Component]:
    embedded = comps.present(client)
    chosen = comps.select(embedded, kind, name)
    if not chosen:
        wanted = kind if kind and not name else f"{kind}/{name}" if kind else "any component"
        prefix = Component(kind, name or "").prefix if kind and (name or kind == "core") else ""
        raise RefusedError(
            f"{wanted} is not embedded in this project"
            + (f" (no {prefix}/ at HEAD)" if prefix else ""),
            "embed it first with 'git subtree add --squash --prefix=<dir> <source> <branch>' "
            "(see docs/distribution.md), or check --component/--name",
        )
    return chosen


def _core_version(client: Path) -> str | None:
    return read_metadata(client, "HEAD", "quickscale_core").version


def _compat_problem(
    client: Path, component: Component, upstream: Upstream
) -> tuple[str, str] | None:
    """Why this update would break a core-compatibility range, and the fix (or None)."""
    if component.kind == "core":
        new_core = read_metadata(upstream.repo, upstream.commit).version
        for other in comps.present(client):
            if other.kind == "core":
                continue
            declared = read_metadata(client, "HEAD", other.prefix).core_compatibility
            if not core_allows(declared, new_core):
                return (
                    f"core {new_core} is outside {other.id}'s core-compatibility '{declared}'",
                    f"update {other.id} first, or pass --ref with an older core release",
                )
        return None
    declared = read_metadata(upstream.repo, upstream.commit).core_compatibility
    core = _core_version(client)
    if not core_allows(declared, core):
        return (
            f"{component.id} needs core '{declared}' but this project embeds core {core}",
            "run 'quickscale update --component core' first",
        )
    return None


def plan_one(
    client: Path, component: Component, source: Source, ref: str | None
) -> ComponentChange:
    squash = repos.latest_squash(client, component)
    upstream = locate(source, component, ref, client)
    embedded = read_metadata(client, squash.squash).version
    available = read_metadata(upstream.repo, upstream.commit).version
    same_tree = repos.tree_of(client, squash.squash) == repos.tree_of(
        upstream.repo, upstream.commit
    )
    order = compare(embedded, available)
    problem = None
    if same_tree or upstream.commit == squash.split:
        status, detail = ComponentStatus.UP_TO_DATE, ""
    elif problem := _compat_problem(client, component, upstream):
        status, detail = ComponentStatus.INCOMPATIBLE, f"{problem[0]} — {problem[1]}"
    elif order < 0:
        status = ComponentStatus.OLDER
        detail = "the source has an older version than the one embedded"
    elif order > 0:
        status, detail = ComponentStatus.UPDATE_AVAILABLE, ""
    else:
        status = ComponentStatus.CHANGED
        detail = "same version, different content (unreleased changes)"
    upgrade = None
    if order > 0 and status is not ComponentStatus.UP_TO_DATE:
        releases = changelog.read(upstream.repo, upstream.commit)
        upgrade = changelog.upgrade(releases, embedded, available)
    return ComponentChange(
        component,
        status,
        detail,
        embedded_version=embedded,
        available_version=available,
        embedded_commit=squash.split,
        available_commit=upstream.commit,
        upstream=upstream,
        problem=problem,
        upgrade=upgrade,
    )


def check(
    path: Path, kind: str | None, name: str | None, source_arg: str | None, ref: str | None
) -> list[ComponentChange]:
    """Compare every selected embedded component with the source; write nothing."""
    client = repos.toplevel(path)
    source = resolve_source(source_arg)
    plans = []
    for component in _targets(client, kind, name):
        try:
            plans.append(plan_one(client, component, source, ref))
        except RefusedError as error:
            # A bulk check reports a module/theme that is not a squashed subtree (e.g.
            # generated, or vendored by hand) instead of failing the whole report.
            if kind is not None or component.kind == "core":
                raise
            plans.append(ComponentChange(component, ComponentStatus.UNMANAGED, error.message))
    return plans


def _touched(client: Path, before: str, after: str) -> list[tuple[str, str]]:
    out = git.output(["diff", "--name-status", "--no-renames", before, after], client)
    pairs = [line.split("\t", 1) for line in out.splitlines() if "\t" in line]
    return [(status, path) for status, path in pairs]


def _conflicts(client: Path) -> list[str]:
    out = git.output(["diff", "--name-only", "--diff-filter=U"], client)
    return [line for line in out.splitlines() if line]


def apply_one(client: Path, plan: ComponentChange, source: Source, progress: Progress) -> Result:
    """Squash-merge one component; on conflict leave the merge for the user to finish."""
    component = plan.component
    head = git.output(["rev-parse", "HEAD"], client)
    if plan.status is ComponentStatus.UP_TO_DATE:
        return Result(component, plan.embedded_version, plan.available_version, head, [], False)
    if plan.problem is not None:
        raise IncompatibleError(*plan.problem)
    assert plan.upstream is not None
    progress(f"Fetching {component.id} {plan.available_version or ''}".rstrip())
    bring(plan.upstream, client, source)
    ensure_split_present(client, plan.embedded_commit, source)
    old, new = plan.embedded_version or "?", plan.available_version or "?"
    message = subtree.update_message(
        component.prefix,
        old,
        new,
        plan.available_commit,
        built_from(client, plan.available_commit),
    )
    progress(f"Merging {component.prefix} {old} -> {new}")
    try:
        merged = git.run(
            [
                "subtree",
                "merge",
                "-q",
                f"--prefix={component.prefix}",
                "--squash",
                "-m",
                message,
                plan.available_commit,
            ],
            client,
            env=git.identity_env(client),
            check=False,
        )
    except BaseException:
        # Interrupted (Ctrl-C): never leave a half merge the user did not ask for.
        if repos.merge_in_progress(client):
            git.run(["merge", "--abort"], client, check=False)
        raise
    if merged.returncode != 0:
        conflicted = _conflicts(client)
        if conflicted:
            raise UpdateConflict(component.id, conflicted, ABORT_COMMAND)
        if repos.merge_in_progress(client):
            git.run(["merge", "--abort"], client, check=False)
        text = merged.stderr + merged.stdout
        if "would be overwritten by merge" in text:
            blocking = [line.strip() for line in text.splitlines() if line.startswith("\t")]
            raise RefusedError(
                "untracked files are in the way of the update: " + ", ".join(blocking),
                "move or delete them (or commit them), then run the update again",
            )
        detail = (text.strip() or "failed").splitlines()[-1]
        raise GitError(
            f"git subtree merge of {component.prefix} failed: {detail}",
            "nothing was changed; see docs/distribution.md for the manual commands",
        )
    after = git.output(["rev-parse", "HEAD"], client)
    touched = _touched(client, head, after)
    return Result(component, old, new, after, touched, after != head, plan.upgrade)


def update(
    path: Path,
    kind: str,
    name: str | None,
    source_arg: str | None,
    ref: str | None,
    progress: Progress | None = None,
) -> list[Result]:
    """Update the selected components, one squashed merge commit each.

    Everything is checked first (clean tree, branch, squash history, source reachable,
    compatibility, required stops) so a refusal changes nothing; components are then
    merged in order and a conflict stops at the component that conflicted.
    """
    say = progress or (lambda _m: None)
    if ref is not None and (kind != "core" and name is None):
        raise UsageError("--ref needs a single component", "add --name NAME (or use core)")
    client = repos.ready_for_change(path)
    source = resolve_source(source_arg)
    plans = [plan_one(client, c, source, ref) for c in _targets(client, kind, name)]
    for plan in plans:
        if plan.problem is not None:
            raise IncompatibleError(*plan.problem)
        stop = required_stop(plan, source_arg)
        if stop is not None:
            raise stop.error()
        if plan.status is not ComponentStatus.UP_TO_DATE:
            # git never writes through a symlink, but one in the way makes a confusing
            # half-merge: refuse before anything is merged, naming it.
            check_tree_confined(client, plan.component.prefix)
    results: list[Result] = []
    for plan in plans:
        if plan.status is ComponentStatus.OLDER and ref is None:
            # Never downgrade silently: only an explicit --ref may go back.
            plan.status = ComponentStatus.UP_TO_DATE
        try:
            results.append(apply_one(client, plan, source, say))
        except UpdateConflict as conflict:
            conflict.completed = list(results)
            conflict.upgrade = plan.upgrade
            raise
    return results
