"""Fixtures of the backup module's tests: empty backup and media folders per test, a
GnuPG key made for the run, the module's Spanish catalogue compiled."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from quickscale_testing.modules import compile_catalogues, unavailable


@pytest.fixture(scope="session")
def spanish() -> str:
    """The module's Spanish catalogue compiled (.mo files are built, never committed);
    the language code, for a test to speak it."""
    compile_catalogues("quickscale_modules.backup")
    return "es"


@pytest.fixture(autouse=True)
def _empty_folders() -> Iterator[None]:
    backups = Path(settings.STORAGES["dbbackup"]["OPTIONS"]["location"])
    for folder in (backups, Path(settings.MEDIA_ROOT)):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    yield


@pytest.fixture(scope="session")
def gpg_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real key pair in a keyring of its own (Debian's gpg); GNUPGHOME points at it."""

    if shutil.which("gpg") is None:
        unavailable("no gpg on this machine (apt-get install gnupg)")
    home = tmp_path_factory.mktemp("gnupg")
    home.chmod(0o700)
    email = "backups@example.com"
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--homedir",
            str(home),
            "--passphrase",
            "",
            "--quick-gen-key",
            email,
            "default",
            "default",
            "never",
        ],
        check=True,
        capture_output=True,
    )
    previous = os.environ.get("GNUPGHOME")
    os.environ["GNUPGHOME"] = str(home)
    yield email
    if previous is None:
        os.environ.pop("GNUPGHOME", None)
    else:
        os.environ["GNUPGHOME"] = previous
    # gpg started an agent for this keyring; it would outlive the run.
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], check=False)
