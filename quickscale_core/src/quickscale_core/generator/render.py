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

EXECUTABLE_NAMES = frozenset({"manage.py", "quickscale-update-branch"})


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


def _environment(loader: Any) -> Any:
    import jinja2  # imported here: keeps the CLI's start-up free of Jinja2

    from quickscale_core.cache import cache_dir

    compiled = cache_dir("jinja")  # compiled templates, checked against their source
    environment = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
    )
    # Text from the config or a manifest reaches Python code only as a literal, quoted
    # as ruff format would quote it.
    from quickscale_core.generator.pysource import literal

    environment.filters["pyrepr"] = literal
    return environment


def _render_sources(
    sources: Mapping[str, bytes], environment: Any, context: Mapping[str, Any]
) -> dict[str, RenderedFile]:
    """Render ``sources`` (template path -> bytes, loadable by ``environment``)."""
    project_name = str(context["project_name"])
    frontend = str(context.get("frontend_source", "custom_frontend"))
    files: dict[str, RenderedFile] = {}
    for name, data in sorted(sources.items()):
        relative = PurePosixPath(name)
        if "__pycache__" in relative.parts:
            continue
        target = _target_path(relative, project_name, frontend)
        if name.endswith(".j2"):
            text = environment.get_template(name).render(**context)
            if not text.strip() and data.strip():
                continue
            content = text.encode("utf-8")
        else:
            content = data
        files[target] = RenderedFile(
            target, content, executable=PurePosixPath(target).name in EXECUTABLE_NAMES
        )
    return files


def render_tree(tree: str, context: Mapping[str, Any]) -> dict[str, RenderedFile]:
    """Render the template tree ``tree`` with ``context``; keys are target paths."""
    import jinja2

    root = templates_root() / tree
    sources = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }
    files = _render_sources(sources, _environment(jinja2.FileSystemLoader(str(root))), context)
    return dict(sorted(files.items()))


def render_templates(
    templates: Mapping[str, bytes], context: Mapping[str, Any]
) -> dict[str, RenderedFile]:
    """Render in-memory templates (a component's contributed files) like a tree."""
    import jinja2

    texts = {k: v.decode("utf-8") for k, v in templates.items() if k.endswith(".j2")}
    environment = _environment(jinja2.DictLoader(texts))
    return _render_sources(templates, environment, context)


def render_text(template: str, context: Mapping[str, Any]) -> str:
    """Render one template string (a component's settings snippet)."""
    import jinja2

    return str(_environment(jinja2.BaseLoader()).from_string(template).render(**context))
