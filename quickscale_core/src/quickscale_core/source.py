"""Where shared code comes from: the source repository and its component branches.

The brief fixes the order: ``--source`` / ``QUICKSCALE_SOURCE``, else the git checkout
the CLI is installed from, else the public repository. A component (``core``,
``modules/<name>``, ``themes/<name>``) is published as a ``git subtree split`` branch;
when the source has no such branch (a development checkout), the split is computed on
the fly from the source's HEAD.
"""

from __future__ import annotations

import json
import os
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


def split_commit(repo: Path, component: str) -> str:
    """The commit holding ``component`` alone, as `git subtree split` produces it.

    A published branch named after the component is used when its tree matches the
    source's HEAD (cheap); otherwise the split is computed (slower, but never stale).
    Nothing is written to the source repository.
    """
    prefix = component_prefix(component)
    try:
        head_tree = git.output(["rev-parse", f"HEAD:{prefix}"], repo)
    except GitError as error:
        raise SourceError(
            f"the source {repo} has no committed '{prefix}/'",
            "point --source at a QuickScale checkout with at least one commit",
        ) from error
    published = git.run(
        ["rev-parse", "--verify", "-q", f"refs/heads/{component}"], repo, check=False
    )
    if published.returncode == 0:
        commit = published.stdout.strip()
        if git.output(["rev-parse", f"{commit}^{{tree}}"], repo) == head_tree:
            return commit
    return git.output(["subtree", "split", "-q", f"--prefix={prefix}", "HEAD"], repo)


# Lets a local fetch ask for the split commit by id although no ref points at it, so
# the source repository is never written to.
_UPLOAD_PACK = "git -c uploadpack.allowAnySHA1InWant=true upload-pack"


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
    """Fetch ``component`` from ``source`` into the repository ``dest``; return its commit."""
    if source.local_path is not None:
        check_component(source, component)
        commit = split_commit(source.local_path, component)
        git.run(
            ["fetch", "-q", f"--upload-pack={_UPLOAD_PACK}", str(source.local_path), commit], dest
        )
        return commit
    try:
        git.run(["fetch", "-q", source.location, f"refs/heads/{component}"], dest)
    except GitError as error:
        raise SourceError(
            f"cannot fetch '{component}' from {source.location}: {error.message}",
            f"check the network or pass --source PATH to a local checkout (or set {SOURCE_ENV})",
        ) from error
    return git.output(["rev-parse", "FETCH_HEAD"], dest)
