"""Headless Chromium for the auth module's browser walks (Debian's, driven by
Playwright): launching it, hearing each Content-Security-Policy violation, and
axe-core's serious findings in the light and the dark colour scheme."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quickscale_testing.modules import unavailable

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
# Reports each Content-Security-Policy violation to Python (an init script runs through
# the DevTools protocol, before the page's scripts; the policy stays in force).
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (event) => {
  window.__qsCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI} on `
    + `${document.location.href}`);
});"""


@contextmanager
def launched() -> Iterator[Any]:
    """A headless Chromium, closed afterwards (absent: skipped here, fatal under CI)."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def watch_csp(target: Any, violations: list[str]) -> None:
    """Append each CSP violation of ``target`` (a page, or a context: all its pages) to
    ``violations``, as "<directive> blocked <uri> on <page>"."""
    # A lambda: Playwright reads the handler's signature, which a builtin method lacks.
    target.expose_function("__qsCspViolation", lambda text: violations.append(text))
    target.add_init_script(CSP_LISTENER)


def axe_findings(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, light and dark (the pinned
    axe-playwright-python package's axe.min.js, injected: nothing fetched)."""
    from importlib import resources

    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate((resources.files("axe_playwright_python") / "axe.min.js").read_text())
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [
            f"[{scheme}] {rule['id']}: {rule['help']} at {node['target']} on {page.url}"
            for rule in results["violations"]
            if rule["impact"] in ("serious", "critical")
            for node in rule["nodes"]
        ]
    page.emulate_media(color_scheme="light")
    return found
