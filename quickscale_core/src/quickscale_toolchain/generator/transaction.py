"""What one ``generate`` still owes the project, and the commit that closes it.

A generate is several steps that must land together: embed subtrees, write files, make
the migrations of changed models, commit. Any step after the first can stop (a venv
that lacks a new module, a conflict, Ctrl-C), and the files already written then look
"done" to the next run's plan. So, before it changes anything, generate writes down in
``.quickscale/pending.json`` what it is about to do: which paths belong to its commit
and whether models changed. Each later run reads it, so a rerun after the printed fix
makes the migration that is still missing and commits everything, instead of seeing
nothing to do. The file is removed just before the commit; it is never committed.

The commit takes only the paths generate touched (and quickscale.yml, the edit that
asked for them), through a private index: whatever else the user has changed or staged
stays exactly as it was, uncommitted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quickscale_toolchain import git
from quickscale_toolchain.generator.atomic import remove_file, write_atomic
from quickscale_toolchain.generator.ownership import BASE_DIR, MANIFEST, RECORDS_DIR

PENDING = f"{RECORDS_DIR}/pending.json"
PENDING_FORMAT = 1


@dataclass
class Pending:
    """Work a generate started and has not finished."""

    paths: list[str] = field(default_factory=list)  # what its commit will hold
    makemigrations: bool = False  # the models changed; their migration is not made yet
    migrate: list[str] = field(default_factory=list)  # embedded components to migrate
    notes: list[str] = field(default_factory=list)  # lines for the commit message
    # renames the user chose for that migration (renames.encode_renames), kept so a
    # rerun makes RenameModel/RenameField rather than a drop and an add
    renames: str = "[]"

    @property
    def empty(self) -> bool:
        return not (self.paths or self.makemigrations or self.migrate)

    @property
    def only_migrations_owed(self) -> bool:
        """Everything is written and committed; only the models' migration or the new
        components' migrate is not done (generate --no-migrations). Django's own check
        sees whether a migration is still missing."""
        return (self.makemigrations or bool(self.migrate)) and not self.paths

    def add(
        self,
        paths: Iterable[str] = (),
        *,
        makemigrations: bool = False,
        migrate: Iterable[str] = (),
        notes: Iterable[str] = (),
    ) -> None:
        self.paths = _merged(self.paths, paths)
        self.makemigrations = self.makemigrations or makemigrations
        self.migrate = _merged(self.migrate, migrate)
        self.notes = _merged(self.notes, notes)


def _merged(first: Iterable[str], second: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def load(root: Path) -> Pending:
    """The unfinished work recorded at ``root`` (empty when there is none or it is unreadable:
    a damaged record must not stop the run that would repair it)."""
    try:
        data = json.loads((root / PENDING).read_text(encoding="utf-8"))
        return Pending(
            paths=[str(p) for p in data.get("paths", [])],
            makemigrations=bool(data.get("makemigrations", False)),
            migrate=[str(c) for c in data.get("migrate", [])],
            notes=[str(n) for n in data.get("notes", [])],
            renames=json.dumps(data.get("renames", [])),
        )
    except (OSError, ValueError, AttributeError, TypeError):
        return Pending()


def save(root: Path, pending: Pending) -> None:
    data = {
        "format": PENDING_FORMAT,
        "paths": pending.paths,
        "makemigrations": pending.makemigrations,
        "migrate": pending.migrate,
        "notes": pending.notes,
        "renames": json.loads(pending.renames),
    }
    write_atomic(root / PENDING, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


def clear(root: Path) -> None:
    remove_file(root / PENDING, root / RECORDS_DIR)


def untracked_or_changed(root: Path, under: str) -> set[str]:
    """Paths under ``under`` that differ from HEAD or are untracked: taken before and after
    makemigrations, their difference is the migration files it wrote."""
    if not (root / ".git").exists():
        return set()
    status = git.run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", under], root)
    entries = [entry for entry in status.stdout.split("\0") if entry]
    return {entry[3:] for entry in entries if len(entry) > 3}


def commit(root: Path, paths: Sequence[str], message: str) -> str | None:
    """Commit exactly ``paths`` (their working-tree state: new, changed or deleted) on top
    of HEAD; return the commit, or None when they already match HEAD.

    The tree is built in a private index, so nothing else the user staged or edited is
    swept in; afterwards the user's index entries for ``paths`` are reset to the new HEAD,
    so they show as committed and everything else shows as it did before.
    """
    known = _known_paths(root, paths)
    if not known:
        return None
    git_dir = Path(git.output(["rev-parse", "--absolute-git-dir"], root))
    private = {"GIT_INDEX_FILE": str(git_dir / "quickscale-commit.index")}
    try:
        git.run(["read-tree", "HEAD"], root, env=private)
        git.run_bytes(
            ["add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"],
            root,
            data=_nul_list(known),
            env=private,
        )
        # The records are committed whatever an ignore rule says: a base file that the
        # project's `.env.*` (or a user's global excludes file) matches would otherwise
        # stay behind, and every clone of the project would be out of sync.
        records = _known_paths(root, [BASE_DIR, MANIFEST]) if _has_records(known) else []
        if records:  # an empty pathspec list would mean the whole tree to `add -A`
            git.run(["add", "-A", "-f", "--", *records], root, env=private)
        tree = git.output_env(["write-tree"], root, private)
    finally:
        Path(private["GIT_INDEX_FILE"]).unlink(missing_ok=True)
    if tree == git.output(["rev-parse", "HEAD^{tree}"], root):
        return None
    new = (
        git.run_bytes(
            ["commit-tree", tree, "-p", "HEAD", "-F", "-"],
            root,
            data=message.encode("utf-8"),
            env=git.identity_env(root),
        )
        .decode()
        .strip()
    )
    git.run(["update-ref", "-m", "quickscale generate", "HEAD", new], root)
    git.run_bytes(
        ["reset", "-q", "--pathspec-from-file=-", "--pathspec-file-nul"],
        root,
        data=_nul_list(known),
    )
    return new


def _has_records(paths: Sequence[str]) -> bool:
    return any(p == RECORDS_DIR or p.startswith(f"{RECORDS_DIR}/") for p in paths)


def _nul_list(paths: Iterable[str]) -> bytes:
    return b"".join(os.fsencode(path) + b"\0" for path in paths)


def _known_paths(root: Path, paths: Sequence[str]) -> list[str]:
    """``paths`` that exist on disk or in HEAD (git add refuses a pathspec matching
    nothing: a file generated and removed again before any commit)."""
    wanted = list(dict.fromkeys(p.rstrip("/") for p in paths if p))
    in_head = set(
        git.run_bytes(["ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *wanted], root)
        .decode("utf-8", "replace")
        .split("\0")
    )
    return [
        path
        for path in wanted
        if (root / path).exists()
        or path in in_head
        or any(known.startswith(path + "/") for known in in_head)
    ]
