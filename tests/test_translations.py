"""Every user-facing string of the components is marked for translation, and every
catalogue they ship is complete and fresh (quickscale_testing/translations.py has the
rules; `scripts/translations --check` runs the same checks).

The scan is proven on tests/i18n_fixture (one unmarked string of each kind the scan
must catch, marked ones around them), and both checks are shown failing: an English
literal added to a copy of a real component file is flagged, and a changed source
string makes a copy of a real package's catalogue stale.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from quickscale_testing import translations as t
from quickscale_testing.modules import unavailable
from quickscale_testing.repos import monorepo_root

ROOT = monorepo_root()
FIXTURE = Path(__file__).parent / "i18n_fixture"
SCRIPT = ROOT / "scripts" / "translations"
PACKAGES = t.app_packages(ROOT)
CATALOGUES = [po for package in PACKAGES for po in t.catalogues(package).values()]
LANGUAGES = sorted({po.parents[1].name for po in CATALOGUES})


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def gettext() -> None:
    """GNU gettext's tools (msgfmt, xgettext, msgmerge): Debian's `gettext` package."""
    if not all(shutil.which(tool) for tool in ("msgfmt", "xgettext", "msgmerge", "msgattrib")):
        unavailable("GNU gettext is not installed (apt install gettext)")


# --- The scan ------------------------------------------------------------------------


def expected_in_fixture() -> list[tuple[str, int, str]]:
    """(path, line, kind) of each line of the fixture ending in an `unmarked: KIND`
    comment (``# ...`` in Python, ``{# ... #}`` in a template)."""
    expected = []
    for path, _ in t.files_under(FIXTURE):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = re.search(r"(?:#|\{#) unmarked: ([\w ]+?)(?: #\})?$", line)
            if found:
                expected.append((path.relative_to(FIXTURE).as_posix(), number, found[1]))
    return sorted(expected)


def test_the_fixture_holds_one_unmarked_string_of_each_kind() -> None:
    kinds = [kind for _, _, kind in expected_in_fixture()]
    assert sorted(kinds) == sorted(
        ["template text", "messages", "ValidationError", "label", "verbose_name", "mail subject"]
    )


def test_the_scan_flags_each_of_them_and_nothing_else() -> None:
    found = t.scan(FIXTURE, t.files_under(FIXTURE))
    assert [(f.path, f.line, f.kind) for f in found] == expected_in_fixture()
    assert {f.text for f in found} == {
        "No notes yet.",
        "Saved.",
        "Enter a title.",
        "Title",
        "title",
        "Your note is saved",
    }


def test_no_component_has_an_unmarked_user_facing_string() -> None:
    found = t.scan(ROOT)
    assert found == [], "mark these for translation (docs/languages.md):\n" + "\n".join(
        map(str, found)
    )


def test_the_scan_reads_every_component_and_the_generated_templates() -> None:
    """The scan's reach does not shrink unnoticed: each component's runtime, its
    templates, and the templates written into a project are read."""
    read = {path.relative_to(ROOT).as_posix(): kind for path, kind in t.sources(ROOT)}
    components = {t.component_of(ROOT / path, ROOT) for path in read}
    manifests = ROOT.glob("quickscale_*/*/pyproject.toml")
    assert components == {"quickscale_core", *(t.component_of(m, ROOT) for m in manifests)}
    assert "quickscale_core/src/quickscale_core/i18n.py" in read
    assert read["quickscale_themes/starter/generate/project/__frontend__/templates/base.html.j2"]
    frontend = "quickscale_core/src/quickscale_toolchain/generator/templates/project/__frontend__"
    assert read[f"{frontend}/templates/home.html.j2"] == "j2"
    assert not [p for p in read if "/tests/" in p or "/migrations/" in p]
    assert {"python", "html", "txt", "j2"} <= set(read.values())


# One English literal appended to a copy of a real file: the scan flags it (and only it).
ADDED = [
    pytest.param(
        "quickscale_themes/starter/src/quickscale_themes/starter/templates/quickscale_starter/base.html",
        "<p>Welcome back</p>\n",
        "template text",
        id="theme-template",
    ),
    pytest.param(
        "quickscale_themes/starter/src/quickscale_themes/starter/templates/quickscale_starter/base.html",
        '<img src="/x.png" alt="A smiling face">\n',
        "template attribute",
        id="theme-template-attribute",
    ),
    pytest.param(
        "quickscale_themes/todo/src/quickscale_themes/todo/views.py",
        '\n\ndef added(request):\n    messages.warning(request, "Nothing saved.")\n',
        "messages",
        id="todo-view-message",
    ),
    pytest.param(
        "quickscale_themes/todo/src/quickscale_themes/todo/services.py",
        '\n\ndef added():\n    raise ValidationError(f"Too long by {3} characters.")\n',
        "ValidationError",
        id="todo-validation-error",
    ),
    pytest.param(
        "quickscale_modules/auth/src/quickscale_modules/auth/forms.py",
        '\n\nclass Added(forms.Form):\n    name = forms.CharField(label="Your name")\n',
        "label",
        id="auth-form-label",
    ),
    pytest.param(
        "quickscale_themes/todo/src/quickscale_themes/todo/models.py",
        '\n\nclass Added:\n    class Meta:\n        verbose_name = "to-do tag"\n',
        "verbose_name",
        id="todo-model-meta",
    ),
    pytest.param(
        "quickscale_modules/notifications/src/quickscale_modules/notifications/services.py",
        '\n\ndef added(user):\n    send_mail("Welcome aboard", "", None, [user.email])\n',
        "mail subject",
        id="notifications-mail-subject",
    ),
    pytest.param(
        "quickscale_themes/starter/generate/project/__frontend__/templates/base.html.j2",
        "{% raw %}<footer>Made with care</footer>{% endraw %}\n",
        "template text",
        id="generated-layout",
    ),
]


@pytest.mark.parametrize(("relative", "added", "kind"), ADDED)
def test_an_english_literal_added_to_a_component_file_is_flagged(
    relative: str, added: str, kind: str, tmp_path: Path
) -> None:
    original = ROOT / relative
    copy = tmp_path / original.name
    text = original.read_text(encoding="utf-8")
    text += "" if text.endswith("\n") else "\n"
    copy.write_text(text + added, encoding="utf-8")
    file_kind = "j2" if copy.name.endswith(".j2") else copy.suffix.lstrip(".")
    file_kind = "python" if file_kind == "py" else file_kind
    before = set(t.scan_file(original, file_kind, copy.name))
    after = set(t.scan_file(copy, file_kind, copy.name))
    line = len(text.splitlines()) + len(added.rstrip("\n").splitlines())
    assert [(f.line, f.kind) for f in after - before] == [(line, kind)]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        # the escape hatch, in Python and in a template
        ('raise Http404("no such row")  # i18n: not user-facing (a log)', []),
        ("<p>Beta</p>{# i18n: not user-facing (a code name) #}", []),
        # a marked string, however it is formatted
        ('messages.info(request, _("Hi %(n)s") % {"n": name})', []),
        ('ValidationError(_("Bad"), params={"x": "y"})', []),
        # unmarked, in the shapes a literal takes
        ('messages.error(request, "Failed: " + reason)', [("messages", "Failed:")]),
        (
            'ValidationError("Keep it under {}.".format(n))',
            [("ValidationError", "Keep it under {}.")],
        ),
        ('ValidationError({"title": "Too long."})', [("ValidationError", "Too long.")]),
        ('f(help_text="One" if a else _("Two"))', [("help_text", "One")]),
        ('EmailMessage(f"Hi {name}", body)', [("mail subject", "f'Hi {name}'")]),
        ('subject = "Your receipt"', [("mail subject", "Your receipt")]),
        ('HttpResponse("Thanks for paying.")', [("HttpResponse", "Thanks for paying.")]),
        ('HttpResponse("ok", content_type="text/plain")', []),
        (
            'forms.Field(error_messages={"required": "Fill it in."})',
            [("error_messages", "Fill it in.")],
        ),
        ('@admin.display(description="Items")\ndef f(): pass', [("description", "Items")]),
        ('f.short_description = "Total"', [("short_description", "Total")]),
        ('PermissionDenied("Staff only.")', [("PermissionDenied", "Staff only.")]),
        ('messages.add_message(request, messages.INFO, "Done.")', [("messages", "Done.")]),
        # not user-facing by the rules: logs, developers' errors, symbols
        ('log.warning("retrying %s", n); raise ValueError("bad config")', []),
        ('label = "quickscale_todo"', []),
        ('forms.CharField(label="→ 42")', []),
    ],
)
def test_the_python_rules(source: str, found: list[tuple[str, str]]) -> None:
    scanned = (
        t.scan_template(source, "x.html") if source.startswith("<") else t.scan_python(source, "x")
    )
    assert [(f.kind, f.text) for f in scanned] == found


