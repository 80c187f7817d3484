"""The docs say what the code does, for the facts a doc can silently drift from.

- docs/generation.md's wiring table is rendered from the components' manifests, one row
  per theme and module the checkout offers. Running this file rewrites the table:
  ``.venv/bin/python quickscale_core/tests/test_docs_drift.py``.
- docs/distribution.md names the keys and files of the skeleton ``quickscale extract``
  writes; they are the skeleton's.
- No README or doc tells anyone to install a ``quickscale-*`` distribution from a package
  index: QuickScale publishes none, and the public index's ``quickscale*`` names belong to
  an unrelated project (dependency confusion). Components come in by git subtree.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from quickscale_testing.repos import monorepo_root
from quickscale_toolchain.catalog import Catalog, Entry, from_directory
from quickscale_toolchain.distribution import skeleton
from quickscale_toolchain.manifest import Placed

ROOT = monorepo_root()
GENERATION = ROOT / "docs" / "generation.md"
DISTRIBUTION = ROOT / "docs" / "distribution.md"
TABLE_START = (
    "<!-- wiring table: rendered from the manifests by quickscale_core/tests/test_docs_drift.py -->"
)
TABLE_END = "<!-- end of the wiring table -->"


def code(text: str) -> str:
    return f"`{text}`"


def _placed(p: Placed) -> str:
    """A middleware by its class name, with where it goes."""
    return code(p.name.rsplit(".", 1)[-1]) + "".join(
        f" {side} {code(str(ref).rsplit('.', 1)[-1])}"
        for side, ref in (("after", p.after), ("before", p.before))
        if ref
    )


def _row(entry: Entry) -> list[str]:
    """One component's row: what ``generator/wiring.py`` adds to the project for it."""
    m = entry.manifest
    name = code(m.component.id) + (" (default)" if m.default else "")
    requirements = code(f"-e ./{m.component.prefix}")
    if m.pins:
        requirements += "; pins " + ", ".join(code(pin) for pin, _ in m.pins)
    urls = [
        code(f'path("{u.prefix}", include("{u.module}"))')
        + ("" if u.localized else " (never under a language prefix)")
        for u in m.urls
    ]
    also = []
    if m.project_files:
        also.append(f"project files from {code(m.project_files.rstrip('/') + '/')}")
    if m.backend_extensions:
        also.append(f"{code(m.backend_extensions)} appended to {code('backend_extensions.py')}")
    data = m.settings_data
    apps = [f"{code(a.name)} before {code(a.before or '')}" for a in data.apps]
    apps += [code(app) for app in m.apps]
    middleware = [_placed(p) for p in data.middleware]
    plain = [s for option, (s, _) in data.options.items() if option not in data.switches]
    written = [*data.values, *plain, *data.collects]
    written += [n for extra in data.theme_values.values() for n in extra]
    settings = [code(n) for n in dict.fromkeys(written)]
    for option, (more_apps, more_middleware) in data.switches.items():
        brought = [code(data.options[option][0]), *map(code, more_apps)]
        brought += map(_placed, more_middleware)
        settings.append(f"{', '.join(brought)} with option {code(option)} on")
    if data.context_processors:
        settings.append("context processors " + ", ".join(map(code, data.context_processors)))
    if data.replaces:
        settings.append("replaces " + ", ".join(map(code, data.replaces)))
    return [
        name,
        ", ".join(code(r.id) for r in m.requires) or "—",
        requirements,
        ", ".join(apps) or "—",
        ", ".join(middleware) or "—",
        "; ".join(settings) or "—",
        ", ".join(urls) or "—",
        "; ".join(also) or "—",
    ]


def wiring_table(catalog: Catalog) -> str:
    """The Markdown table of every component's wiring, in the catalogue's order."""
    header = [
        "component",
        "requires",
        "requirements.txt",
        "INSTALLED_APPS",
        "MIDDLEWARE",
        "settings.py",
        "urls.py",
        "also",
    ]
    rows = [header, ["---"] * len(header), *(_row(e) for e in catalog)]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in rows) + "\n"


