"""Free text of quickscale.yml stays data in the generated code.

Descriptions, business rules, help texts, choices and defaults reach Python modules of
the project. Whatever they hold — quotes, triple quotes, backslashes, ``\\N{...}``, line
and paragraph separators, Jinja delimiters, ``#`` — each must come back from the
generated module as exactly the same string constant, and never as code.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

from gen_support import config, write_config
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.customizations import help_text_html as escape
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.scaffold import write_files

PYTHON_FILES = (
    "acme/generated_models.py",
    "acme/generated_admin.py",
    "acme/generated_forms.py",
    "acme/services.py",
    "tests/test_generated_models.py",
)

#: Pieces that broke, or could break, code built by pasting text between quotes.
TRICKY = [
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    "\\N{BULLET}",
    "\\x",
    "\\u00e9",
    "\u2028",
    "\u2029",
    "\x85",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "#",
    "# noqa",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x0b\x0c",
    "\ufeff",
    "\u200b",
    "e\u0301",
    "漢字",
    "🙂",
    "  ",
    "{x}",
    'f"{x}"',
    "\x00",
    "\x1b[31m",
]
MARKER_PAYLOAD = '"""\nimport pathlib; pathlib.Path("MARKER").write_text("x")\n"""'
#: Valid Python once pasted between triple quotes, even with its lines re-wrapped.
RUNNING_PAYLOAD = 'x"""; import pathlib; pathlib.Path("MARKER").write_text("x"); """'

text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(TRICKY)), max_size=10).map("".join)
#: Text a database stores (a field's defaults): anything but NUL.
stored_text = text.map(lambda value: value.replace("\x00", ""))
#: A choice names a value: no control characters (validate refuses them outside free text).
choice_text = text.map(lambda value: "".join(c for c in value if unicodedata.category(c) != "Cc"))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | stored_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(stored_text, inner, max_size=3),
    max_leaves=6,
)


def free_text_config(
    description: str,
    rule: str,
    help_text: str,
    choices: list[str],
    label: str,
    data: Any,
) -> dict[str, Any]:
    """One model using every free-text attribute, and one business rule."""
    fields = [
        {
            "name": "state",
            "type": "string",
            "max_length": 1000,
            "choices": choices,
            "default": choices[-1],
            "help_text": help_text,
        },
        {"name": "label", "type": "string", "max_length": 1000, "default": label},
        {"name": "note", "type": "text", "default": label, "help_text": description},
        {"name": "data", "type": "json", "default": data},
    ]
    model = {"name": "Thing", "description": description, "fields": fields}
    return config(models=[model], rules=[rule])


def render(data: dict[str, Any]) -> dict[str, ast.Module]:
    """The generated Python modules of ``data``, parsed (a SyntaxError fails the test)."""
    files = render_project(spec_from_config(data))
    return {
        path: ast.parse(files[path].content.decode("utf-8"), path)
        for path in PYTHON_FILES
        if path in files  # a config without models has no test module for them
    }


def class_body(module: ast.Module, name: str) -> list[ast.stmt]:
    (found,) = [n for n in module.body if isinstance(n, ast.ClassDef) and n.name == name]
    return found.body


def assigned(body: list[ast.stmt], target: str) -> ast.expr:
    """The value of the ``target = ...`` statement of ``body``."""
    for statement in body:
        if isinstance(statement, ast.Assign) and [ast.unparse(t) for t in statement.targets] == [
            target
        ]:
            return statement.value
    raise AssertionError(f"no assignment to {target}")


def field_arguments(module: ast.Module, field: str) -> dict[str, Any]:
    """The keyword arguments of a field declaration of Thing, evaluated as literals."""
    call = assigned(class_body(module, "Thing"), field)
    assert isinstance(call, ast.Call)
    return {keyword.arg: literal_value(keyword.value) for keyword in call.keywords}


def literal_value(node: ast.expr) -> Any:
    """A literal's value; a JSON default is a callable giving it (``dict``, ``list``, or
    ``functools.partial(copy.deepcopy, <literal>)``), taken as the value it gives."""
    if isinstance(node, ast.Name) and node.id in {"dict", "list"}:
        return {"dict": {}, "list": []}[node.id]
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "functools.partial":
        assert [ast.unparse(arg) for arg in node.args[:1]] == ["copy.deepcopy"]
        (value,) = node.args[1:]
        return ast.literal_eval(value)
    return ast.literal_eval(node)


def string_constant(node: ast.expr) -> str:
    assert isinstance(node, ast.Constant) and isinstance(node.value, str), ast.dump(node)
    return node.value


def check_round_trip(
    description: str, rule: str, help_text: str, choices: list[str], label: str, data: Any
) -> None:
    modules = render(free_text_config(description, rule, help_text, choices, label, data))
    models = modules["acme/generated_models.py"]
    doc = string_constant(assigned(class_body(models, "Thing"), "__doc__"))
    assert doc == (description or "Thing model, declared in quickscale.yml.")
    state = field_arguments(models, "state")
    assert state["choices"] == [(choice, choice) for choice in choices]
    # Help texts are HTML to Django: the text as written, escaped (test_customizations).
    assert state["default"] == choices[-1] and state.get("help_text", "") == escape(help_text)
    assert field_arguments(models, "label")["default"] == label
    note = field_arguments(models, "note")
    assert note["default"] == label and note.get("help_text", "") == escape(description)
    assert field_arguments(models, "data")["default"] == data

    (stub,) = [n for n in modules["acme/services.py"].body if isinstance(n, ast.FunctionDef)]
    assert string_constant(assigned(stub.body, "rule")) == rule

    tests = modules["tests/test_generated_models.py"]
    (admin_data,) = [
        n for n in tests.body if isinstance(n, ast.FunctionDef) and n.name == "_admin_data_thing"
    ]
    returned = admin_data.body[-1]
    assert isinstance(returned, ast.Return) and isinstance(returned.value, ast.Dict)
    keys = [ast.literal_eval(key) for key in returned.value.keys if key is not None]
    posted = dict(zip(keys, returned.value.values, strict=True))
    assert ast.literal_eval(posted["state"]) == choices[0]


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    description=text,
    rule=text.filter(lambda t: t != ""),
    help_text=text,
    choices=st.lists(choice_text.filter(lambda t: t != ""), min_size=1, max_size=3, unique=True),
    label=stored_text,
    data=json_values,
)
@example(
    description=MARKER_PAYLOAD,
    rule=MARKER_PAYLOAD,
    help_text='Price in "USD"',
    choices=["trailing backslash \\", "\\N{BULLET}"],
    label="{{ project_name }} {% if %} {# #} # not a comment",
    data={'"""': ["\u2028", "\\"]},
)
def test_every_free_text_value_comes_back_as_the_same_string_constant(
    description: str, rule: str, help_text: str, choices: list[str], label: str, data: Any
) -> None:
    check_round_trip(description, rule, help_text, choices, label, data)


