"""`config upgrade`: v1 -> v2 in place, every comment and key kept, validated, atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from config_samples import VALID_V1, VALID_V2
from quickscale_toolchain.config import InvalidConfigError, load_config, upgrade_file, validate_file

COMMENTED_V1 = """\
# QuickScale project definition — top comment
schema_version: 1   # bumped by `quickscale config upgrade`
project:            # who we are
  name: acme        # package name
  version: 0.1.0

# The theme
theme: starter

# Backend customizations
backend_extensions: acme.backend_extensions

frontend:
  # where templates live
  source: ./custom_frontend/
  variant: default  # the client variant
# trailing comment
"""


def comments(text: str) -> list[str]:
    return [line[line.index("#") :] for line in text.splitlines() if "#" in line]


def test_upgrade_keeps_every_comment_and_key_and_validates_as_v2(project: Path):
    path = project / "quickscale.yml"
    path.write_text(COMMENTED_V1)
    result = upgrade_file(path)
    upgraded = path.read_text()
    assert result.changed and (result.from_version, result.to_version) == (1, 2)
    assert comments(upgraded) == comments(COMMENTED_V1)
    assert upgraded == COMMENTED_V1.replace("schema_version: 1 ", "schema_version: 2 ", 1)
    assert validate_file(path) == []
    assert load_config(path).schema_version == 2


def test_upgrade_keeps_crlf_bom_and_file_mode(project: Path):
    path = project / "quickscale.yml"
    original = b"\xef\xbb\xbf" + VALID_V1.replace("\n", "\r\n").encode()
    path.write_bytes(original)
    path.chmod(0o640)
    upgrade_file(path)
    assert path.read_bytes() == original.replace(b"schema_version: 1", b"schema_version: 2")
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []


def test_flow_style_and_tagged_versions_are_rewritten_at_the_exact_spot(project: Path):
    path = project / "quickscale.yml"
    path.write_text("{schema_version: !!int 1, project: {name: acme}}  # one line\n")
    upgrade_file(path, file="quickscale.yml")
    assert path.read_text() == "{schema_version: 2, project: {name: acme}}  # one line\n"


def test_v1_modules_take_effect_and_are_noted(project: Path):
    path = project / "quickscale.yml"
    path.write_text(VALID_V1 + "modules:\n  notifications: {provider: smtp}\n")
    result = upgrade_file(path)
    assert result.notes == ["'modules' now takes effect (it was ignored under schema_version 1)"]
    assert result.diagnostics == []


def test_upgrade_refuses_when_modules_would_be_invalid_in_v2(project: Path):
    path = project / "quickscale.yml"
    text = VALID_V1 + "modules:\n  auth: {provider: paypal}\n"
    path.write_text(text)
    with pytest.raises(InvalidConfigError) as raised:
        upgrade_file(path)
    assert "would be invalid as schema_version 2" in raised.value.message
    assert [(d.line, d.column, d.dotted_path) for d in raised.value.diagnostics] == [
        (16, 20, "modules.auth.provider")
    ]
    assert path.read_text() == text


def test_upgrade_refuses_an_invalid_v1_file_and_leaves_it_alone(project: Path):
    path = project / "quickscale.yml"
    text = VALID_V1.replace("theme: starter", "theme: startr")
    path.write_text(text)
    with pytest.raises(InvalidConfigError) as raised:
        upgrade_file(path)
    assert "fix its errors first" in raised.value.message
    assert [d.dotted_path for d in raised.value.diagnostics] == ["theme"]
    assert path.read_text() == text


def test_upgrade_refuses_unknown_or_missing_version(project: Path):
    path = project / "quickscale.yml"
    path.write_text("project:\n  name: acme\n")
    with pytest.raises(InvalidConfigError) as raised:
        upgrade_file(path)
    assert raised.value.diagnostics[0].dotted_path == "schema_version"


def test_upgrade_of_a_v2_file_changes_nothing(project: Path):
    path = project / "quickscale.yml"
    path.write_text(VALID_V2)
    before = os.stat(path).st_mtime_ns
    result = upgrade_file(path)
    assert not result.changed and os.stat(path).st_mtime_ns == before


def test_a_symlinked_config_keeps_its_link_and_its_target_is_upgraded(project: Path, tmp_path):
    real = tmp_path / "shared" / "acme.yml"
    real.parent.mkdir()
    real.write_text(VALID_V1)
    link = project / "quickscale.yml"
    link.symlink_to(real)
    upgrade_file(link)
    assert link.is_symlink() and "schema_version: 2" in real.read_text()
    assert [p.name for p in real.parent.iterdir()] == ["acme.yml"]
