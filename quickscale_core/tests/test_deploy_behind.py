"""How far the generated code is behind quickscale.yml, in the words deploy and status
print: a table over ``project_status``'s pending (path, state) list."""

from __future__ import annotations

import pytest
from quickscale_toolchain.deploy.preflight import generated_behind

MANIFEST = (".quickscale/manifest.json", "records")

CASES = [
    ("nothing pending", [], ""),
    ("one file", [("acme/settings.py", "updated")], "1 file"),
    (
        "a generate that stopped owing its migration or commit",
        [(".quickscale/pending.json", "unfinished")],
        "the migration or commit of a generate that stopped",
    ),
    (
        "files of every state, the records, a module",
        [
            ("acme/settings.py", "updated"),
            ("tests/test_auth_module.py", "new"),
            ("acme/urls.py", "merged"),
            ("README.md", "conflict"),
            ("old.py", "removed"),
            MANIFEST,
            ("quickscale_modules/auth/", "embed"),
        ],
        "5 files, 1 module to embed",
    ),
    (
        "subtrees of both kinds, both ways",
        [
            ("quickscale_themes/todo/", "embed"),
            ("quickscale_themes/starter/", "remove"),
            ("quickscale_modules/auth/", "embed"),
            ("quickscale_modules/payments/", "embed"),
        ],
        "1 theme to embed, 1 theme to remove, 2 modules to embed",
    ),
    ("only the records (a generate killed before them)", [MANIFEST], "its records in .quickscale/"),
]


@pytest.mark.parametrize(("pending", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_generated_behind_in_words(pending: list[tuple[str, str]], words: str) -> None:
    assert generated_behind(pending) == words