BUTTON = "<{% if a %}a{% else %}button{% endif %}"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("<p>{% translate 'Hi' %} {{ name }} · ©</p>", []),
        ('<a title="{% translate "Go" %}" href="/">&rarr;</a>', []),
        (
            '<a title="Go" href="/">{% translate "Home" %}</a>',
            [(1, "template attribute", 'title="Go"')],
        ),
        ('<img alt="{{ user }} avatar">', [(1, "template attribute", 'alt="avatar"')]),
        (
            "<p>\n{% blocktranslate %}Hi {{ a }}{% endblocktranslate %}\nBye</p>",
            [(3, "template text", "Bye")],
        ),
        ("{% comment %}\nText\n{% endcomment %}<script>a = 'b';</script><style>p{}</style>", []),
        (f'<!-- a note -->{BUTTON} class="b">{{{{ a }}}}</{BUTTON[1:]}>', []),
    ],
)
def test_the_template_rules(source: str, found: list[tuple[int, str, str]]) -> None:
    assert [(f.line, f.kind, f.text) for f in t.scan_template(source, "x.html")] == found


def test_a_mail_text_template_is_text_throughout() -> None:
    source = "{% load i18n %}{% autoescape off %}\n<https://example.com>\nThanks, {{ name }}!\n"
    scanned = t.scan_template(source, "m.txt", html=False)
    assert [(f.line, f.text) for f in scanned] == [(2, "<https://example.com>"), (3, "Thanks, !")]


