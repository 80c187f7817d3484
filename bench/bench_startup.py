"""Benchmark: `quickscale --help` start-up against a bare `python -c pass`.

    .venv/bin/python bench/bench_startup.py [--runs 20]

The CLI imports its sub-commands lazily; this keeps an eye on that by printing the
median of each and their ratio (the difference is the CLI's own import cost).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_time(args: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    quickscale = str(Path(sys.executable).parent / "quickscale")
    help_time = median_time([quickscale, "--help"], runs)
    bare = median_time([sys.executable, "-c", "pass"], runs)
    print(f"quickscale --help  median {help_time * 1000:6.1f} ms")
    print(f"python -c pass     median {bare * 1000:6.1f} ms")
    print(f"ratio              {help_time / bare:.2f}x")


if __name__ == "__main__":
    main()
