"""Where shared code comes from: the source repository and its component branches.

The order is: ``--source`` / ``QUICKSCALE_SOURCE``, else the git checkout the CLI is
installed from, else a one-line refusal naming both. No installed distribution carries
the components, and no URL is assumed: another project's repository has no component
branches or manifests, so it would only fail later and worse. A component (``core``,
``modules/<name>``, ``themes/<name>``) is published as a branch of that name
(``quickscale publish``). When a local source's HEAD is ahead of that branch (a
development checkout), the component commit is built from the component's tree at HEAD,
with a fixed author and date and the source commit in a trailer: the same source commit
always gives the same commit, and the cost does not depend on how long the source's
history is.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from quickscale_toolchain import git, subtree
from quickscale_toolchain.components import Component
from quickscale_toolchain.errors import GitError, SourceError

SOURCE_ENV = "QUICKSCALE_SOURCE"


@dataclass(frozen=True)
class Source:
    """A resolved source repository of shared code."""

    location: str  # a local path or a URL, as git accepts it
    local_path: Path | None  # set when the source is a local checkout

    def describe(self) -> str:
        return str(self.local_path) if self.local_path else self.location


def _checkout_of(path: Path) -> Path | None:
    """The monorepo checkout containing ``path``, if any."""
    for parent in [path, *path.parents]:
        if (parent / ".git").exists() and (parent / "quickscale_core" / "src").is_dir():
            return parent
    return None


def _installed_checkout() -> Path | None:
    """The checkout the CLI was installed from (editable or ``pip install ./dir``).

    pip records a local install's origin in ``direct_url.json`` (PEP 610); an editable
    install is found the same way, or from the package's own file location.
    """
    from importlib import metadata  # 12 ms to import: only when no source is named

    for dist_name in ("quickscale-cli", "quickscale-core"):
        try:
            raw = metadata.distribution(dist_name).read_text("direct_url.json")
        except metadata.PackageNotFoundError:
            continue
        if not raw:
            continue
        url = json.loads(raw).get("url", "")
        parsed = urlparse(url)
        if parsed.scheme == "file":
            found = _checkout_of(Path(unquote(parsed.path)))
            if found:
                return found
    return _checkout_of(Path(__file__).resolve())


def resolve_source(explicit: str | None = None) -> Source:
    """The source named by ``explicit`` or ``QUICKSCALE_SOURCE``, else the checkout the
    CLI is installed from; a SourceError when there is none of them."""
    location = explicit or os.environ.get(SOURCE_ENV) or ""
    if not location:
        checkout = _installed_checkout()
        if checkout is None:
            raise SourceError(
                "no source of shared code: quickscale was not installed from a checkout",
                f"pass --source PATH|URL or set {SOURCE_ENV}",
            )
        return Source(str(checkout), checkout)
    if "://" in location or location.startswith("git@"):
        return Source(location, None)
    path = Path(location).expanduser().resolve()
    if not path.is_dir():
        raise SourceError(
            f"the source '{location}' does not exist",
            f"pass --source (or set {SOURCE_ENV}) to a QuickScale checkout or repository URL",
        )
    return Source(str(path), path)


# Lets a local fetch ask for an object by id although no ref points at it, so the
# source repository is never written to. With no delta search (pack.window=0) the pack
# is built about 40% faster for about 1% more bytes (the copy is local, and the
# project's first `git gc` deltifies the objects anyway).
_UPLOAD_PACK = "git -c uploadpack.allowAnySHA1InWant=true -c pack.window=0 upload-pack"


# A component commit is built from the component's tree alone, never from history, so
# embedding costs the same for a source with one commit or a hundred thousand. Its bytes
# (quickscale_toolchain.subtree.component_commit_object) are written with `git hash-object`,
# so no user config (signing, commit encoding) can change its id.
def write_component_commit(
    repo: Path, prefix: str, tree: str, source_commit: str, parent: str | None = None
) -> str:
    """Write the component commit into ``repo`` (which must hold ``tree``); no ref moves."""
    body = subtree.component_commit_object(prefix, tree, source_commit, parent)
    return (
        git.run_bytes(["hash-object", "-t", "commit", "-w", "--stdin"], repo, data=body)
        .decode()
        .strip()
    )


def component_commit_id(
    prefix: str, tree: str, source_commit: str, parent: str | None = None, *, sha256: bool = False
) -> str:
    """The id :func:`write_component_commit` would give, computed without git."""
    body = subtree.component_commit_object(prefix, tree, source_commit, parent)
    # The id git gives the object (SHA-1 in most repositories): naming, not security.
    digest = hashlib.sha256() if sha256 else hashlib.sha1(usedforsecurity=False)
    digest.update(b"commit %d\0" % len(body) + body)
    return digest.hexdigest()


def recorded_source_commit(repo: Path, commit: str) -> str | None:
    """The ``Source-commit:`` trailer of a component commit (None for other commits)."""
    return _source_and_parents(repo, commit)[0]


def _source_and_parents(repo: Path, commit: str) -> tuple[str | None, str]:
    """``commit``'s ``Source-commit:`` trailer (or None) and its parents' ids."""
    body = git.run(["log", "-1", "--format=%P%n%B", commit], repo, check=False)
    if body.returncode != 0:
        return None, ""
    parents, _, message = body.stdout.partition("\n")
    return subtree.source_commit_of(message), parents.strip()


# A built component commit is unreachable in the client (a squash names it only in its
# `git-subtree-split:` trailer), so a fresh clone of the project never has it. The merge
# commit that brought it in also records the source commit it was built from: with the
# squash's tree and prefix, that is all it takes to write the very same commit again,
# without the source and without reading its history.
def built_from(repo: Path, commit: str) -> subtree.SplitSource | None:
    """Where ``commit`` was built from, when it is a built component commit (parentless,
    with a ``Source-commit:`` trailer); else None. Its merge records this."""
    source_commit, parents = _source_and_parents(repo, commit)
    if source_commit is None or parents:
        return None
    return subtree.SplitSource(commit, source_commit)


def recorded_split_source(repo: Path, split: str) -> str | None:
    """The source commit that HEAD's history records for the built commit ``split``."""
    if not subtree.is_commit_id(split):
        return None
    found = git.run(
        ["log", "-1", f"--grep={subtree.split_source_grep(split)}", "--format=%B", "HEAD"],
        repo,
        check=False,
    )
    if found.returncode != 0:
        return None
    return next((r.source for r in subtree.split_sources(found.stdout) if r.split == split), None)


