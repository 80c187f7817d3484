"""The catalogue: which modules and themes exist, read from their manifests.

A catalogue is read from a folder (a project's embedded components, a checkout's working
tree) or from a commit of a source repository (what ``init`` and ``generate`` would
embed), without importing anything from the components. A project's catalogue is its
embedded components over the source's: the embedded copy is the version the project
runs, the source adds what could still be enabled.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING

from quickscale_toolchain import git
from quickscale_toolchain.components import SHARED_KINDS, Component
from quickscale_toolchain.errors import ConfigError, GitError, QuickScaleError, SourceError
from quickscale_toolchain.manifest import MANIFEST_FILE, Manifest, parse_manifest

if TYPE_CHECKING:
    from quickscale_toolchain.source import Source


@dataclass(frozen=True)
class Entry:
    """One component of a catalogue: its manifest and the template files it names."""

    manifest: Manifest
    files: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    origin: str = ""  # "project", "source" or a path: where it was read from

    @property
    def component(self) -> Component:
        return self.manifest.component

    def text(self, path: str) -> str:
        """A template file named by the manifest (relative to the component)."""
        return self.files[path].decode("utf-8")

    def project_templates(self) -> dict[str, str]:
        """The contributed project files: path below ``project-files`` -> template text."""
        folder = self.manifest.project_files
        if not folder:
            return {}
        start = folder.rstrip("/") + "/"
        return {
            path.removeprefix(start): data.decode("utf-8")
            for path, data in sorted(self.files.items())
            if path.startswith(start)
        }


class Catalog:
    """Components by id, in a stable order (themes, then modules, each by name)."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        ordered = sorted(entries, key=lambda e: (SHARED_KINDS.index(e.component.kind), e.component))
        self._entries = {e.component.id: e for e in ordered}

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, component: object) -> bool:
        key = component.id if isinstance(component, Component) else component
        return key in self._entries

    def get(self, component: Component | str) -> Entry | None:
        return self._entries.get(component.id if isinstance(component, Component) else component)

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self if e.component.kind == kind]

    @property
    def themes(self) -> list[str]:
        return [e.component.name for e in self.of_kind("themes")]

    @property
    def modules(self) -> list[str]:
        return [e.component.name for e in self.of_kind("modules")]

    def default_theme(self) -> str | None:
        """The theme the source marks ``default = true`` (else its only theme)."""
        marked = [e.component.name for e in self.of_kind("themes") if e.manifest.default]
        if marked:
            return marked[0]
        themes = self.themes
        return themes[0] if len(themes) == 1 else None

    def over(self, other: Catalog) -> Catalog:
        """This catalogue's entries, plus ``other``'s for components this one lacks."""
        return Catalog([*self, *(e for e in other if e.component.id not in self._entries)])

    def resolve(self, theme: str, modules: Sequence[str]) -> list[Entry]:
        """The components a project with ``theme`` and ``modules`` embeds, in wiring order.

        Each component comes after what it requires (a theme's base theme, a module's
        base module); themes come before modules. ConfigError names what is missing.
        """
        ordered: list[Entry] = []
        seen: set[str] = set()

        def visit(component: Component, wanted_by: str, trail: tuple[str, ...]) -> None:
            if component.id in seen:
                return
            if component.id in trail:
                raise ConfigError(
                    f"components require each other in a cycle: {' -> '.join(trail)}",
                    "fix 'requires' in their manifests",
                )
            entry = self.get(component)
            if entry is None:
                raise unknown_component(component, self, wanted_by)
            for required in entry.manifest.requires:
                visit(required, f"{component.id} requires it", (*trail, component.id))
            seen.add(component.id)
            ordered.append(entry)

        visit(Component("themes", theme), "quickscale.yml names it as the theme", ())
        for name in modules:
            visit(Component("modules", name), "quickscale.yml enables it", ())
        return sorted(ordered, key=lambda e: SHARED_KINDS.index(e.component.kind))


def unknown_component(component: Component, catalog: Catalog, why: str) -> ConfigError:
    kind = component.singular
    names = [e.component.name for e in catalog.of_kind(component.kind)]
    return ConfigError(
        f"no {kind} named '{component.name}' in the source ({why}); "
        f"available {component.kind}: {', '.join(names) or 'none'}",
        f"pick one of those, or pass --source a checkout that has {component.prefix}/",
    )


