"""Benchmark: `quickscale init` and `update --check`, against a baseline and across history.

    .venv/bin/python bench/bench_init.py [--runs 10] [--commits 2000]

Two throwaway sources are made from this working tree: one with a single commit, and
one grown with `git fast-import` to --commits small commits touching files all over the
tree, whose last commit restores the same files (so both embed exactly the same code).
Each run, alternating so machine load affects all alike, times:
  init short     - `quickscale init acme` from the one-commit source
  init long      - the same from the long-history source
  init cold      - the same as init short, but with an empty per-user cache (the first
                   init on a machine: manifests validated, templates compiled)
  startproject   - `django-admin startproject acme`, the baseline
  update --check - in a fresh clone of a project made from the long source, after one
                   more source commit changed core (exit 3: an update is available)
Targets: init long / init short <= 1.2x (embedding does not grow with history),
init / startproject <= 3x (init renders ~40 files, makes a git repository and embeds
quickscale_core and the starter theme by `git subtree`), update --check <= 0.5 s.
Figures only: a benchmark never asserts timings.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quickscale_core.testing import TEST_IDENTITY, make_source_repo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "quickscale_core" / "tests" / "distribution"))
from history import add_history  # noqa: E402  (test support, shared with the tests)


def timed(
    args: list[str], cwd: Path, ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None
) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, check=False, env=env or os.environ.copy()
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args[:3])} failed ({done.returncode}): {done.stderr}")
    return elapsed


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def line(label: str, samples: list[float]) -> str:
    median = statistics.median(samples)
    return f"{label:<26} median {median * 1000:7.1f} ms  (min {min(samples) * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--commits", type=int, default=2000)
    options = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    quickscale, django_admin = str(bin_dir / "quickscale"), str(bin_dir / "django-admin")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # A cache of the bench's own, warmed by the first init below, as on a machine
        # that has made a project before; "init cold" starts each run with an empty one.
        os.environ["QUICKSCALE_CACHE_DIR"] = str(work / "cache")
        short = make_source_repo(work / "short")
        long = make_source_repo(work / "long")
        started = time.perf_counter()
        add_history(long, options.commits)
        built = time.perf_counter() - started
        count = git(long, "rev-list", "--count", "HEAD")
        print(f"long-history source: {count} commits (fast-import: {built:.1f} s)")

        # A project from the long source, then one more source commit that changes core.
        (work / "base").mkdir()
        timed([quickscale, "init", "acme", "--source", str(long)], work / "base")
        names = long / "quickscale_core/src/quickscale_core/names.py"
        names.write_text(names.read_text() + "# one more change\n")
        subprocess.run(
            ["git", "commit", "-q", "-am", "core: one more change"],
            cwd=long,
            env={**os.environ, **TEST_IDENTITY},
            check=True,
        )

        results: dict[str, list[float]] = {
            k: [] for k in ("short", "long", "cold", "django", "check")
        }
        for i in range(options.runs):
            run = work / f"run{i}"
            for sub in ("s", "l", "c", "d"):
                (run / sub).mkdir(parents=True)
            results["short"].append(
                timed([quickscale, "init", "acme", "--source", str(short)], run / "s")
            )
            results["long"].append(
                timed([quickscale, "init", "acme", "--source", str(long)], run / "l")
            )
            cold = {**os.environ, "QUICKSCALE_CACHE_DIR": str(run / "empty-cache")}
            results["cold"].append(
                timed([quickscale, "init", "acme", "--source", str(short)], run / "c", env=cold)
            )
            results["django"].append(timed([django_admin, "startproject", "acme"], run / "d"))
            clone = run / "clone"
            git(work, "clone", "-q", "--no-local", str(work / "base" / "acme"), str(clone))
            results["check"].append(
                timed([quickscale, "update", "--check", "--source", str(long)], clone, ok=(3,))
            )
            shutil.rmtree(run)

    short_m, long_m = statistics.median(results["short"]), statistics.median(results["long"])
    django_m, check_m = statistics.median(results["django"]), statistics.median(results["check"])
    print(line("init (1-commit source)", results["short"]))
    print(line(f"init ({count}-commit source)", results["long"]))
    print(line("init, empty cache", results["cold"]))
    print(line("django-admin startproject", results["django"]))
    print(line("update --check", results["check"]))
    print(f"history ratio long/short    {long_m / short_m:.2f}x   (target <= 1.2x)")
    print(f"ratio init/startproject     {short_m / django_m:.2f}x   (target <= 3x)")
    cold_m = statistics.median(results["cold"])
    print(f"  with an empty cache       {cold_m / django_m:.2f}x   (first init on a machine)")
    print(f"update --check              {check_m:.3f} s   (target <= 0.5 s)")


if __name__ == "__main__":
    main()
