"""The checks that keep the components translatable: a scan for unmarked user-facing
strings, and the state of each shipped catalogue.

**The scan** reads every ``.py`` file and template (``templates/**/*.html|txt``) of core's
runtime (``quickscale_core/src/quickscale_core``), the modules and the themes
(``quickscale_modules/*/src``, ``quickscale_themes/*/src``), leaving out ``tests/`` and
``migrations/``, and the templates a component generates into a project
(``quickscale_*/*/generate/**/templates/**/*.html.j2`` and the toolchain's
``generator/templates/project/__frontend__/**/*.html.j2``, read as the Django templates
they become: the ``{% raw %}``/``{% endraw %}`` markers taken out, and the Jinja outside
them too, ``{{ project_... }}`` values, loops and comments). A finding is (path, line,
kind, text); the rule, and nothing more:

- Python (``ast``): a string literal or f-string holding a letter, not inside a call of
  the gettext family (``_``, ``gettext``, ``gettext_lazy``, ``pgettext``, ``ngettext``,
  ...), as the message of ``messages.<level>(request, ...)`` / ``messages.add_message``
  (kind ``messages``); the first argument of ``ValidationError`` (a dict's values, a
  list's items too); the value of a ``label``, ``help_text``, ``empty_label``,
  ``verbose_name``, ``verbose_name_plural`` keyword (kind: the keyword) and of a
  ``verbose_name``/``verbose_name_plural``/``short_description`` assignment; the
  ``description`` of ``@admin.display``/``@admin.action``; a mail subject (kind
  ``mail subject``: a ``subject`` keyword or assignment, the first argument of
  ``send_mail``, ``EmailMessage``, ``EmailMultiAlternatives``); the values of an
  ``error_messages`` keyword or an ``error_messages``/``default_error_messages``
  assignment; the message of ``Http404`` and ``PermissionDenied``; the content of an
  ``HttpResponse`` unless its ``content_type`` is a literal other than ``text/html``.
  The literal may be the whole value, a side of ``+`` or ``%``, a branch of ``x if c
  else y``, or the string of ``"...".format()``; any other call is not looked into.
- Templates (Django's own template ``Lexer``): text outside template tags, variables
  and comments, once HTML tags, HTML comments and ``<script>``/``<style>`` bodies are
  taken out (``html.parser``), that holds a letter (kind ``template text``; a ``.txt``
  template is all text), and the value of a ``title``, ``alt``, ``placeholder`` or
  ``aria-label`` attribute that holds a letter outside template tags (kind ``template
  attribute``). Text inside ``{% blocktranslate %}...{% endblocktranslate %}`` and
  ``{% comment %}...{% endcomment %}`` is fine; ``{% translate %}``, ``{{ vars }}``
  and ``{# #}`` are not text.
- Escape hatch: ``# i18n: not user-facing (why)`` at the end of the line (Python: any
  line from the call or assignment to the literal), ``{# i18n: not user-facing (why) #}``
  on the finding's line (templates).

**The catalogues**: each component app package (a folder with ``apps.py``) may ship
``locale/<language>/LC_MESSAGES/django.po``. A catalogue is complete when ``msgfmt
--check --statistics`` reports translated messages and nothing else (no fuzzy, no
untranslated entry, no error), and fresh when ``makemessages`` (the flags of
:data:`MAKEMESSAGES`), run on a copy of the package, makes exactly its entries
(msgctxt, msgid, msgid_plural). Every string a component writes into a project (marked
in its generated templates and generated Python, or a label of its home-page links) must
be in its own catalogue, the starter theme's or core's (the ones every project has).
``scripts/translations`` makes the catalogues; ``--check`` runs all this.
"""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: The escape hatch's words, in a Python comment or a template comment.
ESCAPE = "i18n: not user-facing ("
#: Calls whose arguments are marked for translation.
GETTEXT = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "pgettext",
        "pgettext_lazy",
        "ngettext",
        "ngettext_lazy",
        "npgettext",
        "npgettext_lazy",
    }
)
#: Keywords whose value users read, and the kind a finding of each gets.
KEYWORDS = {
    "label": "label",
    "help_text": "help_text",
    "empty_label": "empty_label",
    "verbose_name": "verbose_name",
    "verbose_name_plural": "verbose_name_plural",
    "subject": "mail subject",
}
#: Names whose assigned value users read (``Meta.verbose_name = ...``, ``subject = ...``).
ASSIGNED = {
    "verbose_name": "verbose_name",
    "verbose_name_plural": "verbose_name_plural",
    "short_description": "short_description",
    "subject": "mail subject",
}
MESSAGE_LEVELS = frozenset({"debug", "info", "success", "warning", "error"})
MAIL_CALLS = frozenset({"send_mail", "EmailMessage", "EmailMultiAlternatives"})
ERROR_MESSAGES = frozenset({"error_messages", "default_error_messages"})
#: Template attributes users read (or hear, from a screen reader).
ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label"})