def table_span(text: str) -> tuple[int, int]:
    """Where the wiring table lies in docs/generation.md, between its two markers."""
    start = text.index(TABLE_START) + len(TABLE_START) + 1
    return start, text.index(TABLE_END, start)


def documented_table(text: str) -> str:
    start, end = table_span(text)
    return text[start:end]


def offered() -> Catalog:
    """Every theme and module of this checkout (the folders are the catalogue)."""
    return from_directory(ROOT, origin="source")


def test_the_wiring_table_has_a_row_for_every_component_the_source_offers() -> None:
    rows = documented_table(GENERATION.read_text(encoding="utf-8")).splitlines()[2:]
    documented = [re.match(r"\| `([a-z]+/[a-z_]+)`", row) for row in rows]
    assert all(documented), rows
    offered_ids = [e.component.id for e in offered()]
    assert len(offered_ids) >= 9  # two themes and seven modules at least
    assert [m.group(1) for m in documented if m] == offered_ids


def test_the_wiring_table_is_the_manifests() -> None:
    expected = wiring_table(offered())
    assert documented_table(GENERATION.read_text(encoding="utf-8")) == expected, (
        "docs/generation.md's wiring table differs from the manifests; run "
        "'.venv/bin/python quickscale_core/tests/test_docs_drift.py' to rewrite it as:\n" + expected
    )


def test_the_table_states_each_manifest_fact_it_shows() -> None:
    """The renderer itself is checked on one row: a regression in it would otherwise
    make the doc and the test agree on a wrong table."""
    entry = offered().get("modules/auth")
    assert entry is not None
    row = _row(entry)
    assert row[0] == "`modules/auth`"
    assert row[2] == "`-e ./quickscale_modules/auth`; pins `django-allauth`"
    assert row[3] == "`quickscale_modules.auth`, `allauth`, `allauth.account`"
    assert row[4] == "`AccountMiddleware` after `XFrameOptionsMiddleware`"
    assert row[5].startswith("`LOGIN_URL`; ")
    sessions = "`QUICKSCALE_AUTH_SESSIONS`, `allauth.usersessions` with option `sessions` on"
    assert f"; {sessions};" in row[5]
    assert row[5].endswith("; replaces `axes`, `axes.middleware.AxesMiddleware`")
    assert row[6] == (
        '`path("accounts/", include("quickscale_modules.auth.provider_urls"))` (never under a '
        'language prefix), `path("accounts/", include("quickscale_modules.auth.urls"))`'
    )


def skeleton_section(text: str) -> str:
    start = text.index("\n## 6. Extract client code into a module")
    return text[start : text.index("\n## ", start + 1)]


def test_distribution_md_names_the_skeleton_s_manifest_keys() -> None:
    section = skeleton_section(DISTRIBUTION.read_text(encoding="utf-8"))
    sentence = re.search(r"`\[tool\.quickscale\]` table that has (.*?) \(", section, re.S)
    assert sentence, section
    documented = re.findall(r"`([a-z-]+)`", sentence.group(1))
    written = tomllib.loads(skeleton.files("invoicing", "acme", "acme", "0.1.0")["pyproject.toml"])
    assert documented == list(written["tool"]["quickscale"])


def test_distribution_md_lists_the_skeleton_s_files() -> None:
    section = skeleton_section(DISTRIBUTION.read_text(encoding="utf-8"))
    listed = re.search(r"adds the\s+standard skeleton:\n\n((?:- .*\n(?:  .*\n)*)+)", section)
    assert listed, section
    documented = {
        path.replace("<name>", "invoicing")
        for path in re.findall(r"^- `([^`]+)`", listed.group(1), re.MULTILINE)
    }
    assert documented == set(skeleton.files("invoicing", "acme", "acme", "0.1.0"))


