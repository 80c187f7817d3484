"""``quickscale sync push``: send a client's edits to embedded code back for review.

Squashed subtree history cannot be pushed back as-is (the squash commits do not exist in
the source), so the client's change is taken as a diff: from the tree of the latest
squash commit (the upstream code exactly as embedded) to ``HEAD:<prefix>``. That diff is
applied under the same prefix on top of the source's main in a private index and
committed onto a new ``sync/<client>/<component>-<sha>`` branch. Merging that branch
brings exactly the client's change into the monorepo; main itself is never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git
from quickscale_toolchain.distribution import components as comps
from quickscale_toolchain.distribution import repo as repos
from quickscale_toolchain.distribution.components import Component
from quickscale_toolchain.distribution.errors import RefusedError
from quickscale_toolchain.distribution.workspace import (
    commit_index,
    identity_of,
    open_workspace,
    private_index,
)
from quickscale_toolchain.errors import UsageError
from quickscale_toolchain.source import resolve_source


@dataclass(frozen=True)
class Pushed:
    """A review branch created in the source (``branch`` is None: nothing to send)."""

    component: Component
    branch: str | None
    commit: str | None
    files: list[str]
    already: bool = False


def _one_component(client: Path, kind: str, name: str | None) -> Component:
    chosen = comps.select(comps.present(client), kind, name)
    if kind == "core":
        return Component("core")
    if name:
        return Component(kind, name)
    if len(chosen) == 1:
        return chosen[0]
    raise UsageError(
        f"sync push sends one component at a time ({len(chosen)} {kind} embedded)",
        f"add --name NAME (one of: {', '.join(c.name for c in chosen) or 'none'})",
    )


def _message(client: Path, component: Component, squash: str, head: str, slug: str) -> str:
    subjects = git.output(
        ["log", "--no-merges", "--format=- %s", f"{squash}..HEAD", "--", component.prefix],
        client,
    )
    area = "core" if component.kind == "core" else component.id
    return (
        f"sync({area}): changes from {slug} at {head[:12]}\n\n"
        f"Client project {slug} changed {component.prefix}/ after embedding it; this branch "
        "applies exactly that diff onto main for review.\n"
        + (f"\nClient commits:\n{subjects}\n" if subjects else "")
    )


def push(
    path: Path,
    kind: str,
    name: str | None,
    source_arg: str | None,
    base: str = "main",
) -> Pushed:
    """Create the review branch in the source; refuse anything that is not clean."""
    client = repos.ready_for_change(path)
    component = _one_component(client, kind, name)
    squash = repos.latest_squash(client, component)
    source = resolve_source(source_arg)
    if source.local_path is not None and source.local_path == client:
        raise UsageError("the source is this project itself", "pass --source the monorepo")
    patch = git.run_bytes(
        ["diff", "--binary", "--full-index", squash.squash, f"HEAD:{component.prefix}"], client
    )
    if not patch.strip():
        return Pushed(component, None, None, [])
    files = git.output(
        ["diff", "--name-only", squash.squash, f"HEAD:{component.prefix}"], client
    ).splitlines()
    head = git.output(["rev-parse", "HEAD"], client)
    slug = repos.project_slug(client)
    branch = f"sync/{slug}/{component.slug}-{head[:10]}"
    with open_workspace(source, base) as ws:
        if ws.branch_exists(branch):
            return Pushed(component, branch, None, files, already=True)
        if not comps.has_path(ws.repo, ws.base, component.prefix):
            raise RefusedError(
                f"the source's {base} has no {component.prefix}/",
                "check --source and --component/--name",
            )
        with private_index(ws.repo, ws.base) as index:
            applied = git.run_bytes_ok(
                ["apply", "--cached", f"--directory={component.prefix}", "-"],
                ws.repo,
                data=patch,
                env=index,
            )
            if not applied:
                raise RefusedError(
                    f"the changes to {component.prefix}/ do not apply to the source's {base} "
                    "(it changed the same lines since your last update)",
                    f"run 'quickscale update --component {component.id.split('/')[0]}' first, "
                    "resolve, commit, then sync push again",
                )
            commit = commit_index(
                ws.repo,
                index,
                ws.base,
                _message(client, component, squash.squash, head, slug),
                identity_of(client),
            )
        ws.create_branch(branch, commit)
    return Pushed(component, branch, commit, [f"{component.prefix}/{f}" for f in files])