#: How every catalogue is made: ``django-admin`` these, in the app package's folder.
MAKEMESSAGES = (
    "--no-location",
    "--no-obsolete",
    "-e",
    "html,txt,py",
    "--ignore",
    "tests/*",
    "--ignore",
    "migrations/*",
)
#: The fix every catalogue problem names.
FIX = "run 'scripts/translations'"


@dataclass(frozen=True, order=True)
class Finding:
    """One unmarked user-facing string."""

    path: str  # relative to the scanned root
    line: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: unmarked {self.kind}: {self.text!r}"


def has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


# --- Python --------------------------------------------------------------------------


def _name(func: ast.expr) -> tuple[str, str]:
    """(owner, name) of a call's function: ``messages.info`` is ("messages", "info")."""
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return owner, func.attr
    return "", ""


def _literals(node: ast.expr | None, containers: bool = True) -> list[ast.expr]:
    """The unmarked literals holding a letter that ``node``'s value is made of."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node] if has_letter(node.value) else []
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return [node] if has_letter("".join(str(p) for p in parts)) else []
    if isinstance(node, ast.BinOp):
        return _literals(node.left, False) + _literals(node.right, False)
    if isinstance(node, ast.IfExp):
        return _literals(node.body, containers) + _literals(node.orelse, containers)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":
            return _literals(node.func.value, False)
        return []
    if containers and isinstance(node, ast.Dict):
        return [lit for value in node.values for lit in _literals(value, False)]
    if containers and isinstance(node, ast.List | ast.Tuple):
        return [lit for item in node.elts for lit in _literals(item, False)]
    return []


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _call_rules(call: ast.Call) -> Iterator[tuple[str, ast.expr | None]]:
    """(kind, value) for each user-facing value of ``call``."""
    owner, name = _name(call.func)
    if name in GETTEXT:
        return
    if owner == "messages" and name in MESSAGE_LEVELS:
        yield "messages", _argument(call, 1, "message")
    elif owner == "messages" and name == "add_message":
        yield "messages", _argument(call, 2, "message")
    elif name == "ValidationError":
        yield "ValidationError", _argument(call, 0, "message")
    elif name in MAIL_CALLS:
        yield "mail subject", (call.args[0] if call.args else None)
    elif name in ("Http404", "PermissionDenied"):
        yield name, (call.args[0] if call.args else None)
    elif name == "HttpResponse" and _for_humans(call):
        yield "HttpResponse", _argument(call, 0, "content")
    for keyword in call.keywords:
        if keyword.arg in KEYWORDS:
            yield KEYWORDS[keyword.arg], keyword.value
        elif keyword.arg == "error_messages":
            yield "error_messages", keyword.value
        elif keyword.arg == "description" and _admin_decorator(owner, name):
            yield "description", keyword.value


def _admin_decorator(owner: str, name: str) -> bool:
    """``@admin.display(...)``/``@admin.action(...)`` (or imported as ``display``)."""
    return name in ("display", "action") and owner in ("admin", "")


def _for_humans(call: ast.Call) -> bool:
    """An HttpResponse is read by people unless its content type is a literal other
    than HTML (text/plain for a machine, application/json, ...)."""
    kind = next((k.value for k in call.keywords if k.arg == "content_type"), None)
    if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
        return kind.value.startswith("text/html")
    return True


def _assign_rules(node: ast.Assign | ast.AnnAssign) -> Iterator[tuple[str, ast.expr | None]]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        name = target.id if isinstance(target, ast.Name) else ""
        name = target.attr if isinstance(target, ast.Attribute) else name
        if name in ASSIGNED:
            yield ASSIGNED[name], node.value
        elif name in ERROR_MESSAGES and isinstance(node.value, ast.Dict):
            yield "error_messages", node.value


def _escaped_lines(source: str) -> set[int]:
    """Lines whose comment is the escape hatch."""
    lines = set()
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for token in tokens:
        if token.type == tokenize.COMMENT and ESCAPE in token.string:
            lines.add(token.start[0])
    return lines


def scan_python(source: str, path: str) -> list[Finding]:
    """The unmarked user-facing literals of one Python file."""
    tree = ast.parse(source, filename=path)
    escaped = _escaped_lines(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            rules = list(_call_rules(node))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            rules = list(_assign_rules(node))
        else:
            continue
        for kind, value in rules:
            for literal in _literals(value):
                span = range(node.lineno, (literal.end_lineno or literal.lineno) + 1)
                if escaped.isdisjoint(span):
                    text = literal.value if isinstance(literal, ast.Constant) else None
                    shown = text if isinstance(text, str) else ast.unparse(literal)
                    found.append(Finding(path, literal.lineno, kind, _short(shown)))
    return sorted(set(found))


# --- Templates -----------------------------------------------------------------------

#: Tags whose content up to their end tag is not text to flag.
_SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


def _masked(source: str) -> tuple[str, set[int]]:
    """``source`` with everything but plain text (tags, variables, comments, the inside
    of blocktranslate and comment blocks) taken out but for its newlines, so lines stay
    (``<{% if a %}a{% else %}button{% endif %}>`` stays a tag); and the lines of
    escape-hatch comments."""
    from django.template.base import DebugLexer, TokenType

    chars = list(source)
    escaped = set()
    closing = ""
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        command = token.contents.split(" ", 1)[0] if token.token_type == TokenType.BLOCK else ""
        blank = token.token_type != TokenType.TEXT or bool(closing)
        if token.token_type == TokenType.COMMENT and token.contents.strip().startswith(ESCAPE):
            escaped.add(token.lineno)
        if closing and command == closing:
            closing = ""
        elif not closing and command in _SKIPPED_BLOCKS:
            closing = _SKIPPED_BLOCKS[command]
        if blank:
            for index in range(start, end):
                if chars[index] != "\n":
                    chars[index] = ""
    return "".join(chars), escaped


class _TextFinder(HTMLParser):
    """Collects text and the read attributes holding a letter, with their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []  # (line, kind, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if name in ATTRIBUTES and value and has_letter(value):
                self.found.append((line, "template attribute", f'{name}="{value.strip()}"'))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.cdata_elem is not None or not has_letter(data):
            return
        first = next(i for i, char in enumerate(data) if char.isalpha())
        line = self.getpos()[0] + data.count("\n", 0, first)
        self.found.append((line, "template text", data))


