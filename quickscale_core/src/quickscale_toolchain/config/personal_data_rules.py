"""A warning at validate for each enabled component that does not say what personal
data it holds.

Export and erasure reach only the models a manifest declares; a component that says
nothing would be silently left out of both. Saying "none" (``holds = false``) is a
declaration too. A warning, not an error: the project still builds and runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from quickscale_toolchain.config.diagnostics import Diagnostic, KeyPath
from quickscale_toolchain.config.loader import Document
from quickscale_toolchain.errors import QuickScaleError

if TYPE_CHECKING:
    from quickscale_toolchain.catalog import Catalog

FIX = (
    "add 'user', 'description' and 'erase' to [tool.quickscale.models.\"app.Model\"] for "
    "each model that holds a user's data, or '[tool.quickscale.personal-data] holds = "
    "false' (docs/privacy.md)"
)


def personal_data_diagnostics(
    doc: Document, version: int, components: Catalog
) -> Iterator[Diagnostic]:
    """One warning per undeclared component the config enables (its theme and the themes
    it builds on, its modules and the modules they require), at the entry that brings it.
    Schema 1 has no modules (they are ignored, with a warning of their own)."""
    modules = (doc.data.get("modules") or {}) if version >= 2 else {}
    theme = doc.data.get("theme") or components.default_theme()
    if not isinstance(modules, dict) or not isinstance(theme, str):
        return
    try:
        entries = components.resolve(theme, [str(name) for name in modules])
    except QuickScaleError:  # an unknown component: the schema says so
        return
    for entry in entries:
        if entry.manifest.declares_personal_data:
            continue
        component = entry.component
        path: KeyPath
        if component.kind == "themes":
            path = ("theme",) if "theme" in doc.data else ()
        else:  # a module required by another one is located at modules:
            path = ("modules", component.name) if component.name in modules else ("modules",)
        yield doc.warning(path, f"{component.id} declares no personal data", FIX, key=True)
