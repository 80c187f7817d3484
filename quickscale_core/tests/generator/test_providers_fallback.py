"""The generator reads the notifications providers table from a source checkout when
the module is not installed in the CLI's Python (the usual case for a client)."""

import sys

import pytest
from quickscale_core.generator.wiring import module_choices
from quickscale_core.testing import monorepo_root

MODULE = "quickscale_modules.notifications.providers"


def test_provider_table_loads_from_the_source_when_not_installed(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, MODULE, None)  # makes `import MODULE` fail
    choices = module_choices({"notifications": ("postmark", {})}, [monorepo_root()])
    assert [(c.name, c.provider) for c in choices] == [("notifications", "postmark")]


def test_without_installed_module_or_source_it_is_a_config_error(monkeypatch, tmp_path) -> None:
    from quickscale_core.errors import ConfigError

    monkeypatch.setitem(sys.modules, MODULE, None)
    with pytest.raises(ConfigError, match="cannot read the notifications module's providers"):
        module_choices({"notifications": ("postmark", {})}, [tmp_path])
