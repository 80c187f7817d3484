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

Every template renders in Jinja2's immutable sandbox, core's own as well as those a theme
or module brings from a source: a template may read its variables and call the filters,
but not reach Python objects' internals (``cycler.__init__.__globals__``), nor mutate
what it is given. Rendering a third-party component (``preview``) therefore runs none of
its code. A refused or broken template is a :class:`TemplateRefused` naming the file and
line, raised before anything is written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from quickscale_toolchain.errors import QuickScaleError

EXECUTABLE_NAMES = frozenset({"manage.py", "quickscale-update-branch"})


@dataclass(frozen=True)
class RenderedFile:
    """One file of a rendered tree: where it goes and what it holds."""

    path: str  # POSIX path relative to the project root
    content: bytes
    executable: bool = False


def templates_root() -> Path:
    """Directory holding the template trees shipped with quickscale_core."""
    return Path(str(resources.files("quickscale_toolchain.generator") / "templates"))


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


class TemplateRefused(QuickScaleError):
    """A template cannot be rendered: the sandbox refused what it does, or it is broken."""


def _environment(loader: Any) -> Any:
    import jinja2  # imported here: keeps the CLI's start-up free of Jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from quickscale_toolchain.cache import cache_dir

    compiled = cache_dir("jinja")  # compiled templates, checked against their source
    environment = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # The output is source code (Python, YAML, CSS, Django templates), not a page
        # sent to a browser: HTML escaping would corrupt it.
        autoescape=False,
        bytecode_cache=_bytecode_cache(compiled) if compiled else None,
    )
    # Text from the config or a manifest reaches Python code only as a literal, quoted
    # as ruff format would quote it.
    from quickscale_toolchain.generator.pysource import literal

    environment.filters["pyrepr"] = literal
    return environment


def _bytecode_cache(directory: Path) -> Any:
    """Jinja2's file cache of compiled templates, keyed also by the environment's class,
    so that code compiled for another kind of environment (an older QuickScale's plain
    one) is never loaded into the sandbox."""
    import jinja2

    class KindKeyedCache(jinja2.FileSystemBytecodeCache):
        def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Any:
            kind = f"{type(environment).__module__}.{type(environment).__qualname__}"
            return super().get_bucket(environment, f"{kind}:{name}", filename, source)

    return KindKeyedCache(str(directory), pattern="quickscale_%s.cache")


def _named_loader(texts: Mapping[str, str]) -> Any:
    """A loader over in-memory templates that gives each its name as file name, so that
    an error's traceback says which template (of several, with includes) and line."""
    import jinja2

    class NamedLoader(jinja2.BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            if template not in texts:
                raise jinja2.TemplateNotFound(template)
            return texts[template], template, lambda: True

    return NamedLoader()


def _refused(error: Exception, name: str, origin: str, names: Collection[str]) -> TemplateRefused:
    """``error`` from rendering template ``name`` as one located line: which file (below
    ``origin``, the folder the template names are relative to) and which line. ``names``
    are the templates an include could reach: the innermost one in the traceback failed."""
    import traceback

    import jinja2

    line = None
    if isinstance(error, jinja2.TemplateSyntaxError):
        name, line = error.name or name, error.lineno
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename in names:
                name, line = frame.filename, frame.lineno
            elif frame.filename == "<template>":  # a template given as a string
                line = frame.lineno
    where = f"{origin}/{name}" if origin else name
    where = f"{where}:{line}" if line else where
    reason = " ".join(str(error).split()).rstrip(".")
    if isinstance(error, jinja2.exceptions.SecurityError):
        return TemplateRefused(
            f"template {where} is refused by the template sandbox: {reason}",
            "nothing was written or run; a template may use only its variables and filters: "
            "remove that expression from the template, or stop using its component",
        )
    return TemplateRefused(
        f"template {where} cannot be rendered: {reason}",
        "nothing was written; fix the template, or stop using its component",
    )


def _render_sources(
    sources: Mapping[str, bytes], origin: str, context: Mapping[str, Any]
) -> dict[str, RenderedFile]:
    """Render ``sources`` (template path -> bytes; ``origin``: where the paths are
    relative to, as an error names them)."""
    import jinja2

    texts = {k: v.decode("utf-8") for k, v in sources.items() if k.endswith(".j2")}
    environment = _environment(_named_loader(texts))
    project_name = str(context["project_name"])
    frontend = str(context.get("frontend_source", "custom_frontend"))
    files: dict[str, RenderedFile] = {}
    for name, data in sorted(sources.items()):
        relative = PurePosixPath(name)
        if "__pycache__" in relative.parts:
            continue
        target = _target_path(relative, project_name, frontend)
        if name.endswith(".j2"):
            try:
                text = environment.get_template(name).render(**context)
            except jinja2.TemplateError as error:
                raise _refused(error, name, origin, texts) from None
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
    root = templates_root() / tree
    sources = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }
    files = _render_sources(sources, f"quickscale_toolchain/generator/templates/{tree}", context)
    return dict(sorted(files.items()))


def render_templates(
    templates: Mapping[str, bytes], context: Mapping[str, Any], origin: str = ""
) -> dict[str, RenderedFile]:
    """Render in-memory templates (a component's contributed files) like a tree;
    ``origin`` is the folder they come from (``quickscale_modules/blog/generate``)."""
    return _render_sources(templates, origin, context)


def render_text(template: str, context: Mapping[str, Any], where: str = "a template") -> str:
    """Render one template string (a component's settings snippet); ``where`` names it
    in an error (``quickscale_modules/blog/generate/settings.py.j2``)."""
    import jinja2

    environment = _environment(jinja2.BaseLoader())
    try:
        return str(environment.from_string(template).render(**context))
    except jinja2.TemplateError as error:
        raise _refused(error, where, "", ()) from None
