"""SIGKILL `quickscale generate` at random points, repeatedly: no file is ever half-written.

After every kill each path holds either its old bytes or its new bytes (or is absent on
the side it is absent); the only other files allowed are our temporary files, which the
next run removes. Finishing the run then gives exactly the tree of an uninterrupted run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from gen_support import ORDER, PRODUCT, config, generate, make_project, tree_bytes, write_config
from quickscale_toolchain.generator.atomic import TEMP_SUFFIX
from quickscale_toolchain.generator.transaction import PENDING

CLI = str(Path(sys.executable).with_name("quickscale"))
KILLS = 12


def big_change() -> dict:
    models = [PRODUCT, ORDER] + [
        {"name": f"Thing{i}", "fields": [{"name": "title", "type": "string"}]} for i in range(30)
    ]
    data = config(models=models, rules=["No refunds"], variant="client_a")
    data["frontend"]["source"] = "./web/"  # moves ~15 files: many writes and removals
    return data


def start(root: Path) -> None:
    settings = root / "acme/settings.py"
    settings.write_text("# a note the user added\n" + settings.read_text())
    readme = root / "README.md"
    readme.write_text(readme.read_text() + "\nUser's own notes.\n")


def run_generate(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [CLI, "generate", "--no-migrations"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def directory_mtimes(root: Path) -> dict[str, int]:
    """A cheap fingerprint that changes as soon as a run creates or renames a file.

    The run being watched removes directories while this walks them, so a directory that
    vanishes between listing and reading is left out rather than raised (os.walk ignores
    listing errors by default; the stat is guarded here).
    """
    mtimes: dict[str, int] = {}
    for directory, _dirs, _files in os.walk(root):
        try:
            mtimes[directory] = os.stat(directory).st_mtime_ns
        except FileNotFoundError:
            continue
    return mtimes


def wait_for_first_write(root: Path, proc: subprocess.Popen[bytes]) -> None:
    before = directory_mtimes(root)
    while proc.poll() is None and directory_mtimes(root) == before:
        time.sleep(0.0005)


def test_sigkill_at_random_points_never_leaves_a_half_written_file(tmp_path: Path):
    old_root = make_project(tmp_path / "old" / "acme", config())
    start(old_root)
    write_config(old_root, big_change())
    old = tree_bytes(old_root)
    new_root = tmp_path / "new" / "acme"
    shutil.copytree(old_root, new_root)
    generate(new_root)
    new = tree_bytes(new_root)
    assert len({p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}) > 30

    timing_root = tmp_path / "timing" / "acme"
    shutil.copytree(old_root, timing_root)
    timing = run_generate(timing_root)
    wait_for_first_write(timing_root, timing)
    began = time.monotonic()
    assert timing.wait(timeout=120) == 0
    window = time.monotonic() - began  # from the first write to the end of the run

    root = tmp_path / "killed" / "acme"
    shutil.copytree(old_root, root)
    chance = random.Random(4)
    killed_midway = 0
    states: list[str] = []
    previous = old
    for _ in range(KILLS):
        proc = run_generate(root)
        wait_for_first_write(root, proc)  # then kill somewhere inside the writing
        time.sleep(chance.uniform(0, window))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=60)
        killed_midway += code == -signal.SIGKILL
        now = tree_bytes(root)
        # --no-migrations leaves the owed migration recorded (a complete run too)
        now.pop(PENDING, None)
        states.append(
            "old" if now == old else "new" if now == new else "mixed" if now != previous else "same"
        )
        previous = now
        if now == new:  # finished despite the kill: start over from the old tree
            shutil.rmtree(root)
            shutil.copytree(old_root, root)
            previous = old
        for path in old.keys() | new.keys() | now.keys():
            if path not in old and path not in new:
                assert path.endswith(TEMP_SUFFIX), f"unexpected file {path}"
                continue
            assert now.get(path) in (old.get(path), new.get(path)), f"{path} is half-written"
    # Timing varies with machine load, so the bounds are loose; they still prove that
    # runs were killed, and that kills landed between two file writes.
    assert killed_midway >= 3, states
    assert states.count("mixed") >= 2, states
    assert run_generate(root).wait(timeout=120) == 0
    final = tree_bytes(root)
    assert b'"makemigrations": true' in final.pop(PENDING)  # owed, as --no-migrations says
    assert final == new
