"""The generator and config code must work before Django (or a project) exists."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "quickscale_toolchain.generator.scaffold",
        "quickscale_toolchain.generator.render",
        "quickscale_toolchain.source",
        "quickscale_toolchain.names",
    ],
)
def test_module_does_not_import_django(module: str) -> None:
    probe = f"import sys, {module}; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("heavy", ["yaml", "jsonschema", "importlib.metadata"])
def test_init_imports_no_config_parser_or_validator(heavy: str) -> None:
    """`init` renders from a spec, not from YAML: the config package loads a module only
    when one of its names is used, so the parser and the validators stay unloaded."""
    probe = (
        "import sys, quickscale_toolchain.generator.scaffold, quickscale_toolchain.config as c; "
        "c.ModelSpec, c.CONFIG_FILENAME; "
        f"print({heavy!r} in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_config_package_still_offers_every_name() -> None:
    import quickscale_toolchain.config as config

    for name in config.__all__:
        assert getattr(config, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = config.nothing  # type: ignore[attr-defined]
