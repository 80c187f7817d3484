"""A source given by URL: its catalogue comes from its published component branches."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RunCli
from quickscale_testing.repos import make_source_repo


def test_a_url_source_lists_inits_and_validates_from_its_published_branches(
    run_cli: RunCli, tmp_path: Path
) -> None:
    origin = make_source_repo(tmp_path / "origin")
    published = run_cli("publish", cwd=origin)
    assert published.returncode == 0, published.stderr
    # A file:// URL is a remote to git: fetched over its protocol, never read in place.
    env = {"QUICKSCALE_SOURCE": origin.as_uri(), "QUICKSCALE_CACHE_DIR": str(tmp_path / "cache")}

    listed = run_cli("components", "--format", "json", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    ids = {row["id"] for row in json.loads(listed.stdout)}
    assert {"themes/starter", "themes/todo", "modules/auth", "modules/notifications"} <= ids

    made = run_cli("init", "shop", "--theme", "todo", cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    shop = tmp_path / "shop"
    assert (shop / "quickscale_themes" / "todo" / "pyproject.toml").is_file()
    assert "theme: todo" in (shop / "quickscale.yml").read_text()
    # The default theme is data of the remote source as well.
    plain = run_cli("init", "plain", cwd=tmp_path, env=env)
    assert plain.returncode == 0, plain.stderr
    assert (tmp_path / "plain" / "quickscale_themes" / "starter" / "pyproject.toml").is_file()

    wrong = run_cli("init", "other", "--theme", "shiny", cwd=tmp_path, env=env)
    assert wrong.returncode == 2 and "starter" in wrong.stderr and "todo" in wrong.stderr
    assert not (tmp_path / "other").exists()

    # Inside a project the cached catalogue is read without the network: a module the
    # source offers validates although the project does not embed it yet.
    config = shop / "quickscale.yml"
    config.write_text(config.read_text() + "modules:\n  notifications:\n    provider: console\n")
    offline = {**env, "QUICKSCALE_SOURCE": "https://quickscale.invalid/offline.git"}
    cached = run_cli("validate", cwd=shop, env={**env})
    assert cached.returncode == 0, cached.stdout + cached.stderr
    unreachable = run_cli("validate", cwd=shop, env=offline)
    assert unreachable.returncode == 1 and "notifications" in unreachable.stdout


def test_an_unreachable_url_source_is_one_line_with_the_fix(run_cli: RunCli, tmp_path: Path):
    env = {
        "QUICKSCALE_SOURCE": (tmp_path / "nothing-here.git").as_uri(),
        "QUICKSCALE_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = run_cli("components", cwd=tmp_path, env=env)
    assert done.returncode == 1, done.stdout
    [line] = done.stderr.strip().splitlines()
    assert "cannot read the components of the source" in line and "--source PATH" in line
