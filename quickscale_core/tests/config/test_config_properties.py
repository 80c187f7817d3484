"""Property: no input makes validation crash, and every failure is a located message.

Thousands of documents: random text, random YAML-shaped data built from the schema's own
vocabulary, and mutations (cut, insert, duplicate, swap) of valid v1/v2 files. Run time
is bounded by fixed example counts and derandomized, so the suite is repeatable.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from config_samples import VALID_V1, VALID_V2, make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quickscale_toolchain.config import validate_text

SETTINGS = settings(
    max_examples=1500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

LINE = re.compile(r"^quickscale\.yml:\d+:\d+: (error|warning): \S.*: \S.*")


@pytest.fixture(scope="module")
def project_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield make_project(Path(tmp) / "p")


def check(text: str, project_dir: Path | None) -> None:
    result = validate_text(text, project_dir=project_dir)  # must never raise
    lines = text.count("\n") + text.count("\r") + 2
    for d in result.diagnostics:
        assert 1 <= d.line <= lines and d.column >= 1, d
        assert d.message.strip() and LINE.match(d.format()), d.format()
        assert "\n" not in d.format()
    if not result.ok:
        assert any(d.is_error for d in result.diagnostics)


# --- random text ----------------------------------------------------------------------
YAMLISH = st.sampled_from([*list(":-[]{}&*!|>'\"#%@`,?\t \n"), "  ", "\n  ", "- ", ": "])


@SETTINGS
@given(st.lists(st.one_of(YAMLISH, st.text(max_size=8)), max_size=40).map("".join))
def test_random_text(project_dir, text):
    check(text, project_dir)


# --- YAML-shaped data from the schema's vocabulary ------------------------------------
KEYS = st.sampled_from(
    [
        "schema_version",
        "project",
        "name",
        "version",
        "theme",
        "backend_extensions",
        "frontend",
        "source",
        "variant",
        "modules",
        "auth",
        "notifications",
        "provider",
        "customizations",
        "models",
        "fields",
        "type",
        "required",
        "max_length",
        "default",
        "to",
        "on_delete",
        "choices",
        "business_rules",
        "features",
        "primary",
        "nmae",
        "decimal_places",
        "max_digits",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 300),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "acme",
            "1.0.0",
            "stripe",
            "string",
            "decimal",
            "Product",
            "../x",
            "/etc",
            "",
            "default",
            "./custom_frontend/",
            "acme.backend_extensions",
            "foreign_key",
            "User",
            "class",
            "id",
            "2024-01-31",
            "set_null",
            "sendgrid",
        ]
    ),
    st.text(max_size=6),
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)


@SETTINGS
@given(
    st.dictionaries(KEYS, DATA, max_size=7),
    st.sampled_from([None, 1, 2, "2", 3]),
    st.booleans(),
)
def test_random_structures(project_dir, data, version, flow):
    if version is not None:
        data = {"schema_version": version, **data}
    check(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True), project_dir)


# --- mutations of valid files ---------------------------------------------------------
PIECES = st.sampled_from(
    [
        ":",
        "-",
        " ",
        "  ",
        "\t",
        "\n",
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!x ",
        "'",
        '"',
        "#",
        "[",
        "]",
        "{",
        "}",
        ",",
        "? ",
        "<<: ",
        "---\n",
        "\x00",
        "\x85",
        "é",
        "x: 1\n",
        "name: dup\n",
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([VALID_V1, VALID_V2]))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "insert", "duplicate", "swap"]))
        at = draw(st.integers(0, len(text)))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 30)) :]
        elif kind == "insert":
            text = text[:at] + draw(st.one_of(PIECES, st.text(max_size=4))) + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


@SETTINGS
@given(mutated())
def test_mutated_valid_files(project_dir, text):
    check(text, project_dir)


def test_the_unmutated_seeds_are_valid(project_dir):
    assert validate_text(VALID_V1, project_dir=project_dir).ok
    assert validate_text(VALID_V2, project_dir=project_dir).ok