def scan_template(source: str, path: str, html: bool = True) -> list[Finding]:
    """The unmarked user-facing text of one Django template (``html=False``: a mail's
    ``.txt``, all of whose text is read)."""
    masked, escaped = _masked(source)
    if html:
        finder = _TextFinder()
        finder.feed(masked)
        finder.close()
        raw = finder.found
    else:
        raw = [
            (number, "template text", line)
            for number, line in enumerate(masked.splitlines(), 1)
            if has_letter(line)
        ]
    found = {
        Finding(path, line, kind, _short(text)) for line, kind, text in raw if line not in escaped
    }
    return sorted(found)


_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


def _without_jinja(text: str) -> str:
    return _JINJA.sub(lambda m: "\n" * m.group().count("\n"), text)


def django_text_of(jinja: str) -> str:
    """A generated template (``.html.j2``) as the Django template it becomes: the raw
    markers taken out, and the Jinja outside them (the project's own values such as
    ``{{ project_title }}``, loops, comments) too but for its newlines, so lines stay."""
    parts, last = [], 0
    for raw in _RAW.finditer(jinja):
        parts += [_without_jinja(jinja[last : raw.start()]), raw.group(1)]
        last = raw.end()
    return "".join([*parts, _without_jinja(jinja[last:])])


# --- What is scanned -----------------------------------------------------------------


