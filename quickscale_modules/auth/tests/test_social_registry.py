"""The `social` option's provider ids are manifest data (validate never imports allauth):
this test keeps them equal to allauth's own provider registry, so an allauth upgrade that
adds, renames or drops a provider fails here instead of in a user's quickscale.yml.

allauth's registry lists the providers of the installed apps, so a fresh interpreter
installs every provider app allauth ships and reads the registry.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import require

PACKAGE_DIR = Path(__file__).resolve().parent.parent

#: allauth's provider packages left out of the option, each for a reason:
#: they need a package the socialaccount extra does not bring (python3-openid, python3-saml)
NEEDS_ANOTHER_PACKAGE = {"openid", "saml", "steam"}
#: their ids ("Daum", "500px") are not the names of their apps, which INSTALLED_APPS needs
ID_IS_NOT_THE_APP = {"daum", "fivehundredpx"}
#: allauth's stand-in for its own tests, no identity provider
TEST_STAND_IN = {"dummy"}
#: not providers: the OAuth/OAuth2 base classes
NOT_PROVIDERS = {"base", "oauth", "oauth2"}

REGISTRY = """
import json, pkgutil, sys, django
from django.conf import settings
import allauth.socialaccount.providers as providers
skip = set(json.loads(sys.argv[1]))
packages = sorted(
    m.name for m in pkgutil.iter_modules(providers.__path__) if m.ispkg and m.name not in skip
)
settings.configure(
    INSTALLED_APPS=[
        "django.contrib.auth", "django.contrib.contenttypes", "allauth", "allauth.account",
        "allauth.socialaccount", *(f"allauth.socialaccount.providers.{p}" for p in packages),
    ],
    DATABASES={},
    MIDDLEWARE=["allauth.account.middleware.AccountMiddleware"],
)
django.setup()
from allauth.socialaccount.providers import registry
print(json.dumps({c.id: c.get_package().rsplit(".", 1)[-1] for c in registry.get_class_list()}))
"""


def manifest_ids() -> list[str]:
    data = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["tool"]["quickscale"]["options"]["social"]["propertyNames"]["enum"])


def test_social_provider_ids_are_allauths_registry() -> None:
    require("jwt", "social login needs django-allauth[socialaccount]")
    skipped = sorted(NEEDS_ANOTHER_PACKAGE | NOT_PROVIDERS)
    result = subprocess.run(
        [sys.executable, "-c", REGISTRY, json.dumps(skipped)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    registry: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    packages = set(registry.values())
    assert packages >= ID_IS_NOT_THE_APP and packages >= TEST_STAND_IN  # the reasons hold
    assert all(registry[p] != p for p in {"Daum", "500px"})
    expected = sorted(
        pid for pid, package in registry.items() if package not in ID_IS_NOT_THE_APP | TEST_STAND_IN
    )
    assert all(registry[pid] == pid for pid in expected)  # each id names its app
    ids = manifest_ids()
    assert ids == sorted(ids), "keep the list sorted"
    assert ids == expected
