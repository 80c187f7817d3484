"""The generator and config code must work before Django (or a project) exists."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "quickscale_core.generator.scaffold",
        "quickscale_core.generator.render",
        "quickscale_core.source",
        "quickscale_core.names",
    ],
)
def test_module_does_not_import_django(module: str) -> None:
    probe = f"import sys, {module}; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
