"""The `social` option's provider ids are manifest data (validate never imports allauth):
this test keeps them equal to allauth's own provider registry, so an allauth upgrade that
adds, renames or drops a provider fails here instead of in a user's quickscale.yml. The
same goes for each provider's Content-Security-Policy origin, read from allauth's adapter.

allauth's registry lists the providers of the installed apps, so a fresh interpreter
installs every provider app allauth ships and reads the registry.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


#: allauth adapters whose authorization URL is a property (read from settings or the
#: request) rather than a string: the origins it can return with the settings the `social`
#: option writes, each checked to be in the provider's own source
COMPUTED_ORIGINS = {
    "battlenet": ["https://oauth.battle.net", "https://oauth.battlenet.com.cn"],
    "coinbase": ["https://www.coinbase.com"],
    "feishu": ["https://open.feishu.cn"],
    "gitlab": ["https://gitlab.com"],
    "microsoft": ["https://login.microsoftonline.com"],
    "robinhood": ["https://www.robinhood.com"],
    "weixin": ["https://open.weixin.qq.com"],
    # no OAuth adapter: each provider's own redirect
    "draugiem": ["https://api.draugiem.lv"],
    "telegram": ["https://oauth.telegram.org"],
}

ORIGINS = """
import json, sys, django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "allauth",
                    "allauth.account", "allauth.socialaccount"],
    DATABASES={}, MIDDLEWARE=["allauth.account.middleware.AccountMiddleware"],
)
django.setup()
import importlib, inspect
found = {}
for pid in json.loads(sys.argv[1]):
    views = importlib.import_module(f"allauth.socialaccount.providers.{pid}.views")
    urls = [
        inspect.getattr_static(cls, "authorize_url") for cls in vars(views).values()
        if inspect.isclass(cls) and cls.__module__ == views.__name__
        and hasattr(cls, "authorize_url")
    ]
    found[pid] = [u if isinstance(u, str) else None for u in urls]
print(json.dumps(found))
"""


def manifest() -> dict[str, Any]:
    data = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(data["tool"]["quickscale"])


def manifest_ids() -> list[str]:
    return list(manifest()["options"]["social"]["propertyNames"]["enum"])


def run_allauth(script: str, argument: Any) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(argument)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_social_provider_ids_are_allauths_registry() -> None:
    require("jwt", "social login needs django-allauth[socialaccount]")
    skipped = sorted(NEEDS_ANOTHER_PACKAGE | NOT_PROVIDERS)
    registry: dict[str, str] = run_allauth(REGISTRY, skipped)
    packages = set(registry.values())
    assert packages >= ID_IS_NOT_THE_APP and packages >= TEST_STAND_IN  # the reasons hold
    assert all(registry[p] != p for p in {"Daum", "500px"})
    expected = sorted(
        pid for pid, package in registry.items() if package not in ID_IS_NOT_THE_APP | TEST_STAND_IN
    )
    assert all(registry[pid] == pid for pid in expected)  # each id names its app
    ids = manifest_ids()
    refused = manifest()["options"]["social"]["propertyNames"]["x-refused"]
    assert ids == sorted(ids), "keep the list sorted"
    assert not set(ids) & set(refused)
    assert ids == sorted(set(expected) - set(refused))
    assert set(refused) <= set(expected)  # each refusal names a real provider


def test_each_provider_adds_the_origin_allauth_sends_the_browser_to() -> None:
    """The form-action origins are allauth's own: for an adapter with a fixed
    authorization URL, exactly its origin; for one that computes it, the origins listed in
    COMPUTED_ORIGINS, each found in the provider's source."""
    require("jwt", "social login needs django-allauth[socialaccount]")
    declared = {
        pid: directives["form-action"]
        for pid, directives in manifest()["settings"]["options"]["social"]["keys"]["csp"].items()
    }
    by_option = manifest()["settings"]["options"]["social"]["keys"]["csp-origin"]
    assert by_option == {"openid_connect": {"form-action": "server_url"}}
    assert sorted(declared) == [pid for pid in manifest_ids() if pid != "openid_connect"]
    found = run_allauth(ORIGINS, sorted(set(declared) - {"draugiem", "telegram"}))
    providers = Path(found_package_dir())
    for pid, origins in sorted(declared.items()):
        urls = found.get(pid, [None])
        if pid in COMPUTED_ORIGINS:
            assert urls == [None] or pid in {"draugiem", "telegram"}, pid
            assert origins == COMPUTED_ORIGINS[pid], pid
            source = "".join(f.read_text(encoding="utf-8") for f in (providers / pid).glob("*.py"))
            assert all(o in source for o in origins), pid
        else:
            assert len(urls) == 1 and urls[0], f"{pid}: {urls}"
            assert origins == [origin(urls[0])], pid


def found_package_dir() -> str:
    spec = importlib.util.find_spec("allauth.socialaccount.providers")
    assert spec is not None and spec.submodule_search_locations
    return str(next(iter(spec.submodule_search_locations)))


def test_the_extra_credentials_settings_py_reads_are_those_deploy_checks() -> None:
    """keys.env-of (what .env.example lists and deploy's preflight requires) and
    EXTRA_CREDENTIALS (what settings.py reads) name the same variables; each of those
    providers' allauth code reads the app's `key`."""
    from quickscale_modules.auth.settings import EXTRA_CREDENTIALS

    declared = manifest()["settings"]["options"]["social"]["keys"]["env-of"]
    assert declared == {
        pid: [f"{{KEY}}_{part}" for part in parts] for pid, parts in EXTRA_CREDENTIALS.items()
    }
    assert set(declared) <= set(manifest_ids())
    providers = Path(found_package_dir())
    for pid in declared:
        source = "".join(f.read_text(encoding="utf-8") for f in (providers / pid).glob("*.py"))
        assert "app.key" in source, pid
    assert "certificate_key" in (providers / "apple" / "client.py").read_text(encoding="utf-8")