@dataclass(frozen=True)
class Snapshot:
    """A component as committed at one source commit: what to embed from a local source."""

    prefix: str
    source_commit: str
    tree: str  # the tree of ``prefix``/ at ``source_commit``
    published: str | None  # the published branch's commit, if it holds exactly ``tree``


def _batch_check(repo: Path, names: list[str]) -> list[tuple[str, str] | None]:
    """(id, type) of each revision expression, or None if it does not resolve; one git call."""
    data = "".join(f"{name}\n" for name in names).encode()
    out = git.run_bytes(
        ["cat-file", "--batch-check=%(objectname) %(objecttype)"], repo, data=data
    ).decode()
    found: list[tuple[str, str] | None] = []
    for line in out.splitlines():
        oid, _, kind = line.partition(" ")
        found.append((oid, kind) if kind in {"commit", "tree", "blob", "tag"} else None)
    return found


def snapshot(repo: Path, component: str, rev: str = "HEAD") -> Snapshot:
    """Where ``component`` stands at ``rev`` of the local source ``repo``, read in one call.

    Nothing walks the history: a commit, the tree at the component's prefix, and the
    published branch (``core``, ``modules/<name>``, ``themes/<name>``) if there is one.
    """
    return snapshots(repo, [component], rev)[0]


def snapshots(repo: Path, components: list[str], rev: str = "HEAD") -> list[Snapshot]:
    """:func:`snapshot` of several components, still in one git call."""
    prefixes = [Component.parse(component).prefix for component in components]
    names = [f"{rev}^{{commit}}"]
    for component, prefix in zip(components, prefixes, strict=True):
        names += [
            f"{rev}:{prefix}",
            f"refs/heads/{component}^{{commit}}",
            f"refs/heads/{component}^{{tree}}",
        ]
    try:
        found = _batch_check(repo, names)
    except GitError as error:
        raise SourceError(
            f"the source {repo} is not a git repository",
            f"point --source (or {SOURCE_ENV}) at a git checkout of QuickScale",
        ) from error
    commit = found[0]
    result = []
    for index, prefix in enumerate(prefixes):
        tree, branch, branch_tree = found[1 + 3 * index : 4 + 3 * index]
        if commit is None or tree is None or tree[1] != "tree":
            raise SourceError(
                f"the source {repo} has no committed '{prefix}/' at {rev}",
                "point --source at a QuickScale checkout with at least one commit",
            )
        current = branch is not None and branch_tree is not None and branch_tree[0] == tree[0]
        published = branch[0] if current and branch else None
        result.append(Snapshot(prefix, commit[0], tree[0], published))
    return result


def fetch_objects(source_repo: Path, oids: list[str], dest: Path) -> None:
    """Copy ``oids`` and everything they reach from a local repository; no ref is written."""
    git.run(
        [
            "fetch",
            "-q",
            "--no-write-fetch-head",
            "--no-auto-maintenance",
            f"--upload-pack={_UPLOAD_PACK}",
            str(source_repo),
            *oids,
        ],
        dest,
    )


