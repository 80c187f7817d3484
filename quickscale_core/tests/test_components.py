"""Components describe themselves: manifests, the catalogue, and what is built from them."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from quickscale_testing.repos import make_source_repo, monorepo_root
from quickscale_toolchain import catalog
from quickscale_toolchain.components import Component
from quickscale_toolchain.config import validate_text
from quickscale_toolchain.config.schema import assembled_schema, load_schema
from quickscale_toolchain.errors import ConfigError
from quickscale_toolchain.generator.config_adapter import spec_from_project_config
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.manifest import ManifestError, parse_manifest

ROOT = monorepo_root()


@pytest.fixture(scope="module")
def first_party() -> catalog.Catalog:
    return catalog.from_directory(ROOT, "checkout")


def folders(kind: str) -> list[str]:
    """The names of the checkout's theme or module folders: a new one is all it takes."""
    return sorted(p.parent.name for p in ROOT.glob(f"quickscale_{kind}/*/pyproject.toml"))


def test_every_first_party_folder_is_in_the_catalogue(first_party):
    ids = [e.component.id for e in first_party]
    assert ids == [f"themes/{name}" for name in folders("themes")] + [
        f"modules/{name}" for name in folders("modules")
    ]
    assert len(folders("themes")) >= 2 and len(folders("modules")) >= 7, ids
    assert first_party.default_theme() == "starter"


def test_shipped_schemas_equal_the_ones_assembled_from_the_manifests(first_party):
    for version in (1, 2):
        assert assembled_schema(version, first_party) == load_schema(version), (
            f"v{version}.json differs from the components' manifests — "
            "run '.venv/bin/python scripts/config-schemas'"
        )