def source_roots(root: Path) -> list[Path]:
    """The folders whose Python and templates are the components' runtime."""
    return [
        root / "quickscale_core" / "src" / "quickscale_core",
        *sorted(root.glob("quickscale_modules/*/src")),
        *sorted(root.glob("quickscale_themes/*/src")),
    ]


def generated_templates(root: Path) -> list[Path]:
    """The templates the components write into a project (Jinja around Django)."""
    frontend = root / "quickscale_core/src/quickscale_toolchain/generator/templates/project"
    return sorted(
        {
            *root.glob("quickscale_*/*/generate/**/templates/**/*.html.j2"),
            *(frontend / "__frontend__").glob("**/*.html.j2"),
        }
    )


def _skipped(path: Path, base: Path) -> bool:
    parts = path.relative_to(base).parts
    return any(p in ("tests", "migrations", "__pycache__") for p in parts)


def files_under(base: Path) -> Iterator[tuple[Path, str]]:
    """(file, "python" | "html" | "txt") for the Python and templates under ``base``,
    ``tests/`` and ``migrations/`` left out."""
    for path in sorted(base.rglob("*")):
        if not path.is_file() or _skipped(path, base):
            continue
        if path.suffix == ".py":
            yield path, "python"
        elif path.suffix in (".html", ".txt") and "templates" in path.relative_to(base).parts:
            yield path, path.suffix[1:]


def sources(root: Path) -> Iterator[tuple[Path, str]]:
    """(file, "python" | "html" | "txt" | "j2") for every file the scan reads."""
    for base in source_roots(root):
        yield from files_under(base)
    for path in generated_templates(root):
        yield path, "j2"


def scan_file(path: Path, kind: str, shown: str) -> list[Finding]:
    text = path.read_text(encoding="utf-8")
    if kind == "python":
        return scan_python(text, shown)
    if kind == "j2":
        return scan_template(django_text_of(text), shown)
    return scan_template(text, shown, html=kind == "html")


def scan(root: Path, files: Iterable[tuple[Path, str]] | None = None) -> list[Finding]:
    """Every unmarked user-facing string of the components under ``root`` (or of
    ``files``: (path, kind) as :func:`sources` gives), paths shown relative to ``root``."""
    found = []
    for path, kind in sources(root) if files is None else files:
        found += scan_file(path, kind, path.relative_to(root).as_posix())
    return sorted(found)


# --- Catalogues ----------------------------------------------------------------------

#: One entry of a catalogue: (msgctxt, msgid, msgid_plural).
Key = tuple[str | None, str, str | None]


@dataclass(frozen=True, order=True)
class Problem:
    """A catalogue that is not complete, not fresh, or lacks a generated string."""

    where: str  # the component's folder, relative to the root
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def app_packages(root: Path) -> list[Path]:
    """Every component's Django app package (its folder holds ``apps.py``)."""
    found = []
    for base in source_roots(root):
        found += [p.parent for p in base.rglob("apps.py") if not _skipped(p, base)]
    return sorted(set(found))