#: Fixed payloads for the tests below that run tools on the generated files.
PAYLOADS = {
    "description": RUNNING_PAYLOAD,
    "rule": RUNNING_PAYLOAD.replace("MARKER", "RULE_MARKER") + MARKER_PAYLOAD + " \\",
    "help_text": 'Price in "USD", it\'s \\N{EURO SIGN} \u2028 {{ x }} # no',
    "choices": ['Price in "USD"', "trailing \\", "漢字" * 60, "long " * 30],
    "label": "#" + "\u0301e" * 80 + "🙂" * 40,
    "data": {"k": ["'''", {"nested": "x" * 120}]},
}


def payload_config() -> dict[str, Any]:
    return free_text_config(**PAYLOADS)


def test_fixed_payloads_come_back_exactly() -> None:
    check_round_trip(**PAYLOADS)


def test_generated_code_with_tricky_text_passes_ruff_check_and_format(tmp_path: Path) -> None:
    """The project's CI runs ruff; long and wide text must not make it fail."""
    write_files(tmp_path, render_project(spec_from_config(payload_config())))
    ruff = [sys.executable, "-m", "ruff"]
    files = list(PYTHON_FILES)
    check = subprocess.run([*ruff, "check", *files], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [*ruff, "format", "--check", "--diff", *files], cwd=tmp_path, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


CLI = str(Path(sys.executable).with_name("quickscale"))


def test_generate_never_runs_config_text_and_the_project_still_works(
    initialized_project: Path, project_env, tmp_path: Path
) -> None:
    """The real `quickscale generate` (with its makemigrations, which imports the models)."""
    project = initialized_project
    env = project_env()
    write_config(project, payload_config())
    result = subprocess.run(
        [CLI, "generate"], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Create model Thing" in result.stdout
    assert sorted(p.name for p in tmp_path.rglob("*MARKER*")) == []  # makemigrations imported it
    for command in (["manage.py", "check"], ["-m", "pytest", "-p", "no:cacheprovider", "-q"]):
        ran = subprocess.run(
            [sys.executable, *command], cwd=project, env=env, capture_output=True, text=True
        )
        assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-2000:]
    # check and pytest imported the generated modules too
    assert sorted(p.name for p in tmp_path.rglob("*MARKER*")) == []


def test_business_rule_stubs_get_distinct_names_even_when_a_suffix_collides() -> None:
    modules = render(config(models=[], rules=["No refunds", "no refunds!", "No refunds 2"]))
    stubs = [n for n in modules["acme/services.py"].body if isinstance(n, ast.FunctionDef)]
    names = [stub.name for stub in stubs]
    assert names == ["check_no_refunds", "check_no_refunds_2", "check_no_refunds_2_2"]
    texts = [string_constant(assigned(stub.body, "rule")) for stub in stubs]
    assert texts == ["No refunds", "no refunds!", "No refunds 2"]