def test_a_generated_template_is_read_as_the_django_template_it_becomes() -> None:
    jinja = (
        "{#- a Jinja comment\nover two lines -#}\n"
        "{% raw %}<h1>{% endraw %}{{ project_title }}{% raw %}</h1>{% endraw %}\n"
        "{%- for link in links %}<a>{{ link.label }}</a>{% endfor %}\n"
        "{% raw %}<p>Plain words</p>{% endraw %}\n"
    )
    text = t.django_text_of(jinja)
    assert text.count("\n") == jinja.count("\n")
    assert [(f.line, f.text) for f in t.scan_template(text, "x.html.j2")] == [(5, "Plain words")]


# --- The catalogues ------------------------------------------------------------------


def test_core_every_theme_and_every_module_ship_spanish() -> None:
    """A language one component ships, every component ships (the freshness test fails
    a package with strings and no catalogue): Spanish, for now."""
    assert "es" in LANGUAGES
    spanish = {t.component_of(po, ROOT) for po in CATALOGUES if po.parents[1].name == "es"}
    assert spanish == {t.component_of(package, ROOT) for package in PACKAGES}
    assert len(spanish) == len(list(ROOT.glob("quickscale_*/*/pyproject.toml"))) + 1  # and core


@pytest.mark.usefixtures("gettext")
@pytest.mark.parametrize("po", CATALOGUES, ids=_id)
def test_each_catalogue_is_complete(po: Path) -> None:
    assert t.completeness(po) == ""


