"""API version 1: a project whose embedded core predates the ``quickscale_toolchain`` package.

Projects made before the toolchain moved out of ``quickscale_core`` embed it as
``quickscale_core/src/quickscale_core/{config,generator,deploy,…}``, with no
``quickscale_toolchain`` package and no ``api.py``. Their modules have the same names,
functions and types as the toolchain's, one package up; the CLI drives them with its own
``quickscale_toolchain/api.py`` (the types the CLI reads), under which every
``quickscale_toolchain.<x>`` is the embedded ``quickscale_core.<x>``.

:func:`install` sets this up in the re-run process, before anything imports the
toolchain. ``quickscale_toolchain`` then becomes a package of its own with no folder:
nothing falls through to the CLI's installed toolchain (a module the embedded core lacks
is a ModuleNotFoundError, never the installed copy), and its only installed module is
``api``. The templates, rules and schema are those of the project's embedded core.
``quickscale update --component core`` moves such a project to the current layout.

When ``api.py`` needs something the old layout does not have, the shim goes here.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quickscale_toolchain.errors import QuickScaleError

PACKAGE = "quickscale_toolchain"
EMBEDDED = "quickscale_core"


class _Alias(importlib.abc.Loader):
    """Loads ``quickscale_toolchain.<x>`` as the already importable ``quickscale_core.<x>``."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system set the alias's spec on the module; it keeps its own.
        module.__spec__ = self.spec


class _Toolchain(importlib.abc.MetaPathFinder):
    """Resolves ``quickscale_toolchain`` and its modules for a pre-toolchain core."""

    def __init__(self, api_file: Path) -> None:
        self.api_file = api_file

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == PACKAGE:  # a package with no folder: nothing is found under it
            spec = importlib.machinery.ModuleSpec(fullname, None, is_package=True)
            spec.submodule_search_locations = []
            return spec
        if fullname == f"{PACKAGE}.api":
            return importlib.util.spec_from_file_location(fullname, self.api_file)
        if not fullname.startswith(f"{PACKAGE}."):
            return None
        target_name = EMBEDDED + fullname[len(PACKAGE) :]
        try:
            found = importlib.util.find_spec(target_name)
        except ModuleNotFoundError:
            return None
        if found is None:
            return None
        return importlib.util.spec_from_loader(
            fullname, _Alias(target_name), is_package=found.submodule_search_locations is not None
        )


def install(src: Path) -> None:
    """Make ``quickscale_toolchain.<x>`` the embedded ``quickscale_core.<x>`` of ``src``,
    keeping the CLI's own ``api`` (found now, before the package is replaced)."""
    spec = importlib.util.find_spec(f"{PACKAGE}.api")
    if spec is None or spec.origin is None:  # pragma: no cover - the CLI requires it
        raise ModuleNotFoundError("the quickscale CLI's quickscale_toolchain.api is missing")
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]
    sys.meta_path.insert(0, _Toolchain(Path(spec.origin)))


#: The hint a pre-toolchain core gives for a manifest its schema rejects (its code is
#: frozen, so the words are too); for an unknown key it goes on after a semicolon.
_OLD_MANIFEST_HINT = "fix the manifest (its schema is quickscale_core/manifest.schema.json)"


def translate(error: QuickScaleError) -> QuickScaleError:
    """The fix for an error of a pre-toolchain core, when that core cannot be right.

    Such a core reads every manifest its source offers, and a source of today declares
    what the old schema rejects (``[tool.quickscale.settings]`` as a table): the old
    core's "fix the manifest" would send the user to edit shared code that is fine.
    Moving the core forward is the fix.
    """
    if not installed() or not error.hint.startswith(_OLD_MANIFEST_HINT):
        return error
    # Imported now: under install() it is the embedded core's class, which output catches.
    from quickscale_toolchain.errors import QuickScaleError

    translated = QuickScaleError(
        f"this project's quickscale_core (from before quickscale_toolchain) cannot read "
        f"a newer manifest: {error.message}",
        "run 'quickscale update --component core', then 'quickscale generate'",
    )
    translated.exit_code = error.exit_code
    return translated


def installed() -> bool:
    """Whether this process drives a pre-toolchain core (API version 1)."""
    return any(isinstance(finder, _Toolchain) for finder in sys.meta_path)
