"""The example shop a project receives (generate/project) is translated by this module's
catalogue, which makemessages builds from the package alone: every text of the shop's
files must be in it (project_strings.py lists them), or a Spanish shop shows English."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

import quickscale_modules.payments

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SHOP = PACKAGE_DIR / "generate/project/__frontend__/templates/payments_example/shop.html.j2"
VIEWS = PACKAGE_DIR / "generate/project/__project__/payments_example.py.j2"
CATALOGUE = Path(quickscale_modules.payments.__path__[0]) / "locale/es/LC_MESSAGES/django.po"


def _texts(python: str) -> set[str]:
    found = extract("python", io.BytesIO(python.encode()), keywords=DEFAULT_KEYWORDS)
    return {text if isinstance(text, str) else text[0] for _, text, _, _ in found}


def test_every_text_of_the_example_shop_is_in_the_catalogue() -> None:
    template = SHOP.read_text().replace("{% raw %}", "").replace("{% endraw %}", "")
    texts = _texts(templatize(template)) | _texts(VIEWS.read_text())
    assert {"Shop", "Pay %(price)s", "Only staff may refund a payment."} <= texts
    with CATALOGUE.open("rb") as po:
        translated = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(po) if m.string}
    assert sorted(texts - translated) == []
