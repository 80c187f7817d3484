"""Validation entry points: from a path or text to every diagnostic, or to a ProjectConfig.

The order is parse (safe, bounded) -> schema_version -> control characters -> JSON
Schema -> semantic rules. A parse failure stops there (there is nothing reliable to
check); everything after it is collected, so one run reports all the problems of a file.
A value with a control character is reported once, as that: the later checks' words
about the same value ("not a domain name") would only repeat it less clearly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quickscale_toolchain.config.diagnostics import Diagnostic, has_errors, sort_diagnostics
from quickscale_toolchain.config.list_rules import list_rule_diagnostics
from quickscale_toolchain.config.loader import Document, DocumentError, decode, parse, read_limited
from quickscale_toolchain.config.model import CONFIG_FILENAME, ProjectConfig, build_config
from quickscale_toolchain.config.personal_data_rules import personal_data_diagnostics
from quickscale_toolchain.config.rules import semantic_diagnostics, version_of
from quickscale_toolchain.config.schema import (
    assembled_schema,
    inlined_schema,
    schema_diagnostics,
    schema_key,
)
from quickscale_toolchain.config.settings_rules import settings_diagnostics
from quickscale_toolchain.config.text_rules import text_diagnostics
from quickscale_toolchain.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from quickscale_toolchain.catalog import Catalog


class InvalidConfigError(ConfigError):
    """quickscale.yml has errors; ``diagnostics`` lists all of them (warnings included).

    The message is a summary line followed by one formatted diagnostic per line.
    """

    def __init__(self, file: str, diagnostics: list[Diagnostic], headline: str = "") -> None:
        errors = sum(d.is_error for d in diagnostics)
        plural = "s" if errors != 1 else ""
        lines = [headline or f"{file} is invalid ({errors} error{plural}):"]
        lines += [d.format() for d in diagnostics]
        super().__init__("\n".join(lines), f"fix {file} and run 'quickscale validate'")
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Validation:
    """Outcome of checking one document: its diagnostics, and what was read if anything."""

    diagnostics: list[Diagnostic]
    document: Document | None = None
    schema_version: int | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def check_document(
    doc: Document, project_dir: Path | None, components: Catalog | None = None
) -> Validation:
    """All diagnostics of a parsed document; filesystem rules when ``project_dir`` is set.

    ``components`` is the catalogue whose manifests give the ``theme`` and ``modules``
    parts of the schema (None: the shipped schema, i.e. the first-party components).
    """
    version, found = version_of(doc)
    found += doc.problems
    texts = list(text_diagnostics(doc, inlined_schema(schema_key(version, components))))
    reported = {d.path for d in texts}
    found += texts
    shaped = [
        diagnostic
        for diagnostic in schema_diagnostics(doc, version, components)
        # schema_version is judged by version_of; values the loader dropped (a refused
        # tag) were reported there and must not be blamed a second time; a value with a
        # control character was reported as that.
        if diagnostic.path != ("schema_version",)
        and not doc.is_suppressed(diagnostic.path)
        and diagnostic.path not in reported
    ]
    found += shaped
    reported |= {d.path for d in shaped}
    # The rules read values of the right shape; one the schema refused (too long, say)
    # is not judged again: a missing module named by 300 characters says nothing new.
    found += [d for d in semantic_diagnostics(doc, version, project_dir) if d.path not in reported]
    # Cross-item rules a component's option schema declares (x-unique-by, ...).
    found += [
        d
        for d in list_rule_diagnostics(doc, assembled_schema(version, components))
        if d.path not in reported
    ]
    if components is not None and not has_errors(found):
        found += settings_diagnostics(doc, components)
    if components is not None:
        found += personal_data_diagnostics(doc, version, components)
    return Validation(sort_diagnostics(found), doc, version)


def validate_text(
    text: str,
    *,
    file: str = CONFIG_FILENAME,
    project_dir: Path | None = None,
    components: Catalog | None = None,
) -> Validation:
    """Check config ``text`` (e.g. answers of ``init --interactive`` before writing).

    Without ``project_dir`` the rules that look at the filesystem (frontend directories
    exist, no symlink out, backend_extensions module found) are skipped; an absolute or
    ``..`` frontend.source is still an error.
    """
    try:
        doc = parse(text, file)
    except DocumentError as error:
        return Validation([error.diagnostic])
    return check_document(doc, project_dir, components)


def read_config_bytes(path: Path, name: str) -> bytes:
    """The bytes of the config at ``path`` (bounded; see :func:`loader.read_limited`).

    Raises :class:`~quickscale_toolchain.errors.UsageError` (exit 2) when ``path`` cannot be
    read at all: missing, a directory, no permission. ``name`` is how the path is shown.
    """
    try:
        return read_limited(path, name)
    except IsADirectoryError:
        raise UsageError(
            f"{name} is a directory, not a config file",
            f"pass the file inside it: {Path(name) / CONFIG_FILENAME}",
        ) from None
    except FileNotFoundError:
        raise UsageError(
            f"{name} does not exist",
            "run the command in a project directory, or pass the path of its quickscale.yml",
        ) from None
    except OSError as error:
        raise UsageError(
            f"cannot read {name}: {error.strerror or error}", "check the file's permissions"
        ) from None


def validate_path(
    path: Path,
    *,
    file: str | None = None,
    check_filesystem: bool = True,
    components: Catalog | None = None,
) -> Validation:
    """Check the config file at ``path``; ``file`` is the name diagnostics show.

    Raises ``UsageError`` (exit 2) when ``path`` cannot be read at all.
    """
    name = file if file is not None else str(path)
    try:
        doc = parse(decode(read_config_bytes(path, name), name), name)
    except DocumentError as error:
        return Validation([error.diagnostic])
    return check_document(doc, path.parent if check_filesystem else None, components)


def validate_file(path: Path | str, *, check_filesystem: bool = True) -> list[Diagnostic]:
    """Every problem of the quickscale.yml at ``path``, sorted by line and column.

    The file is valid when no diagnostic is an error (warnings are allowed). Filesystem
    rules are checked relative to the file's directory unless ``check_filesystem`` is
    False. Raises ``UsageError`` if the file cannot be read.
    """
    return validate_path(Path(path), check_filesystem=check_filesystem).diagnostics


def load_config(
    path: Path | str, *, check_filesystem: bool = True, components: Catalog | None = None
) -> ProjectConfig:
    """Read and validate quickscale.yml at ``path`` into a typed :class:`ProjectConfig`.

    Raises :class:`InvalidConfigError` (a ``ConfigError``, exit 1) listing every
    diagnostic if the file has errors, ``UsageError`` (exit 2) if it cannot be read.
    ``check_filesystem=False`` skips the frontend-directory and backend_extensions
    checks, for a caller (the generator) that is about to create those.
    """
    path = Path(path)
    result = validate_path(path, check_filesystem=check_filesystem, components=components)
    if not result.ok or result.document is None or result.schema_version is None:
        raise InvalidConfigError(str(path), result.diagnostics)
    return build_config(
        result.document.data, result.schema_version, path, tuple(result.diagnostics)
    )
