"""Property: random user edits + random config changes + generate never lose a user line.

Every line a user added survives regeneration: either merged into the new file, or kept
inside conflict markers, in which case the plan reports that file as a conflict (the
CLI exits 1). Without conflicts the project is then in sync (a rerun has nothing to do).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from gen_support import BASE_CONFIG, config, generate, make_project, write_config
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from quickscale_toolchain.generator.merge import has_conflict_markers
from quickscale_toolchain.generator.plan import Status
from quickscale_toolchain.generator.sync import plan_project

PRODUCT = {"name": "Product", "fields": [{"name": "name", "type": "string"}]}
PRODUCT_SKU = {
    "name": "Product",
    "fields": [{"name": "name", "type": "string"}, {"name": "sku", "type": "slug"}],
}
ORDER = {
    "name": "Order",
    "fields": [
        {"name": "product", "type": "foreign_key", "to": "Product"},
        {"name": "total", "type": "decimal"},
    ],
}
CUSTOMER = {
    "name": "Customer",
    "fields": [{"name": "email", "type": "email"}, {"name": "vip", "type": "boolean"}],
}
RULES = ["Orders over $1000 need manager approval", "Products need approval", "No refunds"]
EDITABLE = [
    "acme/settings.py",
    "acme/models.py",
    "acme/admin.py",
    "acme/urls.py",
    "acme/generated_models.py",
    "acme/generated_admin.py",
    "acme/services.py",
    "README.md",
    ".gitignore",
    "pyproject.toml",
    "custom_frontend/templates/base.html",
    "web/templates/base.html",
    "web/variants/client_a/static/css/variant.css",
]


@st.composite
def configs(draw: st.DrawFn) -> dict:
    models = []
    product = draw(st.sampled_from([None, PRODUCT, PRODUCT_SKU]))
    if product:
        models.append(product)
        if draw(st.booleans()):
            models.append(ORDER)
    if draw(st.booleans()):
        models.append(CUSTOMER)
    rules = draw(st.lists(st.sampled_from(RULES), unique=True, max_size=3))
    variant = draw(st.sampled_from(["default", "client_a"]))
    data = config(models=models, rules=rules, variant=variant)
    data["frontend"]["source"] = draw(st.sampled_from(["./custom_frontend/", "./web/"]))
    data["project"]["version"] = draw(st.sampled_from(["0.1.0", "1.0.0"]))
    return data


edits = st.lists(
    st.tuples(
        st.sampled_from(EDITABLE),
        st.sampled_from(["insert", "replace", "append"]),
        st.floats(min_value=0, max_value=1),
    ),
    min_size=1,
    max_size=6,
)

_TEMPLATE: list[Path] = []


def _template_project() -> Path:
    """One base project, copied per example (copying is much cheaper than rendering)."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="qs-prop-"))
        _TEMPLATE.append(make_project(folder / "acme", BASE_CONFIG))
    return _TEMPLATE[0]


def apply_edits(root: Path, chosen: list[tuple[str, str, float]]) -> dict[str, list[str]]:
    """Edit files as a user would; return the lines the user added, per file."""
    added: dict[str, list[str]] = {}
    for number, (path, kind, where) in enumerate(chosen):
        target = root / path
        if not target.is_file():  # e.g. the frontend lives in the other directory
            continue
        lines = target.read_text().splitlines(keepends=True)
        line = f"# user line {number} in {path}\n"
        index = min(int(where * len(lines)), max(len(lines) - 1, 0))
        if kind == "append" or not lines:
            lines.append(line)
        elif kind == "insert":
            lines.insert(index, line)
        else:
            mine = {earlier for of_file in added.values() for earlier in of_file}
            if lines[index].rstrip("\n") in mine:
                lines.insert(index, line)  # never replace the user's own earlier line
            else:
                lines[index] = line
        target.write_text("".join(lines))
        added.setdefault(path, []).append(line.rstrip("\n"))
    return added


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(start=configs(), user_edits=edits, end=configs())
def test_regeneration_never_loses_a_user_line(start, user_edits, end):
    with tempfile.TemporaryDirectory(prefix="qs-example-") as work:
        root = Path(work) / "acme"
        shutil.copytree(_template_project(), root)
        write_config(root, start)
        generate(root)
        added = apply_edits(root, user_edits)
        write_config(root, end)
        plan = generate(root)
        conflicted = {op.path for op in plan.conflicts}
        event(f"conflicts: {bool(conflicted)}")
        event(f"merged: {bool(plan.by_status(Status.MERGED))}")
        for path, lines in added.items():
            content = (root / path).read_text()
            for line in lines:
                assert line in content.splitlines(), f"{line!r} lost from {path}"
            if has_conflict_markers(content.encode()):
                assert path in conflicted, f"{path} has markers but was not reported"
        for op in plan.ops:
            if op.status is Status.CONFLICT:
                assert has_conflict_markers((root / op.path).read_bytes())
        if not conflicted:
            assert plan_project(root).nothing_to_do
