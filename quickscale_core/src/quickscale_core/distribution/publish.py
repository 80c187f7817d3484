"""``quickscale publish``: split branches (and release tags) for every component.

``git subtree split`` rebuilds a component's history from the monorepo's commits,
copying their authors, dates and messages, so the same monorepo history always yields
the same split commit ids: publishing twice is a no-op, and clients can compare ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quickscale_core import git
from quickscale_core.distribution import components as comps
from quickscale_core.distribution import repo as repos
from quickscale_core.distribution.components import Component
from quickscale_core.distribution.errors import RefusedError
from quickscale_core.distribution.versions import is_stable, read_metadata

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


def publish(
    path: Path,
    ref: str = "HEAD",
    *,
    tag: bool = False,
    kind: str | None = None,
    name: str | None = None,
    progress: Progress | None = None,
) -> list[Published]:
    """Split every selected component at ``ref`` and point its branch (and tag) at it.

    All splits and checks happen before the first ref is written: a branch that would
    move backwards (the monorepo history was rewritten) or a release tag that already
    marks other content (the version was not bumped) refuses the whole run.
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
        say(f"Splitting {component.prefix}")
        split = git.output(["subtree", "split", "-q", f"--prefix={component.prefix}", commit], repo)
        old = _current(repo, f"refs/heads/{component.branch}")
        if old is None:
            action = "created"
        elif old == split:
            action = "unchanged"
        elif _is_ancestor(repo, old, split):
            action = "updated"
        else:
            raise RefusedError(
                f"branch {component.branch} ({old[:12]}) is not an ancestor of the new split "
                f"{split[:12]}",
                f"the monorepo history was rewritten; if that is intended, delete it with "
                f"'git branch -D {component.branch}' and publish again",
            )
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