# An install command (pip, uv pip/add/tool, pipx, poetry) and what follows it on the line.
INSTALL = re.compile(
    r"\b(?:pip3?\s+install|uv\s+pip\s+install|uv\s+add|uv\s+tool\s+install|pipx\s+install"
    r"|poetry\s+add)\b(?P<args>[^\n`]*)"
)
# A distribution name of ours, as an index would know it (quickscale-core, quickscale_x…).
OURS = re.compile(r"quickscale(?:[-_][a-z0-9_-]+)?(?:\[[^\]]*\])?(?:[=<>~!;].*)?")
# A requirement line or specifier naming one, with or without an install command:
# `quickscale-module-auth==0.1.0` is as much an invitation as `pip install` is.
PINNED = re.compile(r"(?<![\w./-])quickscale[-_][a-z0-9_-]+\s*(?:==|>=|~=|<=|!=)\s*\d")


def index_installs(text: str) -> list[str]:
    """The lines of ``text`` that would fetch a ``quickscale*`` distribution from an index."""
    found = []
    for line in text.splitlines():
        if PINNED.search(line):
            found.append(line.strip())
            continue
        for command in INSTALL.finditer(line):
            # Options (-r file, -e ./path, --with ./path) and local paths are not names.
            names = [
                arg
                for arg in re.split(r"\s+", command.group("args").strip())
                if arg and not arg.startswith(("-", ".", "/", "~"))
            ]
            if any(OURS.fullmatch(name.strip("'\"")) for name in names):
                found.append(line.strip())
    return found


@pytest.mark.parametrize(
    ("line", "offends"),
    [
        ("pip install quickscale-module-notifications", True),
        ("    pip install quickscale-core==0.1.0", True),
        ("$ pip3 install 'quickscale-cli>=0.1'", True),
        ("uv tool install quickscale", True),
        ("pipx install quickscale-cli", True),
        ("uv add quickscale-module-auth", True),
        ("pip install django quickscale_modules_auth", True),
        ("    -e ./quickscale_modules/auth          # or quickscale-module-auth==0.1.0", True),
        ("dependencies = ['quickscale-theme-starter>=0.1']", True),
        ("uv tool install ./quickscale_cli --with ./quickscale_core", False),
        ("pip install -r requirements-dev.txt", False),
        ("installed with `pip install -e ./quickscale_core`.", False),
        ("pip install -e quickscale_modules/auth", False),
        ("(`pipx install uv` or `pip install uv` gets it)", False),
        ("PyPI's `quickscale-core` and `quickscale-cli` are unrelated projects.", False),
        ("pip install django-allauth==65.21.1", False),
        ("git subtree add --prefix=quickscale_modules/auth", False),
    ],
)
def test_what_counts_as_installing_ours_from_an_index(line: str, offends: bool) -> None:
    assert bool(index_installs(line)) is offends


def documents() -> list[Path]:
    """Every README and doc of the checkout, tracked or new (git's ignore rules apply),
    templates of generated projects' docs included."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    suffixes = (".md", ".md.j2", ".rst", ".txt")
    return [ROOT / p for p in listed.split("\0") if p.lower().endswith(suffixes)]


def test_no_readme_or_doc_installs_a_quickscale_distribution_from_an_index() -> None:
    docs = [p for p in documents() if p.is_file()]
    assert GENERATION in docs and ROOT / "quickscale_modules/auth/README.md" in docs
    offending = {
        str(path.relative_to(ROOT)): lines
        for path in docs
        if (lines := index_installs(path.read_text(encoding="utf-8", errors="replace")))
    }
    assert offending == {}, (
        "components come into a project by quickscale.yml and 'quickscale generate' (git "
        "subtree), never from a package index, whose quickscale* names are not ours"
    )


def main() -> None:
    """Rewrite docs/generation.md's wiring table from the manifests."""
    text = GENERATION.read_text(encoding="utf-8")
    start, end = table_span(text)
    GENERATION.write_text(text[:start] + wiring_table(offered()) + text[end:], encoding="utf-8")
    print(f"{GENERATION.relative_to(ROOT)}: wiring table rewritten", file=sys.stderr)


if __name__ == "__main__":
    main()
