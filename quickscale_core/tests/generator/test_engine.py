"""The plan/apply engine: every per-file status, idempotence, records and convergence."""

from __future__ import annotations

import os
import shutil

import pytest
from quickscale_toolchain.errors import ConfigError, UsageError
from quickscale_toolchain.generator import ownership
from quickscale_toolchain.generator.atomic import TEMP_SUFFIX, write_atomic
from quickscale_toolchain.generator.discovery import find_project_root
from quickscale_toolchain.generator.merge import has_conflict_markers
from quickscale_toolchain.generator.plan import Status
from quickscale_toolchain.generator.sync import apply_plan, plan_project

SETTINGS = "acme/settings.py"
VARIANT_LINE = 'QUICKSCALE_VARIANT = env.str("QUICKSCALE_VARIANT", default="{}")'


def statuses(plan):
    return {op.path: op.status for op in plan.ops}


def test_a_fresh_project_has_nothing_to_do_and_generate_changes_no_byte(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    before = qs.tree_digest(root)
    plan = qs.generate(root)
    assert plan.nothing_to_do
    assert set(statuses(plan).values()) == {Status.UNCHANGED}
    assert qs.tree_digest(root) == before  # not even an mtime moved


def test_generate_twice_second_run_is_a_no_op(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    qs.write_config(root, qs.config(models=[qs_product()], variant="client_a"))
    first = qs.generate(root)
    assert not first.nothing_to_do
    after_first = qs.tree_digest(root)
    second = plan_project(root)
    assert second.nothing_to_do and not second.changes
    apply_plan(second)
    assert qs.tree_digest(root) == after_first


def qs_product() -> dict:
    from gen_support import PRODUCT

    return PRODUCT


def test_plan_writes_nothing(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    (root / SETTINGS).write_text((root / SETTINGS).read_text() + "\nTIME_ZONE = 'UTC'\n")
    (root / "README.md").unlink()
    qs.write_config(root, qs.config(models=[qs_product()], variant="client_a"))
    before = qs.tree_digest(root)
    plan = plan_project(root)
    assert plan.changes  # there is work to do…
    assert qs.tree_digest(root) == before  # …and computing it touched nothing


def test_untouched_file_is_updated_and_edited_file_is_merged(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    urls = root / "acme/urls.py"
    urls.write_text(urls.read_text() + "# my own url notes\n")
    settings = root / SETTINGS
    settings.write_text("# opening note by the user\n" + settings.read_text())
    qs.write_config(root, qs.config(variant="client_a"))
    plan = qs.generate(root)
    found = statuses(plan)
    assert found[SETTINGS] is Status.MERGED
    assert found["acme/urls.py"] is Status.UNCHANGED  # edited, but its render is the same
    text = settings.read_text()
    assert text.startswith("# opening note by the user\n")
    assert VARIANT_LINE.format("client_a") in text
    assert "# my own url notes" in urls.read_text()
    # a file nobody edited whose render changed is simply updated
    qs.write_config(root, qs.config(variant="client_a", models=[qs_product()]))
    plan = qs.generate(root)
    assert statuses(plan)["acme/generated_models.py"] is Status.UPDATED
    assert statuses(plan)["tests/test_generated_models.py"] is Status.NEW


def test_true_conflict_leaves_markers_reports_and_stays_until_resolved(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    settings = root / SETTINGS
    original = settings.read_text()
    mine = original.replace(VARIANT_LINE.format("default"), VARIANT_LINE.format("mine"))
    settings.write_text(mine)
    qs.write_config(root, qs.config(variant="client_a"))
    plan = qs.generate(root)
    assert [op.path for op in plan.conflicts] == [SETTINGS]
    text = settings.read_text()
    assert has_conflict_markers(text.encode())
    assert VARIANT_LINE.format("mine") in text and VARIANT_LINE.format("client_a") in text
    # rerun: still a conflict, the file is not touched again (no nested markers)
    again = qs.generate(root)
    assert [op.path for op in again.conflicts] == [SETTINGS]
    assert settings.read_text() == text
    # the user resolves it: in sync
    settings.write_text(mine.replace(VARIANT_LINE.format("mine"), VARIANT_LINE.format("mine2")))
    assert plan_project(root).nothing_to_do


def test_deleted_file_stays_deleted_and_is_reported(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    (root / "README.md").unlink()
    qs.write_config(root, qs.config(variant="client_a"))
    plan = qs.generate(root)
    assert statuses(plan)["README.md"] is Status.DELETED_BY_USER
    assert not (root / "README.md").exists()
    assert plan_project(root).nothing_to_do  # reported, but nothing left to do


def test_no_longer_generated_file_is_removed_unless_the_user_edited_it(qs, tmp_path):
    from gen_support import ORDER, PRODUCT

    root = qs.make_project(tmp_path / "acme", qs.config(models=[PRODUCT, ORDER]))
    qs.generate(root)
    tests_file = root / "tests/test_generated_models.py"
    assert tests_file.is_file()
    qs.write_config(root, qs.config())
    plan = qs.generate(root)
    assert statuses(plan)["tests/test_generated_models.py"] is Status.REMOVED
    assert not tests_file.exists()
    assert any("acme_product" in w and "DROPPED" in w for w in plan.warnings)
    assert any("acme_order" in w for w in plan.warnings)
    # now with a user edit: the file is kept (and no longer recorded)
    qs.write_config(root, qs.config(models=[PRODUCT]))
    qs.generate(root)
    tests_file.write_text(tests_file.read_text() + "\n# my extra test idea\n")
    qs.write_config(root, qs.config())
    plan = qs.generate(root)
    assert statuses(plan)["tests/test_generated_models.py"] is Status.KEPT
    assert "# my extra test idea" in tests_file.read_text()
    assert "tests/test_generated_models.py" not in ownership.load(root).paths


def test_removing_a_model_is_planned_with_a_data_warning_in_preview(qs, tmp_path):
    from gen_support import ORDER, PRODUCT

    root = qs.make_project(tmp_path / "acme", qs.config(models=[PRODUCT, ORDER]))
    qs.write_config(root, qs.config(models=[PRODUCT]))
    plan = plan_project(root)
    (warning,) = plan.warnings
    assert "Order" in warning and "acme_order" in warning and "dumpdata acme.Order" in warning
    models_op = next(op for op in plan.ops if op.path == "acme/generated_models.py")
    assert "-class Order(models.Model):" in models_op.diff()


def test_records_are_deterministic_and_match_the_files(qs, tmp_path):
    one = qs.make_project(tmp_path / "one" / "acme", qs.config())
    two = qs.make_project(tmp_path / "two" / "acme", qs.config())
    for root in (one, two):
        qs.write_config(root, qs.config(models=[qs_product()], rules=["Prices are positive"]))
        qs.generate(root)
    records_one = {k: v for k, v in qs.tree_bytes(one).items() if k.startswith(".quickscale/")}
    records_two = {k: v for k, v in qs.tree_bytes(two).items() if k.startswith(".quickscale/")}
    assert records_one == records_two and records_one
    records = ownership.load(one)
    for path, base in records.bases.items():
        assert records.hashes[path] == ownership.sha256(base)
        assert (one / path).read_bytes() == base


def test_a_run_interrupted_between_files_converges_to_the_same_tree(qs, tmp_path):
    """Simulate a kill after some file writes (before the records) and rerun."""
    from gen_support import ORDER, PRODUCT

    clean = qs.make_project(tmp_path / "clean" / "acme", qs.config())
    partial = qs.make_project(tmp_path / "partial" / "acme", qs.config())
    for root in (clean, partial):
        settings = root / SETTINGS
        settings.write_text("# user note\n" + settings.read_text())
        qs.write_config(root, qs.config(models=[PRODUCT, ORDER], variant="client_a"))
    qs.generate(clean)
    plan = plan_project(partial)
    writes = [op for op in plan.changes]
    assert len(writes) >= 4
    for op in writes[: len(writes) // 2]:  # half the files, then "killed": no records
        assert op.new is not None
        write_atomic(partial / op.path, op.new)
    (partial / "acme" / f".stale{TEMP_SUFFIX}").write_bytes(b"half-written")
    qs.generate(partial)
    assert qs.tree_bytes(partial) == qs.tree_bytes(clean)


def test_executable_bit_of_manage_py_survives_an_update(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    manage = root / "manage.py"
    assert os.access(manage, os.X_OK)
    (root / ownership.BASE_DIR / "manage.py.base").write_bytes(b"# older render\n")
    manage.write_bytes(b"# older render\n")
    plan = qs.generate(root)
    assert statuses(plan)["manage.py"] is Status.UPDATED
    assert os.access(manage, os.X_OK)


def test_a_variant_without_a_folder_is_a_config_error_until_the_user_creates_it(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    qs.write_config(root, qs.config(variant="client_b"))
    with pytest.raises(ConfigError, match="client_b"):
        plan_project(root)
    shutil.copytree(
        root / "custom_frontend/variants/default", root / "custom_frontend/variants/client_b"
    )
    plan = qs.generate(root)
    assert VARIANT_LINE.format("client_b") in (root / SETTINGS).read_text()
    assert statuses(plan)[SETTINGS] is Status.UPDATED


def test_frontend_source_names_the_generated_frontend_directory(qs, tmp_path):
    root = qs.make_project(
        tmp_path / "acme", qs.config(frontend={"source": "./web/", "variant": "default"})
    )
    assert (root / "web/templates/base.html").is_file()
    assert (root / "web/variants/client_a/static/css/variant.css").is_file()
    assert not (root / "custom_frontend").exists()
    assert 'QUICKSCALE_FRONTEND_DIR = BASE_DIR / "web"' in (root / SETTINGS).read_text()
    qs.write_config(root, qs.config(frontend={"source": "../elsewhere", "variant": "default"}))
    with pytest.raises(ConfigError, match="inside the project"):
        plan_project(root)


def test_project_root_is_found_upwards_or_a_usage_error(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    assert find_project_root(root / "acme" / "migrations") == root.resolve()
    with pytest.raises(UsageError, match=r"quickscale\.yml"):
        find_project_root(tmp_path)


def test_damaged_manifest_is_a_clear_error(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    (root / ownership.MANIFEST).write_text("{not json")
    with pytest.raises(Exception, match=r"manifest\.json is damaged"):
        plan_project(root)


def test_init_like_records_exclude_the_config_file(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    records = ownership.load(root)
    assert "quickscale.yml" not in records.paths
    assert "acme/settings.py" in records.paths and ".gitignore" in records.paths
    # the base of .gitignore is stored under a suffix so git does not read it as one
    assert (root / ".quickscale/base/.gitignore.base").is_file()
    assert not (root / ".quickscale/base/.gitignore").exists()


def test_a_binary_file_edited_on_both_sides_is_reported_not_merged(tmp_path):
    from quickscale_toolchain.generator.plan import _plan_file
    from quickscale_toolchain.generator.render import RenderedFile

    op = _plan_file(
        "logo.png", RenderedFile("logo.png", b"\x89PNG\0new"), b"\x89PNG\0old", b"\x89PNG\0mine"
    )
    assert op.status is Status.CONFLICT and op.new == b"\x89PNG\0mine" and not op.writes


def test_a_project_without_records_adopts_identical_files_and_never_loses_edits(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    shutil.rmtree(root / ownership.RECORDS_DIR)  # e.g. made before records existed
    settings = root / SETTINGS
    settings.write_text(settings.read_text() + "# kept by the user\n")
    plan = qs.generate(root)
    found = statuses(plan)
    assert found["acme/urls.py"] is Status.UNCHANGED
    assert found[SETTINGS] is Status.CONFLICT  # no base: both versions kept, for review
    assert "# kept by the user" in settings.read_text()
    assert ownership.load(root).paths  # records exist from now on


def test_project_version_flows_from_the_config_into_pyproject(qs, tmp_path):
    root = qs.make_project(tmp_path / "acme", qs.config())
    assert 'version = "0.1.0"' in (root / "pyproject.toml").read_text()
    qs.write_config(root, qs.config(project={"name": "acme", "version": "2.3.4"}))
    plan = qs.generate(root)
    assert statuses(plan)["pyproject.toml"] is Status.UPDATED
    assert 'version = "2.3.4"' in (root / "pyproject.toml").read_text()


# Every public name engine.py held before it was split, and the module that now does
# that job. The CLI imports these from engine (an older embedded core has them only
# there), so engine must keep handing out the very same objects.
ENGINE_NAMES = {
    "NOT_MANAGED": "project_files",
    "render_project": "project_files",
    "managed_files": "project_files",
    "find_project_root": "discovery",
    "plan_project": "sync",
    "apply_plan": "sync",
    "prepare_components": "sync",
    "apply_components": "sync",
    "models_changed": "sync",
    "project_python": "project_env",
    "component_apps": "project_env",
    "missing_apps": "project_env",
    "install_command": "project_env",
    "MigrationOutcome": "migrate",
    "migrate_project": "migrate",
    "migrations": "migrate",
    "StatusReport": "status",
    "project_status": "status",
}


@pytest.mark.parametrize(("name", "module"), sorted(ENGINE_NAMES.items()))
def test_engine_hands_out_each_name_from_the_module_that_owns_it(name, module):
    from importlib import import_module

    from quickscale_toolchain.generator import engine

    owner = import_module(f"quickscale_toolchain.generator.{module}")
    assert getattr(engine, name) is getattr(owner, name)
    assert name in engine.__all__


def test_a_migration_it_wrote_is_never_rewritten_a_newer_model_gets_a_new_one(qs, tmp_path):
    """A project an older release made holds that release's 0001_initial, which its
    databases applied: today's render of it (the user's `language` field) must not
    replace it, or migrate would never add the column. models.py still moves on, so
    generate's makemigrations writes the field's own migration."""
    root = qs.make_project(tmp_path / "acme", qs.config())
    path = "acme/migrations/0001_initial.py"
    lines = (root / path).read_bytes().splitlines(keepends=True)
    older = b"".join(line for line in lines if b'("language"' not in line)
    assert older != (root / path).read_bytes()
    (root / path).write_bytes(older)
    records = {p: ownership.load(root).bases[p] for p in ownership.load(root).paths}
    ownership.write(root, {**records, path: older}, ownership.load(root))
    plan = qs.generate(root)
    assert statuses(plan)[path] is Status.UNCHANGED
    assert (root / path).read_bytes() == older
    assert plan_project(root).nothing_to_do  # and status stays clean
    # a project that has none yet (a new app's first migration) gets it written
    (root / path).unlink()
    ownership.write(root, {p: b for p, b in records.items() if p != path}, ownership.load(root))
    plan = qs.generate(root)
    assert statuses(plan)[path] is Status.NEW and b'("language"' in (root / path).read_bytes()


def test_the_environment_probe_names_what_the_project_s_python_lacks(tmp_path):
    """Apps it cannot import, and pinned distributions it does not have: a component's
    module may import a pin (payments' prices: Babel) only where models load, long after
    its app imported fine, so generate asks for both before it writes anything."""
    import sys

    from quickscale_toolchain.generator.project_env import missing_apps

    found = missing_apps(
        tmp_path,
        sys.executable,
        ["json", "no_such_app_anywhere"],
        ["Babel", "jinja2", "no-such-distribution-anywhere[extra]"],
    )
    assert found == ["no_such_app_anywhere", "no-such-distribution-anywhere"]
    assert missing_apps(tmp_path, sys.executable, [], ["Babel"]) == []
