"""``quickscale config upgrade``: rewrite a schema-1 quickscale.yml as schema 2 in place.

Schema 2 is a superset of schema 1, so the upgrade is one text edit: the value of
``schema_version`` is replaced at its exact position in the file, which keeps every
comment, blank line, quote style and key order. What changes in meaning is that
``modules`` and ``customizations``, ignored (with a warning) under schema 1, take
effect — so the result is validated as schema 2 before anything is written, and the
file is replaced atomically (temporary file + ``os.replace``) only if it is valid.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from quickscale_toolchain.config.diagnostics import Diagnostic
from quickscale_toolchain.config.loader import DocumentError, decode, parse
from quickscale_toolchain.config.schema import LATEST_VERSION
from quickscale_toolchain.config.validate import (
    InvalidConfigError,
    check_document,
    read_config_bytes,
)


@dataclass(frozen=True)
class UpgradeResult:
    """What ``upgrade_file`` did; ``diagnostics`` are the upgraded file's warnings."""

    path: Path
    from_version: int
    to_version: int
    changed: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def upgrade_text(text: str, file: str, project_dir: Path | None) -> tuple[str, UpgradeResult]:
    """The schema-2 text of schema-1 ``text``; raises InvalidConfigError if it can't be.

    Returns ``text`` unchanged (``changed=False``) if it is already schema 2.
    """
    try:
        doc = parse(text, file)
    except DocumentError as error:
        raise InvalidConfigError(
            file, [error.diagnostic], f"{file} cannot be upgraded: it is not readable YAML"
        ) from None
    before = check_document(doc, project_dir)
    path = Path(file)
    if before.schema_version == LATEST_VERSION and before.ok:
        already = UpgradeResult(path, LATEST_VERSION, LATEST_VERSION, False, before.diagnostics)
        return text, already
    if not before.ok:
        raise InvalidConfigError(
            file,
            before.diagnostics,
            f"{file} cannot be upgraded: fix its errors first (it must be a valid "
            "schema_version 1 file):",
        )
    span = doc.locate(("schema_version",))
    upgraded = f"{text[: span.start]}{LATEST_VERSION}{text[span.end :]}"
    after = check_document(parse(upgraded, file), project_dir)
    if not after.ok:
        raise InvalidConfigError(
            file,
            after.diagnostics,
            f"{file} would be invalid as schema_version {LATEST_VERSION} (its 'modules' or "
            "'customizations' take effect there); nothing was written:",
        )
    notes = [
        f"'{key}' now takes effect (it was ignored under schema_version 1)"
        for key in ("modules", "customizations")
        if key in doc.data
    ]
    result = UpgradeResult(path, 1, LATEST_VERSION, True, after.diagnostics, notes)
    return upgraded, result


def upgrade_file(path: Path | str, *, file: str | None = None) -> UpgradeResult:
    """Upgrade the quickscale.yml at ``path`` from schema 1 to 2, in place and atomically.

    Raises ``UsageError`` if the file cannot be read and :class:`InvalidConfigError` if
    it is not a valid schema-1 file or would not be a valid schema-2 file (nothing is
    written then). A schema-2 file is left untouched (``changed`` is False).
    """
    path = Path(path)
    name = file if file is not None else str(path)
    raw = read_config_bytes(path, name)
    try:
        text = decode(raw, name)
    except DocumentError as error:
        raise InvalidConfigError(name, [error.diagnostic]) from None
    upgraded, result = upgrade_text(text, name, path.parent)
    if result.changed:
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        atomic_write(path, bom + upgraded.encode("utf-8"))
    return dataclasses.replace(result, path=path)


def atomic_write(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` all at once, keeping its permissions.

    A crash leaves either the old file or the new one, never a truncated mix. A symlink
    is kept: its target is rewritten (the temporary file sits beside the target, so the
    rename stays on one filesystem). Unlike the generator's ``write_atomic``, the file's
    own mode is kept: this edits a file the user owns.
    """
    target = path.resolve()
    mode = target.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