def missing_objects(repo: Path, oids: list[str]) -> list[str]:
    """Those of ``oids`` that ``repo`` does not hold, in one git call."""
    found = _batch_check(repo, oids)
    return [oid for oid, there in zip(oids, found, strict=True) if there is None]


def has_object(repo: Path, oid: str) -> bool:
    return git.run(["cat-file", "-e", oid], repo, check=False).returncode == 0


def build_component_commit(
    source_repo: Path, prefix: str, source_commit: str, tree: str, dest: Path
) -> str:
    """The parentless component commit for ``tree``, written into ``dest``.

    Only the tree's objects are copied over (a tree holds no history), then the commit
    is written in ``dest`` itself: the source repository is never written to.
    """
    if dest.resolve() != source_repo.resolve() and not has_object(dest, tree):
        fetch_objects(source_repo, [tree], dest)
    return write_component_commit(dest, prefix, tree, source_commit)


def find_built_commit(source_repo: Path, prefix: str, wanted: str) -> str | None:
    """The source commit a parentless component commit ``wanted`` was built from.

    A recovery path, used only when a client lost the commit it embedded (``git gc``, a
    fresh clone): the commit is rebuilt from whichever commit of the source reproduces
    its id. This one does read the whole history, once, in two git calls.
    """
    listed = git.run(["rev-list", "--all"], source_repo, check=False)
    commits = listed.stdout.split() if listed.returncode == 0 else []
    if not commits:
        return None
    trees = _batch_check(source_repo, [f"{c}:{prefix}" for c in commits])
    sha256 = len(wanted) == 64
    for commit, tree in zip(commits, trees, strict=True):
        if (
            tree is not None
            and component_commit_id(prefix, tree[0], commit, sha256=sha256) == wanted
        ):
            return commit
    return None


def check_components(source: Source, components: list[str]) -> None:
    """Fail early, before anything is built, when a local source cannot provide one of
    ``components``; two git calls at most.

    Remote sources are checked when fetched (that needs the network anyway).
    """
    if source.local_path is None or not components:
        return
    repo = source.local_path
    inside = git.run(["rev-parse", "--show-toplevel"], repo, check=False)
    if inside.returncode != 0 or Path(inside.stdout.strip()).resolve() != repo.resolve():
        raise SourceError(
            f"the source {repo} is not a git repository",
            f"point --source (or {SOURCE_ENV}) at a git checkout of QuickScale",
        )
    prefixes = [Component.parse(component).prefix for component in components]
    found = _batch_check(repo, [f"HEAD:{prefix}" for prefix in prefixes])
    for prefix, there in zip(prefixes, found, strict=True):
        if there is None or there[1] != "tree":
            raise SourceError(
                f"the source {repo} has no committed '{prefix}/'",
                f"point --source (or {SOURCE_ENV}) at a QuickScale checkout with "
                f"'{prefix}/' committed",
            )


def fetch_component(source: Source, component: str, dest: Path) -> str:
    """Bring ``component`` from ``source`` into the repository ``dest``; return its commit."""
    return fetch_components(source, [component], dest)[0]


def fetch_components(source: Source, components: list[str], dest: Path) -> list[str]:
    """Bring ``components`` from ``source`` into the repository ``dest``; return their commits.

    A local source gives each one's published branch when that is current, else a commit
    built from the component's tree at HEAD (see :func:`build_component_commit`); all
    the objects come over in one fetch. A URL source gives its published branches.
    """
    if source.local_path is None:
        return [_fetch_remote(source, component, dest) for component in components]
    repo = source.local_path
    # The callers ran check_components before building anything; snapshots() checks
    # again, in the one git call it makes anyway.
    snaps = snapshots(repo, components)
    wanted = [snap.published or snap.tree for snap in snaps]
    if dest.resolve() != repo.resolve():
        missing = missing_objects(dest, wanted)
        if missing:
            fetch_objects(repo, missing, dest)
    return [
        snap.published or write_component_commit(dest, snap.prefix, snap.tree, snap.source_commit)
        for snap in snaps
    ]


def _fetch_remote(source: Source, component: str, dest: Path) -> str:
    try:
        git.run(["fetch", "-q", source.location, f"refs/heads/{component}"], dest)
    except GitError as error:
        raise SourceError(
            f"cannot fetch '{component}' from {source.location}: {error.message}",
            f"check the network or pass --source PATH to a local checkout (or set {SOURCE_ENV})",
        ) from error
    return git.output(["rev-parse", "FETCH_HEAD"], dest)
