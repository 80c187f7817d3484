"""The upstream commit of a component: which one a client should get, and fetching it.

For a local source, a ref is resolved in the source itself: a published branch or a
release tag is used as it is; a monorepo commit (HEAD when the published branch is
behind, or ``--ref <commit>``) gives a component commit built from the component's tree
inside the client (:func:`quickscale_toolchain.source.build_component_commit`), so no history
is walked and nothing is written to the source. A URL source's ref is fetched into the
client first and treated the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git, subtree
from quickscale_toolchain.distribution.components import Component, has_path
from quickscale_toolchain.errors import GitError, SourceError, shell_word
from quickscale_toolchain.source import (
    SOURCE_ENV,
    Source,
    build_component_commit,
    component_commit_id,
    fetch_objects,
    find_built_commit,
    recorded_split_source,
    snapshot,
    write_component_commit,
)

_VERSION = re.compile(r"^v?\d+(\.\d+)*([a-z0-9.+-]*)$")


@dataclass(frozen=True)
class Upstream:
    """A component commit and the repository that holds it."""

    commit: str
    repo: Path


def _ref_candidates(component: Component, ref: str) -> list[str]:
    """``--ref 0.2.0`` is short for the release tag ``core-v0.2.0``."""
    if _VERSION.match(ref):
        return [component.tag(ref.removeprefix("v")), ref]
    return [ref]


def _component_commit(
    repo: Path, commit: str, component: Component, ref: str, client: Path
) -> Upstream:
    """``commit`` itself if it is a component commit, else the component commit built
    from its tree at the prefix (in the client; no history is walked)."""
    if has_path(repo, commit, component.prefix):
        tree = git.output(["rev-parse", f"{commit}:{component.prefix}"], repo)
        built = build_component_commit(repo, component.prefix, commit, tree, client)
        return Upstream(built, client)
    # Every monorepo commit has quickscale_core/; a component commit has the component's
    # own files at its root (the monorepo root has a pyproject.toml too, hence this order).
    if not has_path(repo, commit, "quickscale_core") and has_path(repo, commit, "pyproject.toml"):
        return Upstream(commit, repo)
    raise SourceError(
        f"'{ref}' contains neither {component.prefix}/ nor a {component.id} component",
        f"pass --ref a release tag like {component.tag('X.Y.Z')}, the branch "
        f"{component.branch}, or a monorepo commit",
    )


def unreachable(source: Source, detail: str) -> SourceError:
    return SourceError(
        f"cannot reach the source {source.describe()}: {detail}",
        f"check the path or network, or pass --source PATH (or set {SOURCE_ENV})",
    )


def _local_repo(source: Source) -> Path:
    path = source.local_path
    assert path is not None
    if git.run(["rev-parse", "--git-dir"], path, check=False).returncode != 0:
        raise unreachable(source, "not a git repository")
    return path


def locate(source: Source, component: Component, ref: str | None, client: Path) -> Upstream:
    """Find the component commit for ``ref`` (default: the published/current one)."""
    if source.local_path is not None:
        repo = _local_repo(source)
        if ref is None:
            if not has_path(repo, "HEAD", component.prefix):
                raise SourceError(
                    f"the source {repo} has no {component.prefix}/",
                    "check --component/--name, or point --source at a checkout that has it",
                )
            snap = snapshot(repo, component.id)
            if snap.published is not None:
                return Upstream(snap.published, repo)
            built = build_component_commit(repo, snap.prefix, snap.source_commit, snap.tree, client)
            return Upstream(built, client)
        for candidate in _ref_candidates(component, ref):
            probe = git.run(
                ["rev-parse", "--verify", "-q", f"{candidate}^{{commit}}"], repo, check=False
            )
            if probe.returncode == 0:
                return _component_commit(repo, probe.stdout.strip(), component, ref, client)
        raise SourceError(
            f"the source {repo} has no ref '{ref}'",
            f"list releases with 'git -C {repo} tag -l \"{component.id}-v*\"'",
        )
    wanted = (
        [f"refs/heads/{component.branch}"]
        if ref is None
        else [f"refs/tags/{c}" if c != ref else c for c in _ref_candidates(component, ref)]
    )
    last = ""
    for candidate in wanted:
        fetched = git.run(["fetch", "-q", source.location, candidate], client, check=False)
        if fetched.returncode == 0:
            commit = git.output(["rev-parse", "FETCH_HEAD^{commit}"], client)
            return _component_commit(client, commit, component, ref or candidate, client)
        lines = (fetched.stderr.strip() or "fetch failed").splitlines()
        last = lines[-1]
    if "couldn't find remote ref" in last:
        raise SourceError(
            f"the source {source.location} has no {wanted[0].removeprefix('refs/heads/')}",
            "run 'quickscale publish' (with --tag for releases) in the monorepo, or pass --ref",
        )
    raise unreachable(source, last)


def bring(upstream: Upstream, client: Path, source: Source) -> None:
    """Make ``upstream.commit`` (and its history) present in the client's object store."""
    if upstream.repo == client or has_commit(client, upstream.commit):
        return
    fetch_objects(upstream.repo, [upstream.commit], client)


