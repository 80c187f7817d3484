"""Render a template tree into an in-memory mapping of files.

Conventions of a template tree (``templates/<tree>/``):
- a path segment ``__project__`` becomes the project name, and ``__frontend__`` the
  directory of the project's directory frontend (``frontend.source``);
- ``__tests__`` becomes ``tests``: the generated project's test suite is a template
  here, and a literal ``tests/`` folder inside ``src/`` would read as our own tests;
- a segment starting with ``dot-`` becomes a dotfile (``dot-gitignore`` -> ``.gitignore``),
  so packaging tools never treat a template as their own ignore file;
- a file ending in ``.j2`` is rendered by Jinja2 (undefined variables are errors) and
  loses the suffix; any other file is copied byte for byte;
- a non-empty template that renders to only whitespace produces no file: that is how a
  file exists only for some configs (``{% if models %}…{% endif %}``).

Rendering is deterministic: the same context gives the same bytes, in sorted order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

EXECUTABLE_NAMES = frozenset({"manage.py"})


@dataclass(frozen=True)
class RenderedFile:
    """One file of a rendered tree: where it goes and what it holds."""

    path: str  # POSIX path relative to the project root
    content: bytes
    executable: bool = False


def templates_root() -> Path:
    """Directory holding the template trees shipped with quickscale_core."""
    return Path(str(resources.files("quickscale_core.generator") / "templates"))


def _target_path(relative: PurePosixPath, project_name: str, frontend: str) -> str:
    parts = []
    for part in relative.parts:
        part = part.replace("__project__", project_name).replace("__frontend__", frontend)
        part = part.replace("__tests__", "tests")
        if part.startswith("dot-"):
            part = "." + part[len("dot-") :]
        parts.append(part)
    target = "/".join(parts)
    return target[: -len(".j2")] if target.endswith(".j2") else target


def render_tree(tree: str, context: Mapping[str, Any]) -> dict[str, RenderedFile]:
    """Render the template tree ``tree`` with ``context``; keys are target paths."""
    import jinja2  # imported here: keeps the CLI's start-up free of Jinja2

    root = templates_root() / tree
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    project_name = str(context["project_name"])
    frontend = str(context.get("frontend_source", "custom_frontend"))
    files: dict[str, RenderedFile] = {}
    for source in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = PurePosixPath(source.relative_to(root).as_posix())
        if "__pycache__" in relative.parts:
            continue
        target = _target_path(relative, project_name, frontend)
        if source.name.endswith(".j2"):
            text = environment.get_template(relative.as_posix()).render(**context)
            if not text.strip() and source.stat().st_size > 0:
                continue
            content = text.encode("utf-8")
        else:
            content = source.read_bytes()
        files[target] = RenderedFile(
            target, content, executable=PurePosixPath(target).name in EXECUTABLE_NAMES
        )
    return dict(sorted(files.items()))
