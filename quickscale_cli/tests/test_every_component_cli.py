"""validate ≡ generate, through the real CLI: every theme, module and provider that a
manifest of the source declares is accepted by `quickscale validate`, applied by
`quickscale generate --no-migrations`, and leaves a project Django can start with the
provider's variables set to dummy values.

The cases come from the source's manifests, not from a list here: a new module folder
is covered the moment it exists.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import RunCli
from quickscale_toolchain import catalog
from quickscale_toolchain.components import Component

Case = tuple[str, str | None, str | None]  # (theme, module, provider)


def _cases(offered: catalog.Catalog) -> list[Case]:
    default = offered.default_theme()
    assert default is not None
    cases: list[Case] = [(theme, None, None) for theme in offered.themes]
    for entry in offered.of_kind("modules"):
        for provider in [p.name for p in entry.manifest.providers] or [None]:
            cases.append((default, entry.manifest.name, provider))
    return cases


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)


def test_every_declared_component_and_provider_validates_generates_and_starts(
    run_cli: RunCli, source_repo: Path, tmp_path: Path
) -> None:
    offered = catalog.for_source(str(source_repo))
    cases = _cases(offered)
    modules = offered.of_kind("modules")
    providers = sum(len(e.manifest.providers) or 1 for e in modules)
    assert len(cases) == len(offered.themes) + providers and providers >= len(modules) >= 2

    assert run_cli("init", "acme", cwd=tmp_path).returncode == 0
    project = tmp_path / "acme"
    config = project / "quickscale.yml"
    base = yaml.safe_load(config.read_text())
    base["schema_version"] = 2
    for theme, module, provider in cases:
        label = f"{theme} {module or ''} {provider or ''}".strip()
        document = {**base, "theme": theme}
        if module:
            document["modules"] = {module: {"provider": provider} if provider else {}}
        config.write_text(yaml.safe_dump(document, sort_keys=False))

        checked = run_cli("validate", cwd=project)
        assert checked.returncode == 0, (label, checked.stdout)
        done = run_cli("generate", "--no-migrations", cwd=project)
        assert done.returncode == 0, (label, done.stdout + done.stderr)

        settings = (project / "acme" / "settings.py").read_text()
        wanted = [Component("themes", theme)] + ([Component("modules", module)] if module else [])
        dummies: dict[str, str] = {}
        for component in wanted:
            entry = offered.get(component)
            assert entry is not None and component.embedded_in(project), label
            assert all(f'"{app}"' in settings for app in entry.manifest.apps), label
            chosen = entry.manifest.provider(provider) if provider else None
            if chosen is not None:
                example = (project / ".env.example").read_text()
                assert all(f"# {var}=" in example for var in chosen.all_env), label
                # The required ones; optional ones keep their documented defaults.
                dummies |= {var: "dummy-value" for var in chosen.env}
        started = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=project,
            env={**os.environ, **dummies},
            capture_output=True,
            text=True,
        )
        assert started.returncode == 0, (label, started.stdout + started.stderr)
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "--allow-empty", "-m", f"case: {label}")


@pytest.mark.parametrize("name", ["not_a_module", "billing_typo", "shiny"])
def test_a_name_no_manifest_declares_is_refused_by_validate_and_generate(
    run_cli: RunCli, tmp_path: Path, name: str
) -> None:
    assert run_cli("init", "acme", cwd=tmp_path).returncode == 0
    project = tmp_path / "acme"
    config = project / "quickscale.yml"
    document = yaml.safe_load(config.read_text())
    document["schema_version"] = 2
    if name == "shiny":
        document["theme"] = name
    else:
        document["modules"] = {name: {}}
    config.write_text(yaml.safe_dump(document, sort_keys=False))
    for command in (["validate"], ["generate", "--no-migrations"]):
        done = run_cli(*command, cwd=project)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        said = done.stdout + done.stderr
        assert "quickscale.yml:" in said and "allowed" in said, said
        assert ("'starter'" if name == "shiny" else "'auth'") in said, said