def has_commit(repo: Path, commit: str) -> bool:
    probe = git.run(["cat-file", "-e", f"{commit}^{{commit}}"], repo, check=False)
    return probe.returncode == 0


def _rebuild(client: Path, split: str, origin_of: Callable[[str], str | None]) -> bool:
    """Write a lost parentless component commit again, byte for byte.

    The squash commit that names ``split`` holds its tree and prefix; ``origin_of(prefix)``
    finds the source commit it was built from. Nothing is written unless the three give
    exactly ``split``.
    """
    found = _squash_of(client, split)
    if found is None:
        return False
    prefix, tree = found
    origin = origin_of(prefix)
    if origin is None:
        return False
    if component_commit_id(prefix, tree, origin, sha256=len(split) == 64) != split:
        return False  # a record that does not reproduce the commit: use the other ways
    return write_component_commit(client, prefix, tree, origin) == split


def _squash_of(client: Path, split: str) -> tuple[str, str] | None:
    """(prefix, tree) of the squash commit that names ``split``: the component commit's
    own prefix and tree."""
    found = git.run(
        ["log", "-1", f"--grep={subtree.split_grep(split)}", "--format=%T%n%b", "HEAD"],
        client,
        check=False,
    )
    tree, _, body = found.stdout.partition("\n")
    if found.returncode != 0 or not tree:
        return None
    try:
        prefix = subtree.parse_squash(body).prefix
    except subtree.MalformedRecord:
        return None
    return (prefix, tree) if prefix is not None else None


def ensure_split_present(client: Path, split: str, source: Source) -> None:
    """`git subtree merge --squash` reads the previous component commit; bring it back if
    it is missing (a squash add keeps it unreachable, so `git gc` may drop it, and a fresh
    clone of the project never had it): rebuild it from what the project recorded, fetch
    it, or, for a project made before that record existed, find its source commit."""
    # The project's own record (``Quickscale-split-source:``): no source, no history read.
    if has_commit(client, split) or _rebuild(
        client, split, lambda _prefix: recorded_split_source(client, split)
    ):
        return
    missing = SourceError(
        f"the previously embedded commit {split[:12]} is missing here and in the source",
        _missing_hint(source),
    )
    if source.local_path is None:
        try:
            git.run(["fetch", "-q", source.location, split], client)
        except GitError as error:
            raise missing from error
        return
    try:
        fetch_objects(source.local_path, [split], client)
    except GitError as error:
        repo = source.local_path
        if not _rebuild(client, split, lambda prefix: find_built_commit(repo, prefix, split)):
            raise missing from error


def _missing_hint(source: Source) -> str:
    """How to get a published component commit the source lacks. A local clone made with
    ``--single-branch`` (or a shallow one) has none of upstream's component branches and
    tags, where every published commit is; fetching them all is one command."""
    fallback = "pass --source pointing at the repository the component was embedded from"
    if source.local_path is None:
        return fallback
    remotes = git.run(["remote"], source.local_path, check=False).stdout.split()
    if "origin" not in remotes:
        return fallback
    where = shell_word(str(source.local_path))
    fetch = f'git -C {where} fetch origin "+refs/heads/*:refs/remotes/origin/*" --tags'
    return f"the source lacks upstream's published branches: run '{fetch}', then update again"
