"""A tiny HTML audit for tests: page title, ``lang``/``dir`` and whether every form control
is labelled; and the theme catalogues compiled for tests that switch language.

Test support (stdlib only at import time), not in the theme's wheel nor in a project's
image: a project's own tests, which get it through the theme's editable install, can hold
its pages to the same accessibility basics as the theme's:
``assert audit(html).unlabelled() == []``.
"""

from __future__ import annotations

from html.parser import HTMLParser


class FormAudit(HTMLParser):
    """Collects what the check needs: title, lang, labels and form controls."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.lang = ""
        self.dir = ""
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self._in_title = False
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "html":
            self.lang = attributes.get("lang", "")
            self.dir = attributes.get("dir", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in {"input", "select", "textarea"} and attributes.get("type", "text") not in {
            "hidden",
            "submit",
            "button",
            "reset",
        }:
            attributes["_wrapped"] = "1" if self._label_depth else ""
            self.controls.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label" and self._label_depth:
            self._label_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def unlabelled(self) -> list[dict[str, str]]:
        """Controls with neither a <label for>, a wrapping <label> nor an aria-label."""
        return [
            control
            for control in self.controls
            if not control["_wrapped"]
            and control.get("id", "") not in self.label_for
            and not control.get("aria-label")
        ]


def audit(html: str) -> FormAudit:
    """Parse ``html`` and return the collected facts."""
    parser = FormAudit()
    parser.feed(html)
    return parser