def test_the_schemas_script_rewrites_a_stale_schema(tmp_path, monkeypatch, capsys):
    """A new module folder changes v2.json: the script the failure names rewrites it."""
    import importlib.util
    from importlib.machinery import SourceFileLoader

    loader = SourceFileLoader("config_schemas", str(ROOT / "scripts" / "config-schemas"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    shipped = load_schema(2)
    stale = json.loads(json.dumps(shipped))
    del stale["properties"]["modules"]["properties"]["payments"]  # as if the folder were new
    (tmp_path / "v1.json").write_text(json.dumps(load_schema(1), indent=2) + "\n", "utf-8")
    (tmp_path / "v2.json").write_text(json.dumps(stale, indent=2) + "\n", "utf-8")
    monkeypatch.setattr(module, "SCHEMAS", tmp_path)
    assert module.main(["--check"]) == 1
    assert "v2.json differ" in capsys.readouterr().err
    assert module.main([]) == 0 and module.main(["--check"]) == 0
    assert json.loads((tmp_path / "v2.json").read_text("utf-8")) == shipped


def test_a_catalogue_read_from_a_commit_equals_one_read_from_the_folder(tmp_path, first_party):
    source = make_source_repo(tmp_path / "source")
    from_git = catalog.from_git(source, "HEAD")
    assert [e.manifest for e in from_git] == [e.manifest for e in first_party]
    assert [dict(e.files) for e in from_git] == [dict(e.files) for e in first_party]


def test_core_names_no_component_outside_comments():
    names = "|".join(folders("modules") + folders("themes"))
    pattern = rf"quickscale_(modules|themes)\.[a-z]|quickscale_({names})\b"
    found = subprocess.run(
        ["git", "grep", "-nE", pattern, "--", "quickscale_core/src"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    code = [line for line in found if not line.split(":", 2)[2].lstrip().startswith("#")]
    assert code == []


def _config(theme: str, modules: dict[str, dict[str, str]]) -> str:
    import yaml

    data = {"schema_version": 2, "project": {"name": "acme"}, "theme": theme, "modules": modules}
    return yaml.safe_dump(data, sort_keys=False)


def _every_choice(first_party: catalog.Catalog) -> list[tuple[str, dict[str, dict[str, str]]]]:
    cases: list[tuple[str, dict[str, dict[str, str]]]] = [(t, {}) for t in first_party.themes]
    for entry in first_party.of_kind("modules"):
        providers = [p.name for p in entry.manifest.providers] or [None]
        for provider in providers:
            options = {"provider": provider} if provider else {}
            cases.append((first_party.default_theme() or "", {entry.manifest.name: options}))
    return cases


def test_validate_accepts_and_generation_wires_every_component_and_provider(first_party):
    from quickscale_toolchain.config.model import build_config

    cases = _every_choice(first_party)
    # every theme, and every module folder once per provider (the fewest: one each)
    assert {theme for theme, _ in cases} == set(folders("themes"))
    assert {name for _, modules in cases for name in modules} == set(folders("modules"))
    assert len(cases) > len(folders("themes")) + len(folders("modules"))  # some providers
    for theme, modules in cases:
        text = _config(theme, modules)
        result = validate_text(text, components=first_party)
        assert result.ok, (theme, modules, [d.format() for d in result.diagnostics])
        assert result.document is not None
        typed = build_config(result.document.data, 2, Path("quickscale.yml"))
        files = render_project(spec_from_project_config(typed, first_party))
        settings = files["acme/settings.py"].content.decode()
        ast.parse(settings)
        for name in modules:
            entry = first_party.get(Component("modules", name))
            assert entry is not None
            assert all(f'"{app}"' in settings for app in entry.manifest.apps)
            provider = modules[name].get("provider")
            if provider:
                wanted = entry.manifest.provider(provider)
                assert wanted is not None
                env_example = files[".env.example"].content.decode()
                assert all(f"# {var}=" in env_example for var in wanted.all_env)


def test_a_name_no_manifest_declares_is_a_located_error_listing_what_exists(first_party):
    result = validate_text(_config("starter", {"not_a_module": {}}), components=first_party)
    [error] = [d for d in result.diagnostics if d.is_error]
    assert (error.line, error.dotted_path) == (6, "modules.not_a_module")
    assert ", ".join(f"'{name}'" for name in folders("modules")) in error.hint
    result = validate_text(_config("shiny", {}), components=first_party)
    [error] = [d for d in result.diagnostics if d.is_error]
    assert error.dotted_path == "theme"
    assert ", ".join(f"'{name}'" for name in folders("themes")) in error.hint


def test_wiring_follows_requires_and_refuses_unknown_components(first_party):
    order = [e.component.id for e in first_party.resolve("todo", ["auth"])]
    assert order == ["themes/starter", "themes/todo", "modules/auth"]
    with pytest.raises(ConfigError, match=f"available modules: {', '.join(folders('modules'))}$"):
        first_party.resolve("starter", ["billing_typo"])


def test_docs_list_exactly_the_components_that_exist(first_party):
    text = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    section = text.split("<!-- components:start -->")[1].split("<!-- components:end -->")[0]
    listed = sorted(line.split("`")[1] for line in section.splitlines() if line.startswith("| `"))
    expected = sorted(e.component.id for e in first_party)
    assert listed == expected, (
        "docs/config.md's components table (between its components:start and :end "
        f"markers) lists {listed}: give each component a row, {expected}"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("", "no [tool.quickscale] table"),
        ('[tool.quickscale]\nkind = "plugin"\nname = "x"\n', "kind"),
        ('[tool.quickscale]\nkind = "module"\nname = "x"\napps = "x"\n', "apps"),
        ('[tool.quickscale]\nkind = "module"\nname = "x"\ndefault-provider = "a"\n', "default-"),
        ('[tool.quickscale]\nkind = "theme"\nname = "y"\n', "declares themes/y"),
        ('[tool.quickscale]\nkind = "module"\nname = "x"\nsettings = "../x.j2"\n', "settings"),
    ],
)
def test_a_malformed_manifest_is_one_clear_error(table: str, message: str):
    text = '[project]\nname = "x"\nversion = "0.1.0"\n' + table
    with pytest.raises(ManifestError, match=message.replace("[", r"\[")):
        parse_manifest(text, "quickscale_modules/x/pyproject.toml", Component("modules", "x"))


def test_core_reads_manifests_without_importing_component_code(tmp_path):
    """The catalogue and the wiring work where the components are not importable."""
    script = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("quickscale_modules", "quickscale_themes"):
            raise ImportError("component code imported: " + name)
sys.meta_path.insert(0, Block())
from pathlib import Path
from quickscale_toolchain import catalog
from quickscale_toolchain.generator.context import ProjectSpec
from quickscale_toolchain.generator.project_files import render_project
from quickscale_toolchain.generator.wiring import ModuleChoice
c = catalog.from_directory(Path({str(ROOT)!r}))
chosen = (ModuleChoice("notifications", "postmark"),)
spec = ProjectSpec("acme", theme="todo", modules=chosen, catalog=c)
print(len(render_project(spec)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 20


def test_notifications_manifest_matches_its_providers_table(first_party):
    sys.path.insert(0, str(ROOT / "quickscale_modules" / "notifications" / "src"))
    try:
        from quickscale_modules.notifications import providers
    finally:
        sys.path.pop(0)
    entry = first_party.get("modules/notifications")
    assert entry is not None
    declared = {p.name: p.all_env for p in entry.manifest.providers}
    assert sorted(declared) == sorted(providers.PROVIDER_NAMES)
    assert {name: providers.env_vars(name) for name in declared} == declared
    assert entry.manifest.default_provider == providers.DEFAULT_PROVIDER


def test_manifest_pins_agree_with_each_package_s_dependencies(first_party):
    import tomllib

    for entry in first_party:
        pyproject = ROOT / entry.component.prefix / "pyproject.toml"
        deps = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
        pinned = dict(d.split("==") for d in deps if "==" in d and "[" not in d)
        for name, version in entry.manifest.pins:
            if name in pinned:
                assert pinned[name] == version, (entry.component.id, name)
    assert json.dumps  # the manifests are plain data


def test_extract_writes_a_folder_with_a_manifest_the_catalogue_reads():
    from quickscale_toolchain.distribution import skeleton

    files = skeleton.files("invoices", "acme", "acme/invoices", "0.1.0")
    manifest = parse_manifest(
        files["pyproject.toml"],
        "quickscale_modules/invoices/pyproject.toml",
        Component("modules", "invoices"),
    )
    assert manifest.apps == ("quickscale_modules.invoices",)
    assert manifest.core_compatibility == ">=0.1,<1.0"


def test_a_module_mounts_urls_of_a_file_it_contributes_to_the_project_package(first_party):
    """A manifest's url module "__project__.x" is the project's own x (payments' shop)."""
    from quickscale_toolchain.generator.context import ProjectSpec
    from quickscale_toolchain.generator.wiring import ModuleChoice

    spec = ProjectSpec("acme", modules=(ModuleChoice("payments"),), catalog=first_party)
    files = render_project(spec)
    urls = files["acme/urls.py"].content.decode()
    assert 'path("shop/", include("acme.payments_example"))' in urls
    assert "__project__" not in urls
    assert "acme/payments_example.py" in files
