"""A per-user cache for work whose result depends only on the bytes it reads.

``init`` and ``generate`` do the same two expensive things on every run: validate
each component manifest against its JSON Schema (importing jsonschema alone costs
more than rendering a project) and compile each Jinja2 template. Both results are
fixed by their input's bytes, so they are kept under ``$QUICKSCALE_CACHE_DIR``, else
``$XDG_CACHE_HOME/quickscale``, else ``~/.cache/quickscale``:

- ``manifests/``: one empty marker per (manifest text, schema) pair that validated;
- ``jinja/``: Jinja2's own ``FileSystemBytecodeCache``, which checks each entry
  against the template's source, so an entry is never stale; its key includes the kind
  of environment that compiled it (the sandbox), so nothing compiled for another kind,
  an older QuickScale's plain environment say, is ever loaded.

Being content-addressed, the cache needs no invalidation; deleting it is always safe.
``QUICKSCALE_NO_CACHE=1`` turns it off, and an unwritable location just means no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

CACHE_ENV = "QUICKSCALE_CACHE_DIR"
NO_CACHE_ENV = "QUICKSCALE_NO_CACHE"


def cache_dir(name: str) -> Path | None:
    """The directory for cache ``name``, created if needed; None when caching is off."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in {"", "0"}:
        return None
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        base = Path(explicit)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "quickscale"
    directory = base / name
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return directory


def _marker(name: str, *parts: bytes) -> Path | None:
    directory = cache_dir(name)
    if directory is None:
        return None
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return directory / digest.hexdigest()


def seen(name: str, *parts: bytes) -> bool:
    """Whether :func:`remember` was called for exactly these bytes."""
    marker = _marker(name, *parts)
    return marker is not None and marker.exists()


def remember(name: str, *parts: bytes) -> None:
    """Record that the check ``name`` passed for these bytes (best effort)."""
    marker = _marker(name, *parts)
    if marker is not None:
        with contextlib.suppress(OSError):
            marker.touch()
