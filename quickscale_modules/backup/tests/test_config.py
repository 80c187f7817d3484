"""The backup entry of quickscale.yml: the spec's own example (provider aws, schedule
daily) is valid, what the module does not offer is one located error, and provider aws
reaches the settings, where `check --deploy` then asks for the bucket."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings
from quickscale_modules.backup.checks import check_bucket_for_deployment
from quickscale_modules.backup.settings import backup_storage
from quickscale_toolchain import catalog
from quickscale_toolchain.config import validate_text

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parents[1]

SPEC_EXAMPLE = """\
schema_version: 2
project:
  name: acme
theme: starter
modules:
  backup: { provider: aws, schedule: daily }
"""


@pytest.fixture(scope="module")
def first_party() -> catalog.Catalog:
    return catalog.from_directory(ROOT, "checkout")


def _errors(text: str, components: catalog.Catalog) -> list[tuple[int, str, str]]:
    """(line, key path, message and fix) of each error."""
    result = validate_text(text, components=components)
    found = [d for d in result.diagnostics if d.is_error]
    return [(d.line, d.dotted_path, f"{d.message} — {d.hint}") for d in found]


def test_the_spec_s_example_is_valid(first_party: catalog.Catalog) -> None:
    assert _errors(SPEC_EXAMPLE, first_party) == []
    assert validate_text(SPEC_EXAMPLE).ok  # the shipped schema (v2.json) agrees
    for entry in ("{ provider: local }", "{ schedule: daily, hour: 4, keep: 7 }", "{}"):
        text = SPEC_EXAMPLE.replace("{ provider: aws, schedule: daily }", entry)
        assert _errors(text, first_party) == [], entry


@pytest.mark.parametrize(
    ("entry", "path", "words"),
    [
        ("{ provider: gcs }", "modules.backup.provider", "allowed: 'local', 'aws'"),
        ("{ schedule: weekly }", "modules.backup.schedule", "allowed: 'daily'"),
        ("{ schedule: daily, hour: 24 }", "modules.backup.hour", "23"),
    ],
)
def test_what_the_module_does_not_offer_is_one_located_error(
    first_party: catalog.Catalog, entry: str, path: str, words: str
) -> None:
    text = SPEC_EXAMPLE.replace("{ provider: aws, schedule: daily }", entry)
    [(line, found_path, message)] = _errors(text, first_party)
    assert (line, found_path) == (6, path), message
    assert words in message


def test_the_provider_reaches_the_generated_settings() -> None:
    from quickscale_toolchain.generator.settings_model import component_assignments

    aws = component_assignments(PACKAGE, provider="aws", schedule="daily")
    assert aws["QUICKSCALE_BACKUP_PROVIDER"] == '"aws"'
    assert aws["QUICKSCALE_BACKUP_HOUR"] == "3"
    assert component_assignments(PACKAGE)["QUICKSCALE_BACKUP_PROVIDER"] == '"local"'


LOCAL = backup_storage({"QUICKSCALE_BACKUP_DIR": "/srv/backups"}, Path("/unused"))
BUCKET = backup_storage({"QUICKSCALE_BACKUP_S3_BUCKET": "acme-backups"}, Path("/unused"))


@pytest.mark.parametrize(
    ("debug", "provider", "storage", "errors"),
    [
        (False, "aws", LOCAL, ["quickscale_backup.E001"]),
        (False, "aws", BUCKET, []),
        (True, "aws", LOCAL, []),  # development: the local directory
        (False, "local", LOCAL, []),
    ],
)
def test_provider_aws_needs_the_bucket_before_deploying(
    debug: bool, provider: str, storage: dict[str, object], errors: list[str]
) -> None:
    from django.conf import settings as django_settings

    stores = {**django_settings.STORAGES, "dbbackup": storage}
    with override_settings(DEBUG=debug, QUICKSCALE_BACKUP_PROVIDER=provider, STORAGES=stores):
        found = check_bucket_for_deployment()
        assert [m.id for m in found] == errors
        assert all(m.level == checks.ERROR for m in found)
        deploy = checks.run_checks(include_deployment_checks=True)
        assert [m.id for m in deploy if m.id and m.id.startswith("quickscale_backup")] == errors