@pytest.mark.usefixtures("gettext")
@pytest.mark.parametrize("package", PACKAGES, ids=_id)
def test_each_catalogue_is_what_makemessages_makes_from_its_sources(package: Path) -> None:
    problems = [p for language in LANGUAGES for p in t.freshness(package, language, ROOT)]
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.usefixtures("gettext")
def test_compilemessages_compiles_every_shipped_catalogue(tmp_path: Path) -> None:
    """Django's own compilemessages, once over copies of every catalogue (the .mo files a
    project's workflow builds; the tree is not written to)."""
    for po in CATALOGUES:
        copy = tmp_path / po.relative_to(ROOT)
        copy.parent.mkdir(parents=True)
        shutil.copyfile(po, copy)
    command = [sys.executable, "-P", "-m", "django", "compilemessages"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    missing = [
        _id(po) for po in CATALOGUES if not (tmp_path / _id(po)).with_suffix(".mo").is_file()
    ]
    assert missing == []


@pytest.mark.usefixtures("gettext")
def test_every_string_written_into_a_project_is_in_a_catalogue_it_will_have() -> None:
    problems = t.generated_coverage(ROOT, LANGUAGES)
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.usefixtures("gettext")
def test_a_changed_source_string_makes_the_catalogue_stale(tmp_path: Path) -> None:
    """A copy of the starter theme's package: fresh once makemessages has run on it, as
    scripts/translations does; one {% translate %} text changed, the check fails and
    names the new text and the one gone."""
    package = ROOT / "quickscale_themes/starter/src/quickscale_themes/starter"
    copy = tmp_path / package.relative_to(ROOT)
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    t.makemessages(copy, "es")
    assert t.freshness(copy, "es", tmp_path) == []
    template = copy / "templates" / "500.html"
    text = template.read_text(encoding="utf-8")
    old = re.search(r'\{% translate "([^"]+)" %\}', text)
    assert old, "500.html has a {% translate %} to change"
    template.write_text(text.replace(old[0], '{% translate "Something else went wrong" %}', 1))
    problems = t.freshness(copy, "es", tmp_path)
    assert len(problems) == 1
    assert problems[0].where == "quickscale_themes/starter"
    assert "1 missing ('Something else went wrong')" in problems[0].what
    assert t.FIX in problems[0].what


PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


@pytest.mark.usefixtures("gettext")
@pytest.mark.parametrize(
    ("text", "complete"),
    [
        (PO_HEADER + 'msgid "Save"\nmsgstr "Guardar"\n', True),
        (PO_HEADER + '#, fuzzy\nmsgid "Save"\nmsgstr "Guardar"\n', False),
        (PO_HEADER + 'msgid "Save"\nmsgstr ""\n', False),
        (PO_HEADER + '#, python-format\nmsgid "Hi %(name)s"\nmsgstr "Hola %(nombre)s"\n', False),
        ("# A header comment\n#, fuzzy\n" + PO_HEADER + 'msgid "Save"\nmsgstr "Guardar"\n', False),
    ],
    ids=["translated", "fuzzy", "untranslated", "wrong-placeholder", "fuzzy-header"],
)
def test_completeness_is_what_msgfmt_says(text: str, complete: bool, tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(text, encoding="utf-8")
    assert (t.completeness(po) == "") is complete


def test_a_po_file_s_entries() -> None:
    text = PO_HEADER + (
        '#: x.py:1\nmsgid "One"\nmsgstr "Uno"\n\n'
        'msgctxt "verb"\nmsgid "Open"\nmsgstr "Abrir"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgid_plural "%(n)s lines"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Ido"\n'
    )
    assert t.read_po(text) == {
        (None, "One", None),
        ("verb", "Open", None),
        (None, "Two lines", "%(n)s lines"),
    }


# --- scripts/translations and docs/languages.md ----------------------------------------

DOC = ROOT / "docs" / "languages.md"
DOC_LINES = [
    line
    for block in re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    for line in block.splitlines()
    if line
]
DEMO_TEMPLATE = '{% load i18n %}<h1>{% translate "Hello" %}</h1>\n<p>Unmarked</p>\n'


def test_every_command_of_the_languages_doc_is_one_a_test_runs() -> None:
    """The doc's project commands are the ones the every-module project runs
    (test_combinations), its script commands the ones the next test runs."""
    project = [" ".join(("python manage.py", *c)) for c in (t.PROJECT_COMPILE, t.PROJECT_MAKE)]
    scripts = [f"scripts/translations{a}" for a in ("", " --check", " --compile", " -l fr")]
    assert sorted(DOC_LINES) == sorted(project + scripts)
    # A generated project's locale/README.md gives the same two commands.
    readme = ROOT / "quickscale_core/src/quickscale_toolchain/generator/templates/project"
    text = (readme / "locale" / "README.md.j2").read_text(encoding="utf-8")
    lines = re.findall(r"^python manage\.py .*$", text, re.MULTILINE)
    assert sorted(lines) == sorted(project)


@pytest.mark.usefixtures("gettext")
def test_the_script_makes_checks_and_compiles_a_catalogue(tmp_path: Path) -> None:
    """The doc's scripts/translations lines on a tree of one module: --check lists the
    unmarked string and the missing catalogue (exit 1); a plain run makes the catalogue,
    a rerun after a change remakes it; once translated and the string marked, --check
    passes, --compile builds the .mo, and -l fr makes a French catalogue."""
    package = tmp_path / "quickscale_modules/demo/src/quickscale_modules/demo"
    (package / "templates" / "demo").mkdir(parents=True)
    (package / "apps.py").write_text("")
    page = package / "templates" / "demo" / "page.html"
    page.write_text(DEMO_TEMPLATE)

    def script(line: str) -> subprocess.CompletedProcess[str]:
        assert line in DOC_LINES, line
        args = [str(SCRIPT), *shlex.split(line)[1:], "--root", str(tmp_path)]
        return subprocess.run(args, capture_output=True, text=True)

    checked = script("scripts/translations --check")
    assert checked.returncode == 1
    lines = checked.stderr.splitlines()
    assert lines[0] == (
        "quickscale_modules/demo/src/quickscale_modules/demo/templates/demo/page.html:2:"
        " unmarked template text: 'Unmarked'"
    )
    assert lines[1].startswith("quickscale_modules/demo: quickscale_modules/demo/src/")
    assert "no es catalogue — run 'scripts/translations'" in lines[1]
    assert lines[2:] == ["2 translation problem(s)"]

    made = script("scripts/translations")
    po = package / "locale/es/LC_MESSAGES/django.po"
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == [po.relative_to(tmp_path).as_posix()]
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and '"Language: es\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text

    page.write_text(DEMO_TEMPLATE.replace("Unmarked", '{% translate "Marked" %}'))
    checked = script("scripts/translations --check")
    assert checked.returncode == 1
    assert "1 missing ('Marked')" in checked.stderr

    assert script("scripts/translations").returncode == 0
    text = po.read_text(encoding="utf-8")
    for english, spanish in (("Hello", "Hola"), ("Marked", "Marcado")):
        entry = f'msgid "{english}"\nmsgstr '
        text = text.replace(f'{entry}""', f'{entry}"{spanish}"')
    po.write_text(text, encoding="utf-8")
    compiled = script("scripts/translations --compile")
    assert compiled.returncode == 0, compiled.stderr
    assert po.read_text(encoding="utf-8") == text  # nothing new: not even its date changed
    assert po.with_suffix(".mo").is_file()
    done = script("scripts/translations --check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("translations: every string marked")

    assert script("scripts/translations -l fr").returncode == 0
    french = package / "locale/fr/LC_MESSAGES/django.po"
    assert '"Language: fr\\n"' in french.read_text(encoding="utf-8")
    assert t.read_po(french.read_text(encoding="utf-8")) == t.read_po(text)
