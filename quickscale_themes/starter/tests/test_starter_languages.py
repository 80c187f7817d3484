"""Languages: the layout's switcher (no JavaScript), ``lang``/``dir`` from the active
language, the Spanish catalogue, and the strings of the pages the theme generates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import translation
from django.views import defaults
from quickscale_testing.modules import compile_catalogues
from quickscale_testing.starter import audit

pytestmark = pytest.mark.django_db

ENGLISH_SPANISH = [("en", "English"), ("es", "Español")]
WITH_ARABIC = [*ENGLISH_SPANISH, ("ar", "العربية")]
SWITCHER = '<form class="language-switcher"'
THEME = Path(__file__).resolve().parents[1]
STYLESHEET = THEME / "src/quickscale_themes/starter/static/quickscale_starter/css/starter.css"


@pytest.fixture(scope="session", autouse=True)
def spanish() -> None:
    compile_catalogues("quickscale_themes.starter")


def test_no_switcher_when_the_site_offers_one_language(client: Client) -> None:
    html = client.get("/").content.decode()
    assert SWITCHER not in html
    assert '<html lang="en" dir="ltr">' in html


@override_settings(LANGUAGES=ENGLISH_SPANISH)
def test_switcher_is_a_labelled_form_naming_each_language_in_itself(client: Client) -> None:
    html = client.get("/?page=2").content.decode()
    form = html[html.index(SWITCHER) : html.index("</form>", html.index(SWITCHER))]
    assert 'method="post" action="/i18n/setlang/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/?page=2">' in form
    label = '<label class="language-switcher__label" for="language-switcher">Language</label>'
    assert label in form
    options = re.findall(r"<option [^>]*>[^<]*</option>", form)
    assert options == [
        '<option value="en" lang="en" dir="ltr" selected>English</option>',
        '<option value="es" lang="es" dir="ltr">español</option>',
    ]
    assert ">Change language</button>" in form
    assert "<script" not in form and "style=" not in form
    assert audit(html).unlabelled() == []


@override_settings(LANGUAGES=ENGLISH_SPANISH)
def test_posting_the_switcher_speaks_spanish_on_the_next_page(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    page = audit(html)
    assert (page.lang, page.dir) == ("es", "ltr")
    assert page.title.strip() == "Inicio · Acme Starter"
    assert "Saltar al contenido principal" in html
    assert "Tu proyecto está en marcha." in html
    assert '<option value="es" lang="es" dir="ltr" selected>español</option>' in html
    assert ">Cambiar idioma</button>" in html


@override_settings(LANGUAGES=WITH_ARABIC)
def test_a_right_to_left_language_sets_dir_rtl(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get("/").content.decode()
    assert (audit(html).lang, audit(html).dir) == ("ar", "rtl")
    # No Arabic catalogue: the text stays English, the layout is mirrored all the same.
    assert "Skip to main content" in html
    assert '<option value="ar" lang="ar" dir="rtl" selected>' in html


def test_error_pages_speak_the_request_s_language() -> None:
    with translation.override("es"):
        html = defaults.server_error(RequestFactory().get("/")).content.decode()
    assert (audit(html).lang, audit(html).title) == ("es", "Error del servidor")
    assert "Algo salió mal" in html


def test_stylesheet_lays_out_by_direction_not_by_side() -> None:
    """The layout mirrors for right-to-left languages: logical properties, never left/right."""
    css = STYLESHEET.read_text()
    assert not re.findall(r"(?:margin|padding|border)-(?:left|right)|[{;\s](?:left|right):", css)


def generated_templates() -> list[Path]:
    """The .j2 pages a project gets: this theme's generate/ and core's generated frontend."""
    from quickscale_toolchain.generator.render import templates_root

    frontend = templates_root() / "project" / "__frontend__"
    return [*sorted((THEME / "generate").rglob("*.j2")), *sorted(frontend.rglob("*.html.j2"))]


def marked_strings(source: str) -> set[str]:
    """The msgids a .j2 file marks: Django's translate/blocktranslate and Python's _()."""
    text = source.replace("{% raw %}", "").replace("{% endraw %}", "")
    found = set(re.findall(r'{% translate "([^"{}]+)" %}', text))
    found |= set(re.findall(r'\b_\("([^"]+)"\)', text))
    for body in re.findall(r"{% blocktranslate trimmed[^%]*%}(.*?){% endblocktranslate %}", text):
        found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", " ".join(body.split())))
    return found


def test_the_catalogue_translates_every_string_of_the_generated_pages() -> None:
    """makemessages does not read .j2: project_strings.py lists what only they use."""
    marked = set().union(*(marked_strings(p.read_text()) for p in generated_templates()))
    assert {"Admin", "Profile", "Open the admin", "for Client A", "Skip to main content"} <= marked
    with translation.override("es"):
        untranslated = sorted(m for m in marked if translation.gettext(m) == m)
    assert untranslated == []
