"""The files a project's config renders to: what ``init`` writes and ``generate`` owns.

Core's project template first, then the files the theme and modules contribute (which
replace core's at the same path), then the stubs components add to backend_extensions.py.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from quickscale_toolchain.generator.config_adapter import CONFIG_FILE
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.render import RenderedFile, render_tree

# Files the generator renders once at ``init`` and then never manages: the config is
# the user's input, not the generator's output.
NOT_MANAGED = frozenset({CONFIG_FILE})


def render_project(spec: ProjectSpec) -> dict[str, RenderedFile]:
    """Every file ``init`` writes for ``spec`` (except .env and the embedded subtrees):
    core's project template, then the files the theme and modules contribute, which
    replace core's at the same path (e.g. the theme's user model)."""
    context = spec.template_context()
    files = render_tree("project", context)
    files.update(spec.render_contributions(context))
    _append_backend_extensions(files, spec, context)
    return dict(sorted(files.items()))


def _append_backend_extensions(
    files: dict[str, RenderedFile], spec: ProjectSpec, context: dict[str, Any]
) -> None:
    """The stubs components add to backend_extensions.py (manifest ``backend-extensions``),
    after whatever the template or the theme wrote there, each under a comment saying
    where it comes from."""
    path = f"{spec.name}/backend_extensions.py"
    snippets = spec.wiring.backend_extension_snippets(context)
    if path not in files or not snippets:
        return
    text = files[path].content.decode("utf-8").rstrip("\n") + "\n"
    for component, where, snippet in snippets:
        text += f"\n\n# {component}: written from {where}\n{snippet}\n"
    files[path] = dataclasses.replace(files[path], content=text.encode("utf-8"))


def managed_files(spec: ProjectSpec) -> dict[str, RenderedFile]:
    """The files ``generate`` owns for ``spec``: path -> rendered file."""
    return {p: f for p, f in render_project(spec).items() if p not in NOT_MANAGED}
