"""The upstream commit of a component: which one a client should get, and fetching it.

For a local source, a ref is resolved in the source itself (a split branch, a release
tag, or any monorepo commit, which is split on the fly without writing a ref). For a URL
source the ref is fetched first and split inside the client if it is a monorepo commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quickscale_core import git
from quickscale_core.distribution.components import Component, has_path
from quickscale_core.errors import GitError, SourceError
from quickscale_core.source import SOURCE_ENV, Source, split_commit

_UPLOAD_PACK = "git -c uploadpack.allowAnySHA1InWant=true upload-pack"
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


def _component_commit(repo: Path, commit: str, component: Component, ref: str) -> str:
    """``commit`` itself if it is a component commit, else its split at the prefix."""
    if has_path(repo, commit, component.prefix):
        return git.output(["subtree", "split", "-q", f"--prefix={component.prefix}", commit], repo)
    # Every monorepo commit has quickscale_core/; a split commit has the component's own
    # files at its root (the monorepo root has a pyproject.toml too, hence this order).
    if not has_path(repo, commit, "quickscale_core") and has_path(repo, commit, "pyproject.toml"):
        return commit
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
            return Upstream(split_commit(repo, component.id), repo)
        for candidate in _ref_candidates(component, ref):
            probe = git.run(
                ["rev-parse", "--verify", "-q", f"{candidate}^{{commit}}"], repo, check=False
            )
            if probe.returncode == 0:
                commit = _component_commit(repo, probe.stdout.strip(), component, ref)
                return Upstream(commit, repo)
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
            return Upstream(_component_commit(client, commit, component, ref or candidate), client)
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
    git.run(
        ["fetch", "-q", f"--upload-pack={_UPLOAD_PACK}", str(upstream.repo), upstream.commit],
        client,
    )


def has_commit(repo: Path, commit: str) -> bool:
    probe = git.run(["cat-file", "-e", f"{commit}^{{commit}}"], repo, check=False)
    return probe.returncode == 0


def ensure_split_present(client: Path, split: str, source: Source) -> None:
    """`git subtree merge --squash` reads the previous split commit; fetch it if it was
    pruned (a squash add keeps it unreachable, so `git gc` may drop it)."""
    if has_commit(client, split):
        return
    try:
        if source.local_path is not None:
            git.run(
                ["fetch", "-q", f"--upload-pack={_UPLOAD_PACK}", str(source.local_path), split],
                client,
            )
        else:
            git.run(["fetch", "-q", source.location, split], client)
    except GitError as error:
        raise SourceError(
            f"the previously embedded commit {split[:12]} is missing here and in the source",
            "pass --source pointing at the repository the component was embedded from",
        ) from error
