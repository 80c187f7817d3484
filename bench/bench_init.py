"""Benchmark: `quickscale init` against `django-admin startproject`, in one run.

    .venv/bin/python bench/bench_init.py [--runs 10]

Both commands are run the same number of times in fresh temporary directories on this
machine, alternating so that machine load affects both alike; the medians and their
ratio are printed. `init` does much more (renders ~40 files, makes a git repository and
embeds quickscale_core by `git subtree`), so the target is a ratio under 5x and an
absolute median under one second. The source is a throwaway repository made from this
working tree (the same path `init` takes from a development checkout).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quickscale_core.testing import make_source_repo


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    quickscale, django_admin = str(bin_dir / "quickscale"), str(bin_dir / "django-admin")

    with tempfile.TemporaryDirectory() as tmp:
        source = make_source_repo(Path(tmp) / "source")
        ours: list[float] = []
        baseline: list[float] = []
        for i in range(options.runs):
            work = Path(tmp) / f"run{i}"
            (work / "q").mkdir(parents=True)
            (work / "d").mkdir()
            ours.append(timed([quickscale, "init", "acme", "--source", str(source)], work / "q"))
            baseline.append(timed([django_admin, "startproject", "acme"], work / "d"))
            shutil.rmtree(work)

    q, d = statistics.median(ours), statistics.median(baseline)
    print(f"quickscale init           median {q * 1000:7.1f} ms  (min {min(ours) * 1000:.1f})")
    print(f"django-admin startproject median {d * 1000:7.1f} ms  (min {min(baseline) * 1000:.1f})")
    print(f"ratio init/startproject   {q / d:.2f}x   (target < 5x, init < 1000 ms)")


if __name__ == "__main__":
    main()
