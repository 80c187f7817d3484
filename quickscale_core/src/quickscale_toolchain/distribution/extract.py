"""``quickscale extract PATH --module NAME``: turn client code into a monorepo module.

The extraction pattern of the spec (copy the code into ``quickscale_modules/NAME/``
and commit) done safely: the committed content of PATH in the client is copied into
``src/quickscale_modules/NAME/`` together with the standard skeleton, and committed as
``feat(modules): extract NAME from <client>`` on a new ``extract/NAME`` branch of the
source for review. The client is only read; the source's main is not changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quickscale_toolchain import git
from quickscale_toolchain.distribution import components as comps
from quickscale_toolchain.distribution import repo as repos
from quickscale_toolchain.distribution import skeleton
from quickscale_toolchain.distribution.errors import RefusedError
from quickscale_toolchain.distribution.versions import read_metadata
from quickscale_toolchain.distribution.workspace import (
    commit_index,
    identity_of,
    open_workspace,
    private_index,
)
from quickscale_toolchain.errors import UsageError
from quickscale_toolchain.source import resolve_source

# Skeleton files that replace a copied file of the same name (the client's apps.py names
# the client's package and label, which would be wrong in the module).
_REPLACED = {"apps.py"}


@dataclass(frozen=True)
class Extracted:
    branch: str
    commit: str
    module_dir: str
    files: list[str]
    replaced: list[str]


def _tracked(client: Path, rel: str) -> list[tuple[str, str, str]]:
    """(mode, blob, path) of every committed file at or below ``rel``."""
    listing = git.output(["ls-tree", "-r", "--full-tree", "HEAD", "--", rel], client)
    rows = []
    for line in listing.splitlines():
        meta, _, file_path = line.partition("\t")
        mode, kind, blob = meta.split()
        if kind == "blob":
            rows.append((mode, blob, file_path))
    return rows


def _relative(client: Path, target: Path) -> str:
    resolved = target.resolve()
    if not resolved.is_relative_to(client):
        raise UsageError(f"{target} is outside the project {client}", "pass a path inside it")
    rel = resolved.relative_to(client).as_posix()
    if rel in {".", ""} or rel.split("/")[0] in {".git", "quickscale_core"}:
        raise UsageError(
            f"'{rel or '.'}' cannot be extracted",
            "pass the app directory or file to extract, e.g. acme/invoices",
        )
    return rel


def extract(
    path: Path,
    module: str,
    source_arg: str | None,
    base: str = "main",
    cwd: Path | None = None,
) -> Extracted:
    """Copy PATH (as committed) into a new module on a review branch of the source."""
    comps.validate_name(module, "module name")
    here = (cwd or Path.cwd()).resolve()
    client = repos.toplevel(here)
    repos.current_branch(client)
    target = path if path.is_absolute() else here / path
    rel = _relative(client, target)
    rows = _tracked(client, rel)
    if not rows:
        raise UsageError(
            f"'{rel}' has no committed files in {client.name}",
            "commit the code first (extract copies what is committed)",
        )
    repos.ensure_clean(client, [rel])
    source = resolve_source(source_arg)
    if source.local_path is not None and source.local_path == client:
        raise UsageError("the source is this project itself", "pass --source the monorepo")
    slug = repos.project_slug(client)
    branch = f"extract/{module}"
    module_dir = f"quickscale_modules/{module}"
    single_file = len(rows) == 1 and rows[0][2] == rel
    with open_workspace(source, base) as ws:
        if comps.has_path(ws.repo, ws.base, module_dir):
            raise RefusedError(
                f"the source already has {module_dir}/",
                "choose another --module name (or extend the existing module by hand)",
            )
        if ws.branch_exists(branch):
            raise RefusedError(
                f"the source already has a branch {branch}",
                f"merge or delete it first (git branch -D {branch}), or choose another name",
            )
        core_version = read_metadata(ws.repo, ws.base, "quickscale_core").version
        head = git.output(["rev-parse", "HEAD"], client)
        generated = skeleton.files(module, slug, f"{rel} at {head[:12]}", core_version)
        entries: dict[str, tuple[str, str]] = {}
        replaced: list[str] = []
        pkg = f"src/quickscale_modules/{module}"
        for mode, blob, file_path in rows:
            inner = Path(file_path).name if single_file else file_path[len(rel) + 1 :]
            if inner in _REPLACED:
                replaced.append(file_path)
                continue
            content = git.run_bytes(["cat-file", "blob", blob], client)
            copied = git.run_bytes(["hash-object", "-w", "--stdin"], ws.repo, data=content)
            entries[f"{module_dir}/{pkg}/{inner}"] = (mode, copied.decode().strip())
        for inner, text in generated.items():
            dest = f"{module_dir}/{inner}"
            if dest in entries and Path(inner).name not in _REPLACED:
                continue  # the client's own file wins (e.g. its __init__.py)
            written = git.run_bytes(["hash-object", "-w", "--stdin"], ws.repo, data=text.encode())
            entries[dest] = ("100644", written.decode().strip())
        with private_index(ws.repo, ws.base) as index:
            info = "".join(f"{mode} {blob}\t{dest}\n" for dest, (mode, blob) in entries.items())
            git.run_bytes(["update-index", "--index-info"], ws.repo, data=info.encode(), env=index)
            message = (
                f"feat(modules): extract {module} from {slug}\n\n"
                f"Copied {rel} (client commit {head[:12]}) into {module_dir}/ with the "
                "standard module skeleton.\n"
            )
            commit = commit_index(ws.repo, index, ws.base, message, identity_of(client))
        ws.create_branch(branch, commit)
    return Extracted(branch, commit, module_dir, sorted(entries), replaced)
