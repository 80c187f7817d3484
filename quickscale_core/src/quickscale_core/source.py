"""Where shared code comes from: the source repository and its component branches.

The order is: ``--source`` / ``QUICKSCALE_SOURCE``, else the git checkout the CLI is
installed from, else the public repository. A component (``core``, ``modules/<name>``,
``themes/<name>``) is published as a branch of that name (``quickscale publish``). When
a local source's HEAD is ahead of that branch (a development checkout), the component
commit is built from the component's tree at HEAD, with a fixed author and date and the
source commit in a trailer: the same source commit always gives the same commit, and
the cost does not depend on how long the source's history is.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from quickscale_core import git
from quickscale_core.errors import GitError, SourceError

PUBLIC_REPOSITORY = "https://github.com/Experto-AI/quickscale.git"
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
    """Resolve the source repository, following the brief's order."""
    location = explicit or os.environ.get(SOURCE_ENV) or ""
    if not location:
        checkout = _installed_checkout()
        if checkout is not None:
            return Source(str(checkout), checkout)
        return Source(PUBLIC_REPOSITORY, None)
    if "://" in location or location.startswith("git@"):
        return Source(location, None)
    path = Path(location).expanduser().resolve()
    if not path.is_dir():
        raise SourceError(
            f"the source '{location}' does not exist",
            f"pass --source (or set {SOURCE_ENV}) to a QuickScale checkout or repository URL",
        )
    return Source(str(path), path)


def component_prefix(component: str) -> str:
    """Directory of a component inside the monorepo: core, modules/x, themes/x."""
    if component == "core":
        return "quickscale_core"
    kind, _, name = component.partition("/")
    if kind in {"modules", "themes"} and name:
        return f"quickscale_{kind}/{name}"
    raise SourceError(f"unknown component '{component}'", "use core, modules/NAME or themes/NAME")


# Lets a local fetch ask for an object by id although no ref points at it, so the
# source repository is never written to.
_UPLOAD_PACK = "git -c uploadpack.allowAnySHA1InWant=true upload-pack"

# A component commit is built from the component's tree alone, never from history, so
# embedding costs the same for a source with one commit or a hundred thousand. Every
# byte of it is fixed by (prefix, tree, source commit, parent): the same source commit
# always gives the same commit id, on any machine, and no user config (signing, commit
# encoding) can change it because the object is written with `git hash-object`.
COMPONENT_AUTHOR = "QuickScale <quickscale@localhost>"
COMPONENT_DATE = "1704067200 +0000"  # 2024-01-01T00:00:00Z, fixed for reproducibility
SOURCE_TRAILER = "Source-commit"
_SOURCE_LINE = re.compile(rf"^{SOURCE_TRAILER}: ([0-9a-f]{{40,64}})$", re.MULTILINE)


def component_commit_object(
    prefix: str, tree: str, source_commit: str, parent: str | None = None
) -> bytes:
    """The raw commit object holding ``tree`` (``prefix``/ at ``source_commit``)."""
    lines = [f"tree {tree}"]
    if parent:
        lines.append(f"parent {parent}")
    lines += [
        f"author {COMPONENT_AUTHOR} {COMPONENT_DATE}",
        f"committer {COMPONENT_AUTHOR} {COMPONENT_DATE}",
        "",
        f"{prefix} at {source_commit[:12]}",
        "",
        f"{SOURCE_TRAILER}: {source_commit}",
    ]
    return ("\n".join(lines) + "\n").encode()


def write_component_commit(
    repo: Path, prefix: str, tree: str, source_commit: str, parent: str | None = None
) -> str:
    """Write the component commit into ``repo`` (which must hold ``tree``); no ref moves."""
    body = component_commit_object(prefix, tree, source_commit, parent)
    return (
        git.run_bytes(["hash-object", "-t", "commit", "-w", "--stdin"], repo, data=body)
        .decode()
        .strip()
    )