def _wanted(manifest: Manifest, path: str) -> bool:
    """Whether ``path`` (relative to the component) is a file the manifest names."""
    for named in manifest.referenced_files():
        if path == named or path.startswith(named.rstrip("/") + "/"):
            return True
    return False


def _component_of(path: str) -> Component | None:
    parts = PurePosixPath(path).parts
    if len(parts) < 3 or not parts[0].startswith("quickscale_"):
        return None
    kind = parts[0].removeprefix("quickscale_")
    if kind not in SHARED_KINDS:
        return None
    try:
        return Component.parse(f"{kind}/{parts[1]}")
    except QuickScaleError:
        return None


def from_directory(root: Path, origin: str = "project") -> Catalog:
    """The components present in the folder ``root`` (a project or a checkout).

    A file read through a symlink leading outside ``root`` is refused (OutsideProject):
    a template's text ends up in the project's committed files."""
    from quickscale_toolchain.generator.confine import check_confined

    entries: list[Entry] = []
    for kind in SHARED_KINDS:
        base = root / f"quickscale_{kind}"
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            pyproject = folder / MANIFEST_FILE
            if not pyproject.is_file():
                continue
            component = _component_of(f"quickscale_{kind}/{folder.name}/{MANIFEST_FILE}")
            if component is None:
                continue
            where = f"{component.prefix}/{MANIFEST_FILE}"
            check_confined(root, [where])
            manifest = parse_manifest(pyproject.read_text(encoding="utf-8"), where, component)
            files: dict[str, bytes] = {}
            for named in manifest.referenced_files():
                target = folder / named
                check_confined(root, [f"{component.prefix}/{named}"])
                if target.is_file():
                    files[named] = target.read_bytes()
                elif target.is_dir():
                    for item in sorted(target.rglob("*")):
                        relative = item.relative_to(folder).as_posix()
                        if item.is_file() and "__pycache__" not in item.parts:
                            if item.is_symlink():
                                check_confined(root, [f"{component.prefix}/{relative}"])
                            files[relative] = item.read_bytes()
            entries.append(Entry(manifest, MappingProxyType(files), origin))
    return Catalog(entries)


def _read_blobs(repo: Path, rev: str, paths: Sequence[str]) -> dict[str, bytes]:
    """Contents of ``rev:path`` for each path, in one ``git cat-file --batch``."""
    if not paths:
        return {}
    request = "".join(f"{rev}:{p}\n" for p in paths).encode("utf-8")
    raw = git.run_bytes(["cat-file", "--batch"], repo, data=request)
    blobs: dict[str, bytes] = {}
    offset = 0
    for path in paths:
        end = raw.index(b"\n", offset)
        header = raw[offset:end].split()
        offset = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        blobs[path] = raw[offset : offset + size]
        offset += size + 1
    return blobs


def from_git(repo: Path, rev: str = "HEAD") -> Catalog:
    """The components committed at ``rev`` of the source repository ``repo``."""
    listing = git.run_bytes(
        [
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            rev,
            "--",
            *(f"quickscale_{k}" for k in SHARED_KINDS),
        ],
        repo,
    )
    paths = [p for p in listing.decode("utf-8").split("\0") if p]
    manifests = [p for p in paths if p.count("/") == 2 and p.endswith("/" + MANIFEST_FILE)]
    parsed: list[tuple[Component, Manifest]] = []
    for path, data in _read_blobs(repo, rev, manifests).items():
        component = _component_of(path)
        if component is not None:
            manifest = parse_manifest(data.decode("utf-8"), path, component)
            parsed.append((component, manifest))
    wanted = {
        path: component
        for component, manifest in parsed
        for path in paths
        if path.startswith(component.prefix + "/")
        and _wanted(manifest, path.removeprefix(component.prefix + "/"))
    }
    blobs = _read_blobs(repo, rev, sorted(wanted))
    entries = []
    for component, manifest in parsed:
        files = {
            path.removeprefix(component.prefix + "/"): data
            for path, data in blobs.items()
            if wanted[path] == component
        }
        entries.append(Entry(manifest, MappingProxyType(files), "source"))
    return Catalog(entries)


