"""Content-Security-Policy sources that components add to a project's policy.

The base policy is ``CONTENT_SECURITY_POLICY`` in :mod:`quickscale_core.settings`
(django-csp's format): everything from the site itself, nothing inline without the
request's nonce, no eval. A module that needs another origin (a media host for
``img-src``, a payment provider for ``form-action`` and ``frame-src``, a social
provider) declares it in its manifest (``[tool.quickscale.csp]``); generation writes the
union of the enabled components' sources into the project's settings.py, through
:func:`extend_policy`.

A source is one exact origin, optionally with a path: ``https://media.example.com`` or
``wss://push.example.com/socket``. Wildcards, bare schemes (``https:``, ``data:``) and
keywords (``'unsafe-inline'``) would each open the policy to far more than one service,
so they are refused when the manifest is read. No Django import here: the CLI checks
manifests before any project exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: The directives a component may extend, and the schemes each accepts.
EXTENSIBLE_DIRECTIVES: Mapping[str, tuple[str, ...]] = {
    "connect-src": ("https", "wss"),
    "font-src": ("https",),
    "form-action": ("https",),
    "frame-src": ("https",),
    "img-src": ("https",),
    "media-src": ("https",),
    "script-src": ("https",),
    "style-src": ("https",),
}

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_SOURCE = re.compile(
    rf"(?P<scheme>[a-z]+)://(?P<host>{_LABEL}(?:\.{_LABEL})+)(?::(?P<port>[0-9]{{1,5}}))?"
    r"(?P<path>/[A-Za-z0-9._~/%-]*)?"
)


def source_problem(directive: str, source: str) -> str | None:
    """Why ``source`` may not be added to ``directive`` (None: it may)."""
    if directive not in EXTENSIBLE_DIRECTIVES:
        allowed = ", ".join(EXTENSIBLE_DIRECTIVES)
        return f"'{directive}' is not a directive components may extend (use one of: {allowed})"
    shown = ascii(source)
    if "*" in source:
        return f"{shown} is a wildcard; name each origin exactly (https://host)"
    if source.startswith("'") or source.endswith(":"):
        return f"{shown} is a keyword or a bare scheme, not one origin"
    match = _SOURCE.fullmatch(source)
    if match is None:
        return f"{shown} is not an origin such as https://media.example.com"
    schemes = EXTENSIBLE_DIRECTIVES[directive]
    if match["scheme"] not in schemes:
        return f"{shown} must use {' or '.join(s + '://' for s in schemes)}"
    if match["port"] is not None and not 0 < int(match["port"]) < 65536:
        return f"{shown} has no valid port"
    return None


def extend_policy(
    policy: Mapping[str, Any], sources: Mapping[str, Iterable[str]]
) -> dict[str, Any]:
    """A copy of ``policy`` (django-csp's format) with ``sources`` added per directive.

    A directive the policy does not name yet starts from ``default-src``, the value the
    browser used for it until now, so adding an origin never removes the site's own.
    Raises ValueError for a source :func:`source_problem` refuses.
    """
    directives = {k: list(v) for k, v in policy.get("DIRECTIVES", {}).items()}
    for directive, extra in sources.items():
        values: list[Any] = directives.get(directive) or list(directives.get("default-src", ()))
        for source in extra:
            problem = source_problem(directive, source)
            if problem:
                raise ValueError(f"Content-Security-Policy {directive}: {problem}")
            if source not in values:
                values.append(source)
        directives[directive] = values
    return {**policy, "DIRECTIVES": directives}


def merged_sources(
    declared: Sequence[tuple[str, Mapping[str, Sequence[str]]]],
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(directive, [(source, component id)]) from each component's declared sources.

    ``declared`` is (component id, {directive: sources}) in wiring order. Directives come
    out sorted; a source two components declare is kept once, with the first one's id.
    """
    merged: dict[str, list[tuple[str, str]]] = {}
    for component, table in declared:
        for directive, sources in table.items():
            row = merged.setdefault(directive, [])
            for source in sources:
                if all(source != seen for seen, _ in row):
                    row.append((source, component))
    return sorted((d, row) for d, row in merged.items() if row)