def component_commit_id(
    prefix: str, tree: str, source_commit: str, parent: str | None = None, *, sha256: bool = False
) -> str:
    """The id :func:`write_component_commit` would give, computed without git."""
    body = component_commit_object(prefix, tree, source_commit, parent)
    digest = hashlib.sha256() if sha256 else hashlib.sha1()  # git object ids, not security
    digest.update(b"commit %d\0" % len(body) + body)
    return digest.hexdigest()


def recorded_source_commit(repo: Path, commit: str) -> str | None:
    """The ``Source-commit:`` trailer of a component commit (None for other commits)."""
    body = git.run(["log", "-1", "--format=%B", commit], repo, check=False)
    found = _SOURCE_LINE.findall(body.stdout) if body.returncode == 0 else []
    return found[-1] if found else None


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
    prefix = component_prefix(component)
    try:
        commit, tree, branch, branch_tree = _batch_check(
            repo,
            [
                f"{rev}^{{commit}}",
                f"{rev}:{prefix}",
                f"refs/heads/{component}^{{commit}}",
                f"refs/heads/{component}^{{tree}}",
            ],
        )
    except GitError as error:
        raise SourceError(
            f"the source {repo} is not a git repository",
            f"point --source (or {SOURCE_ENV}) at a git checkout of QuickScale",
        ) from error
    if commit is None or tree is None or tree[1] != "tree":
        raise SourceError(
            f"the source {repo} has no committed '{prefix}/' at {rev}",
            "point --source at a QuickScale checkout with at least one commit",
        )
    current = branch is not None and branch_tree is not None and branch_tree[0] == tree[0]
    return Snapshot(prefix, commit[0], tree[0], branch[0] if current and branch else None)


def fetch_objects(source_repo: Path, oid: str, dest: Path) -> None:
    """Copy ``oid`` and everything it reaches from a local repository; no ref is written."""
    git.run(
        [
            "fetch",
            "-q",
            "--no-write-fetch-head",
            "--no-auto-maintenance",
            f"--upload-pack={_UPLOAD_PACK}",
            str(source_repo),
            oid,
        ],
        dest,
    )


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
        fetch_objects(source_repo, tree, dest)
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


def check_component(source: Source, component: str) -> None:
    """Fail early, before anything is built, when a local source cannot provide ``component``.

    Remote sources are checked when fetched (that needs the network anyway).
    """
    if source.local_path is None:
        return
    repo = source.local_path
    inside = git.run(["rev-parse", "--show-toplevel"], repo, check=False)
    if inside.returncode != 0 or Path(inside.stdout.strip()).resolve() != repo.resolve():
        raise SourceError(
            f"the source {repo} is not a git repository",
            f"point --source (or {SOURCE_ENV}) at a git checkout of QuickScale",
        )
    prefix = component_prefix(component)
    if git.run(["rev-parse", "--verify", "-q", f"HEAD:{prefix}"], repo, check=False).returncode:
        raise SourceError(
            f"the source {repo} has no committed '{prefix}/'",
            f"point --source (or {SOURCE_ENV}) at a QuickScale checkout with '{prefix}/' committed",
        )


def fetch_component(source: Source, component: str, dest: Path) -> str:
    """Bring ``component`` from ``source`` into the repository ``dest``; return its commit.

    A local source gives its published branch when that is current, else a commit built
    from the component's tree at HEAD (see :func:`build_component_commit`). A URL source
    gives its published branch.
    """
    if source.local_path is not None:
        # The callers ran check_component before building anything; snapshot() checks
        # again, in the one git call it makes anyway.
        snap = snapshot(source.local_path, component)
        if snap.published is not None:
            if not has_object(dest, snap.published):
                fetch_objects(source.local_path, snap.published, dest)
            return snap.published
        return build_component_commit(
            source.local_path, snap.prefix, snap.source_commit, snap.tree, dest
        )
    try:
        git.run(["fetch", "-q", source.location, f"refs/heads/{component}"], dest)
    except GitError as error:
        raise SourceError(
            f"cannot fetch '{component}' from {source.location}: {error.message}",
            f"check the network or pass --source PATH to a local checkout (or set {SOURCE_ENV})",
        ) from error
    return git.output(["rev-parse", "FETCH_HEAD"], dest)