def for_source(location: str | Source | None = None, *, refresh: bool = True) -> Catalog:
    """The catalogue of the source ``init`` and ``generate`` would embed from.

    A local source is read at its HEAD (its committed state, as embedding uses). A
    remote one (a URL) is read from its published component branches, fetched shallow
    into a per-user cache repository; ``refresh=False`` reads that cache as it stands,
    without the network (empty if nothing was ever fetched).
    """
    from quickscale_toolchain.source import Source, resolve_source

    source = location if isinstance(location, Source) else resolve_source(location)
    if source.local_path is None:
        return _from_remote(source.location, refresh)
    try:
        head = git.output(["rev-parse", "HEAD"], source.local_path)
        return _from_commit(source.local_path.resolve(), head)
    except GitError as error:
        raise SourceError(
            f"cannot read the components of the source {source.describe()}: {error.message}",
            "point --source (or QUICKSCALE_SOURCE) at a git checkout of QuickScale",
        ) from error


@functools.lru_cache(maxsize=16)
def _from_commit(repo: Path, commit: str) -> Catalog:
    """Commits never change, so a catalogue read from one is kept for the process."""
    return from_git(repo, commit)


_REMOTE_REFS = "refs/quickscale"


@functools.lru_cache(maxsize=4)
def _from_remote(url: str, refresh: bool) -> Catalog:
    """The components a remote source publishes, as the branches ``themes/<name>`` and
    ``modules/<name>`` (``quickscale publish``), each holding one component's folder.

    Only their tips are fetched (``--depth=1``), into a bare repository kept in the
    user's cache (or a temporary one when caching is off). Their trees are then laid
    out as in a checkout (``quickscale_themes/<name>/`` ...) with ``git mktree``, so
    the same reader as for a local source applies.
    """
    import hashlib
    import shutil
    import tempfile

    from quickscale_toolchain.cache import cache_dir

    cached = cache_dir("sources")
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
    repo = cached / f"{key}.git" if cached else Path(tempfile.mkdtemp(prefix="qs-source-"))
    try:
        if not (repo / "HEAD").is_file():
            if not refresh:
                return Catalog()
            git.run(["init", "-q", "--bare", str(repo)], repo.parent)
        if refresh:
            specs = [f"+refs/heads/{k}/*:{_REMOTE_REFS}/{k}/*" for k in SHARED_KINDS]
            fetched = git.run(
                ["fetch", "-q", "--depth=1", "--no-tags", "--prune", url, *specs],
                repo,
                check=False,
            )
            if fetched.returncode != 0:
                detail = (fetched.stderr.strip().splitlines() or ["failed"])[-1]
                raise SourceError(
                    f"cannot read the components of the source {url}: {detail}",
                    "check the URL and the network, or pass --source PATH to a local checkout",
                )
        return from_git(repo, _checkout_layout(repo))
    finally:
        if cached is None:
            shutil.rmtree(repo, ignore_errors=True)


def _checkout_layout(repo: Path) -> str:
    """A tree holding each fetched component branch at its checkout path; its id."""
    listed = git.output(["for-each-ref", "--format=%(refname) %(tree)", f"{_REMOTE_REFS}/"], repo)
    by_kind: dict[str, list[str]] = {}
    for line in listed.splitlines():
        ref, tree = line.split()
        kind, _, name = ref.removeprefix(f"{_REMOTE_REFS}/").partition("/")
        if kind in SHARED_KINDS and tree and "/" not in name:
            by_kind.setdefault(kind, []).append(f"040000 tree {tree}\t{name}\n")
    top = []
    for kind, rows in sorted(by_kind.items()):
        data = "".join(sorted(rows)).encode("utf-8")
        tree = git.run_bytes(["mktree"], repo, data=data).decode().strip()
        top.append(f"040000 tree {tree}\tquickscale_{kind}\n")
    data = "".join(top).encode("utf-8")
    return git.run_bytes(["mktree"], repo, data=data).decode().strip()


def for_project(root: Path, source: str | None = None) -> Catalog:
    """A project's embedded components over those its source offers.

    When the source cannot be reached (missing, not a repository), the project's own
    components still make a catalogue: generation works offline with what is embedded.
    """
    embedded = from_directory(root, "project")
    try:
        offered = for_source(source, refresh=False)
    except SourceError:  # unreachable; a malformed manifest is still reported
        offered = Catalog()
    return embedded.over(offered)