def component_of(path: Path, root: Path) -> str:
    """The component folder a file or package belongs to: ``quickscale_modules/auth``."""
    parts = path.relative_to(root).parts
    return parts[0] if parts[0] == "quickscale_core" else "/".join(parts[:2])


def catalogues(package: Path) -> dict[str, Path]:
    """language -> the package's ``django.po`` for it."""
    return {
        po.parents[1].name: po
        for po in sorted((package / "locale").glob("*/LC_MESSAGES/django.po"))
    }


_FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def read_po(text: str) -> set[Key]:
    """The entries of a ``.po`` file (its header and obsolete ``#~`` entries left out)."""
    keys: set[Key] = set()
    entry: dict[str, str] = {}
    field = ""

    def close() -> None:
        if "msgid" in entry and (entry["msgid"] or "msgctxt" in entry):
            keys.add((entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")))

    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _FIELD.match(line)
        if match:
            name, value = match.groups()
            if name in ("msgctxt", "msgid") and "msgstr" in field:
                close()
                entry = {}
            field = name
            entry[field] = ast.literal_eval(value)
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
    close()
    return keys


def completeness(po: Path) -> str:
    """What is wrong with a catalogue ("" if nothing): an error of ``msgfmt --check
    --statistics`` (a placeholder the translation lacks, a syntax error), a fuzzy or
    untranslated entry it counts, or a fuzzy header (msgfmt would drop it, charset and
    plural forms with it). Its warnings about header fields are not problems."""
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    said = [line.replace(f"{po}:", "line ") for line in lines if "warning:" not in line]
    if re.search(r"\A(#.*\n)*#, fuzzy.*\nmsgid \"\"", po.read_text(encoding="utf-8")):
        said.append("the header is fuzzy")
    if done.returncode == 0 and not re.search(r"fuzzy|untranslated", " ".join(said)):
        return ""
    return "msgfmt says: " + "; ".join(said)


def _environment() -> dict[str, str]:
    """makemessages run without a project's settings (it configures its own)."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}


def makemessages(folder: Path, language: str) -> None:
    """``django-admin makemessages`` for ``language`` in ``folder``, with the flags every
    catalogue is made with; a failure raises with its output."""
    (folder / "locale").mkdir(exist_ok=True)
    args = [sys.executable, "-P", "-m", "django", "makemessages", "-l", language, *MAKEMESSAGES]
    done = subprocess.run(
        args, cwd=folder, env=_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"makemessages failed in {folder}:\n{done.stdout}{done.stderr}")


def made(package: Path, language: str) -> set[Key]:
    """The entries makemessages makes from ``package``'s sources, on a copy of it."""
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / package.name
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        makemessages(copy, language)
        po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        return read_po(po.read_text(encoding="utf-8")) if po.exists() else set()


def _listed(keys: Iterable[Key]) -> str:
    shown = sorted(_short(msgid) for _, msgid, _ in keys)
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    return ", ".join(repr(s) for s in shown[:3]) + more


def freshness(package: Path, language: str, root: Path) -> list[Problem]:
    """A problem if the package's catalogue for ``language`` differs from what
    makemessages makes from its sources (an entry added, changed or gone)."""
    po = package / "locale" / language / "LC_MESSAGES" / "django.po"
    shipped = read_po(po.read_text(encoding="utf-8")) if po.exists() else set()
    wanted = made(package, language)
    if shipped == wanted:
        return []
    name = package.relative_to(root).as_posix()
    if not po.exists():
        what = f"{name} has {len(wanted)} string(s) to translate and no {language} catalogue"
        return [Problem(component_of(package, root), f"{what} — {FIX}, then translate it")]
    parts = []
    if wanted - shipped:
        parts.append(f"{len(wanted - shipped)} missing ({_listed(wanted - shipped)})")
    if shipped - wanted:
        parts.append(
            f"{len(shipped - wanted)} no longer in the sources ({_listed(shipped - wanted)})"
        )
    what = f"the {language} catalogue of {name} is behind its sources: {'; '.join(parts)}"
    return [Problem(component_of(package, root), f"{what} — {FIX}, then translate the new entries")]


def generated_sources(root: Path) -> list[Path]:
    """What the components write into a project that translates strings: the generated
    templates, and the generated Python of a project's own app (``__project__``)."""
    project = root / "quickscale_core/src/quickscale_toolchain/generator/templates/project"
    python = {
        *root.glob("quickscale_*/*/generate/project/__project__/**/*.py.j2"),
        *(project / "__project__").glob("**/*.py.j2"),
    }
    return sorted({*generated_templates(root), *python})


def generated_keys(sources: Sequence[Path]) -> set[Key]:
    """The entries makemessages would make from generated files, each read as what it
    becomes (a Django template, a Python module)."""
    if not sources:
        return set()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "generated"
        (folder / "templates").mkdir(parents=True)
        for number, source in enumerate(sources):
            text = django_text_of(source.read_text(encoding="utf-8"))
            name = f"{number}.py" if source.name.endswith(".py.j2") else f"templates/{number}.html"
            (folder / name).write_text(text, encoding="utf-8")
        makemessages(folder, "en")
        po = folder / "locale" / "en" / "LC_MESSAGES" / "django.po"
        return read_po(po.read_text(encoding="utf-8")) if po.exists() else set()


def home_link_keys(component: Path) -> set[Key]:
    """The labels of a component's home-page links (core's generated home page puts each
    in a ``{% translate %}``, HTML-escaped as Jinja's ``e`` filter does) and of its admin
    dashboard counters (translated by the admin module)."""
    import tomllib

    from markupsafe import escape

    manifest = component / "pyproject.toml"
    if not manifest.is_file():
        return set()
    table = tomllib.loads(manifest.read_text(encoding="utf-8")).get("tool", {})
    links = table.get("quickscale", {}).get("home-links", ())
    # The admin dashboard's counters: their labels go through gettext as they are.
    counters = table.get("quickscale", {}).get("counters", ())
    return {(None, str(escape(link["label"])), None) for link in links} | {
        (None, str(counter["label"]), None) for counter in counters
    }


def _always_there(root: Path) -> list[Path]:
    """The app packages every project has: core's and the starter theme's."""
    return [
        root / "quickscale_core" / "src" / "quickscale_core",
        root / "quickscale_themes" / "starter" / "src" / "quickscale_themes" / "starter",
    ]


def generated_coverage(root: Path, languages: Iterable[str]) -> list[Problem]:
    """A problem for each string a component writes into a project (its generated files'
    marked strings, its home-page links' labels) that no catalogue a project would have
    in ``language`` holds: the component's own, core's or the starter theme's."""
    by_component: dict[str, list[Path]] = {}
    for source in generated_sources(root):
        by_component.setdefault(component_of(source, root), []).append(source)
    for manifest in root.glob("quickscale_*/*/pyproject.toml"):
        by_component.setdefault(component_of(manifest, root), [])
    packages = app_packages(root)
    problems = []
    for component, sources in sorted(by_component.items()):
        keys = generated_keys(sources) | home_link_keys(root / component)
        owners = [p for p in packages if component_of(p, root) == component]
        for language in languages:
            known: set[Key] = set()
            for package in {*owners, *_always_there(root)}:
                po = package / "locale" / language / "LC_MESSAGES" / "django.po"
                known |= read_po(po.read_text(encoding="utf-8")) if po.exists() else set()
            if keys - known:
                what = (
                    f"{len(keys - known)} string(s) it writes into a project are in no "
                    f"{language} catalogue ({_listed(keys - known)}) — mark them in a source "
                    f"of the component too (a gettext_noop list), then {FIX}"
                )
                problems.append(Problem(component, what))
    return problems


def check_catalogues(root: Path) -> list[Problem]:
    """Completeness and freshness of every shipped catalogue, a package with strings and
    no catalogue, and the generated templates' strings."""
    packages = app_packages(root)
    languages = sorted({lang for p in packages for lang in catalogues(p)}) or ["es"]
    problems = []
    for package in packages:
        for po in catalogues(package).values():
            said = completeness(po)
            if said:
                name = po.relative_to(root).as_posix()
                what = f"{name} is not complete ({said}) — translate every entry, no fuzzy"
                problems.append(Problem(component_of(package, root), what))
    jobs = [(p, lang) for p in packages for lang in languages]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for found in pool.map(lambda job: freshness(job[0], job[1], root), jobs):
            problems += found
    problems += generated_coverage(root, languages)
    return sorted(problems)


def compile_all(root: Path) -> None:
    """``compilemessages`` for every component catalogue (the ``.mo`` files are
    git-ignored: built to try them, and by a project's workflow)."""
    for package in app_packages(root):
        if catalogues(package):
            args = [sys.executable, "-P", "-m", "django", "compilemessages"]
            done = subprocess.run(
                args, cwd=package, env=_environment(), capture_output=True, text=True
            )
            if done.returncode != 0:
                raise RuntimeError(f"compilemessages failed in {package}:\n{done.stderr}")


#: The header fields a new catalogue gets (makemessages leaves them blank and fuzzy).
PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);"}


def _new_header(po: Path, language: str) -> None:
    """A new catalogue's header made usable: not fuzzy, its language, UTF-8, and the
    plural forms its entries are written with."""
    text = po.read_text(encoding="utf-8")
    text = text.replace('#, fuzzy\nmsgid ""\n', 'msgid ""\n', 1)
    text = text.replace('"Language: \\n"', f'"Language: {language}\\n"', 1)
    text = text.replace("charset=CHARSET", "charset=UTF-8", 1)
    if language in PLURAL_FORMS:
        forms = f'"Plural-Forms: {PLURAL_FORMS[language]}\\n"'
        text = re.sub(r'^"Plural-Forms: .*"$', lambda _: forms, text, count=1, flags=re.M)
    po.write_text(text, encoding="utf-8")


def _undated(text: str) -> str:
    return re.sub(r'^"POT-Creation-Date: .*"\n', "", text, count=1, flags=re.M)


def make_all(root: Path, language: str = "es") -> list[Path]:
    """(Re)make ``language``'s catalogue of every component app package with strings to
    translate; existing translations stay, as makemessages keeps them, and a new
    catalogue gets a usable header (its entries are left to translate)."""
    written = []
    for package in app_packages(root):
        had_locale = (package / "locale").exists()
        po = package / "locale" / language / "LC_MESSAGES" / "django.po"
        before = po.read_text(encoding="utf-8") if po.exists() else None
        makemessages(package, language)
        if po.exists():
            if before is None:
                _new_header(po, language)
            elif _undated(po.read_text(encoding="utf-8")) == _undated(before):
                po.write_text(before, encoding="utf-8")  # only its date changed: no diff
            written.append(po)
        elif not had_locale:
            shutil.rmtree(package / "locale")
    return written


#: A project's own commands (its locale/README.md and CI run the same): compile every
#: catalogue, and make the project's own, the embedded components left to their authors.
PROJECT_COMPILE = ("compilemessages", "--ignore=.venv")
PROJECT_MAKE = (
    "makemessages",
    "-l",
    "es",
    "--ignore=.venv",
    "--ignore=quickscale_core",
    "--ignore=quickscale_modules",
    "--ignore=quickscale_themes",
)
COMPONENT_FOLDERS = ("quickscale_core", "quickscale_modules", "quickscale_themes")


def _manage(
    project: Path, python: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "manage.py", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def override_example() -> tuple[str, str, str]:
    """docs/languages.md's example of replacing a component's translation: the module's
    text, the msgid it names and the msgstr its comment gives."""
    from quickscale_testing.repos import monorepo_root

    doc = (monorepo_root() / "docs" / "languages.md").read_text(encoding="utf-8")
    module = next(b for b in re.findall(r"```python\n(.*?)```", doc, re.S) if "gettext_noop" in b)
    found = re.search(r'gettext_noop\("([^"]+)"\).*msgstr "([^"]+)"', module)
    assert found, "docs/languages.md's override example names no msgid and msgstr"
    return module, found[1], found[2]


def project_problems(project: Path, python: Path, env: dict[str, str]) -> list[str]:
    """What goes wrong when a generated project runs docs/languages.md's commands with
    its own ``manage.py`` (:data:`PROJECT_COMPILE`, :data:`PROJECT_MAKE`) and its
    example of replacing a component's translation (in Spanish): a command failing, a
    component catalogue left without its ``.mo``, an embedded component's file changed,
    or the project's translation not winning over the component's."""
    problems = []

    def manage(*args: str) -> str:
        done = _manage(project, python, env, *args)
        if done.returncode != 0:
            problems.append(f"manage.py {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done.stdout

    manage(*PROJECT_COMPILE)
    shipped = [
        po
        for folder in COMPONENT_FOLDERS
        for po in (project / folder).glob("**/locale/*/LC_MESSAGES/django.po")
    ]
    if not shipped:
        problems.append("the project embeds no component catalogue")
    unbuilt = [po for po in shipped if not po.with_suffix(".mo").is_file()]
    problems += [f"{po.relative_to(project)} was not compiled" for po in unbuilt]
    module, msgid, msgstr = override_example()
    app = next(p.parent for p in project.glob("*/settings.py"))
    (app / "translation_overrides.py").write_text(module, encoding="utf-8")
    manage(*PROJECT_MAKE)
    po = project / "locale" / "es" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8") if po.is_file() else ""
    entry = f'msgid "{msgid}"\nmsgstr ""'
    if entry not in text:
        problems.append(f"makemessages put no entry for {msgid!r} in {po.relative_to(project)}")
    po.write_text(text.replace(entry, f'msgid "{msgid}"\nmsgstr "{msgstr}"'), encoding="utf-8")
    manage(*PROJECT_COMPILE)
    probe = "from django.utils import translation as t; t.activate('es'); print(t.gettext(%r))"
    probe %= msgid
    said = manage("shell", "-c", probe).strip().splitlines()
    if not said or said[-1] != msgstr:
        problems.append(f"in Spanish {msgid!r} is {said[-1:]}, not the project's {msgstr!r}")
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", *COMPONENT_FOLDERS],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    problems += [
        f"an embedded component's file changed: {line}" for line in status.stdout.splitlines()
    ]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """``scripts/translations``: make the catalogues, or check everything (exit 1 and
    one line per problem)."""
    import argparse

    from quickscale_testing.repos import monorepo_root

    parser = argparse.ArgumentParser(
        prog="scripts/translations",
        description="(Re)make every component's catalogue with makemessages, keeping its "
        "translations; or check them and the marking of every user-facing string.",
    )
    parser.add_argument("--check", action="store_true", help="check, change nothing")
    parser.add_argument("--compile", action="store_true", help="also run compilemessages")
    parser.add_argument("-l", "--language", default="es", help="the catalogue to make (es)")
    parser.add_argument("--root", type=Path, default=monorepo_root(), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    root = options.root.resolve()
    if options.check:
        problems = [str(f) for f in scan(root)] + [str(p) for p in check_catalogues(root)]
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print(f"{len(problems)} translation problem(s)", file=sys.stderr)
            return 1
        print("translations: every string marked, every catalogue complete and fresh")
    else:
        for po in make_all(root, options.language):
            print(po.relative_to(root).as_posix())
    if options.compile:
        compile_all(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
