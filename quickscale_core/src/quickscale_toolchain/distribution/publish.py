"""``quickscale publish``: component branches (and release tags) for every component.

A component branch gets one commit per publish that changed the component: its tree is
the component's tree at the published monorepo commit, its parent the branch's previous
tip, its author and date fixed, and the monorepo commit recorded in a ``Source-commit:``
trailer (:func:`quickscale_toolchain.subtree.component_commit_object`). Publishing therefore
costs the same for any length of monorepo history, and stays reproducible: the same
monorepo commit and the same previous tip always give the same commit id, publishing
twice is a no-op, and a branch published for the first time holds exactly the commit a
local ``init`` builds from that monorepo commit.

A release tag needs the release's entry in the component's CHANGELOG.md, where
``update`` reads its upgrade notes (docs/releases.md); a component commit without any
CHANGELOG.md, from before changelogs, is tagged as before, so old commits can still be
published.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git
from quickscale_toolchain.distribution import changelog
from quickscale_toolchain.distribution import components as comps
from quickscale_toolchain.distribution import repo as repos
from quickscale_toolchain.distribution.components import Component
from quickscale_toolchain.distribution.errors import RefusedError
from quickscale_toolchain.distribution.versions import is_stable, read_metadata
from quickscale_toolchain.source import recorded_source_commit, write_component_commit

Progress = Callable[[str], None]


@dataclass
class Published:
    """The outcome for one component."""

    component: Component
    commit: str
    version: str | None
    branch_action: str  # created | updated | unchanged
    tag: str | None = None
    tag_action: str | None = None  # created | unchanged | skipped (not stable / no version)


def _current(repo: Path, ref: str) -> str | None:
    probe = git.run(["rev-parse", "--verify", "-q", ref], repo, check=False)
    return probe.stdout.strip() if probe.returncode == 0 else None


def _is_ancestor(repo: Path, old: str, new: str) -> bool:
    probe = git.run(["merge-base", "--is-ancestor", old, new], repo, check=False)
    return probe.returncode == 0


def _next_commit(repo: Path, component: Component, commit: str) -> tuple[str, str]:
    """The branch commit holding ``component`` at ``commit``, and what happens to the branch
    (created, updated, unchanged). Never walks the monorepo history, except once for a
    branch made by ``git subtree split`` before publish built commits itself."""
    tree = git.output(["rev-parse", f"{commit}:{component.prefix}"], repo)
    old = _current(repo, f"refs/heads/{component.branch}")
    if old is None:
        return write_component_commit(repo, component.prefix, tree, commit), "created"
    if repos.tree_of(repo, old) == tree:
        return old, "unchanged"
    origin = recorded_source_commit(repo, old)
    if origin is not None:
        forward = _is_ancestor(repo, origin, commit)
        behind = f"was published from {origin[:12]}, which is not an ancestor of {commit[:12]}"
    else:
        # A branch from `git subtree split`: check it against a split of ``commit``, once;
        # from now on the branch records its source commits.
        split = git.output(["subtree", "split", "-q", f"--prefix={component.prefix}", commit], repo)
        forward = _is_ancestor(repo, old, split)
        behind = f"is not an ancestor of the new split {split[:12]}"
    if not forward:
        raise RefusedError(
            f"branch {component.branch} ({old[:12]}) {behind}",
            f"the monorepo history was rewritten; if that is intended, delete it with "
            f"'git branch -D {component.branch}' and publish again",
        )
    return write_component_commit(repo, component.prefix, tree, commit, old), "updated"


def publish(
    path: Path,
    ref: str = "HEAD",
    *,
    tag: bool = False,
    kind: str | None = None,
    name: str | None = None,
    progress: Progress | None = None,
) -> list[Published]:
    """Publish every selected component at ``ref``: its branch (and tag) move to it.

    All commits are built and checked before the first ref is written: a branch last
    published from a commit that ``ref`` does not descend from (the monorepo history was
    rewritten) or a release tag that already marks other content (the version was not
    bumped) refuses the whole run.
    """
    say = progress or (lambda _m: None)
    repo = repos.toplevel(path)
    if ref == "HEAD":
        branch = repos.current_branch(repo)
        checked_out = {branch}
    else:
        checked_out = set()
    commit = repos.rev(repo, ref)
    chosen = comps.select(comps.present(repo, commit), kind, name)
    if not chosen:
        raise RefusedError(
            f"{path} has no quickscale_core/, quickscale_modules/* or quickscale_themes/* at {ref}",
            "run publish in the QuickScale monorepo (or check --component/--name)",
        )
    results: list[Published] = []
    for component in chosen:
        if component.branch in checked_out:
            raise RefusedError(
                f"branch {component.branch} is checked out",
                "switch to the monorepo's main branch before publishing",
            )
        say(f"Publishing {component.prefix}")
        split, action = _next_commit(repo, component, commit)
        version = read_metadata(repo, split).version
        result = Published(component, split, version, action)
        if tag:
            _plan_tag(repo, result)
        results.append(result)
    for result in results:
        if result.branch_action != "unchanged":
            git.run(
                [
                    "update-ref",
                    "-m",
                    "quickscale publish",
                    f"refs/heads/{result.component.branch}",
                    result.commit,
                ],
                repo,
            )
        if result.tag and result.tag_action == "created":
            git.run(["tag", result.tag, result.commit], repo)
    return results


def _plan_tag(repo: Path, result: Published) -> None:
    if not result.version or not is_stable(result.version):
        result.tag_action = "skipped"
        return
    name = result.component.tag(result.version)
    result.tag = name
    existing = _current(repo, f"refs/tags/{name}^{{commit}}")
    if existing is None:
        _check_changelog(repo, result, name)
        result.tag_action = "created"
    elif existing == result.commit or repos.tree_of(repo, existing) == repos.tree_of(
        repo, result.commit
    ):
        result.tag_action = "unchanged"
    else:
        raise RefusedError(
            f"tag {name} already marks other content ({existing[:12]})",
            f"bump [project] version in {result.component.prefix}/pyproject.toml, commit, "
            "and publish again",
        )


def _check_changelog(repo: Path, result: Published, name: str) -> None:
    """Refuse a new release tag whose version has no ``## [<version>]`` entry in the
    component's CHANGELOG.md at the tagged commit (its upgrade notes would be missing).
    Without any CHANGELOG.md there (a commit from before changelogs) the tag is made."""
    from packaging.version import Version

    assert result.version is not None  # _plan_tag tags stable versions only
    shown = git.run(["show", f"{result.commit}:{changelog.FILE}"], repo, check=False)
    if shown.returncode != 0:
        return
    version = str(Version(result.version))
    if any(release.version == version for release in changelog.parse(shown.stdout)):
        return
    path = f"{result.component.prefix}/{changelog.FILE}"
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    raise RefusedError(
        f"{path} has no entry for {result.version}, the version tag {name} would mark",
        f"add a '## [{result.version}] - {today}' entry to {path}, commit, and publish again",
    )
