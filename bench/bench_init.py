"""Benchmark: `quickscale init` and `update --check`, against a baseline and across history.

    .venv/bin/python bench/bench_init.py [--runs 20] [--commits 2000]

Two throwaway sources are made from this working tree: one with a single commit, and
one grown with `git fast-import` to --commits small commits touching files all over the
tree, whose last commit restores the same files (so both embed exactly the same code).
Each round times, in a fresh random order so that machine load and warm caches favour
none of them:
  init short     - `quickscale init acme` from the one-commit source
  init long      - the same from the long-history source
  init cold      - the same as init short, but with an empty per-user cache (the first
                   init on a machine: manifests validated, templates compiled)
  startproject   - `django-admin startproject acme`, the baseline
  update --check - in a fresh clone of a project made from the long source, after one
                   more source commit changed core (exit 3: an update is available)
  update short   - `quickscale update -c core` in that situation, from the short source
  update long    - the same from the long source (a fresh clone, as the update bot's,
                   lacks the embedded component commit and must rebuild it)
Targets: init long / init short <= 1.2x and update long / update short <= 1.2x
(embedding does not grow with history), init / startproject <= 3x (init renders ~40
files, makes a git repository and embeds quickscale_core and the starter theme),
update --check <= 0.5 s.

On a shared or virtual machine single timings swing by tens of percent, so a ratio is
the median of the per-round ratios (both sides of a pair ran within a second of each
other), shown with its interquartile range, and the same ratio of CPU time (user +
system of the whole process tree), which other machines' load hardly moves. Figures
only: a benchmark never asserts timings.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from quickscale_testing.repos import TEST_IDENTITY, make_source_repo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "quickscale_core" / "tests" / "distribution"))
from history import add_history  # noqa: E402  (test support, shared with the tests)


@dataclass
class Samples:
    """Wall and CPU seconds of one measured command, one pair per round."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    into: Samples,
    args: list[str],
    cwd: Path,
    ok: tuple[int, ...] = (0,),
    env: dict[str, str] | None = None,
) -> None:
    cpu_before, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, check=False, env=env or os.environ.copy()
    )
    into.wall.append(time.perf_counter() - started)
    into.cpu.append(_children_cpu() - cpu_before)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args[:3])} failed ({done.returncode}): {done.stderr}")


def pressure() -> str:
    """The kernel's CPU and I/O pressure (share of the last minute some task waited),
    where Linux reports it: init writes ~400 files and startproject 6, so disk contention
    moves their ratio, and a reader of the figures should know how busy the disk was."""
    found = []
    for kind in ("cpu", "io"):
        try:
            first = Path(f"/proc/pressure/{kind}").read_text().splitlines()[0]
        except (OSError, IndexError):
            continue
        fields = dict(part.split("=") for part in first.split()[1:])
        found.append(f"{kind} {float(fields['avg60']):.0f}%")
    return f"pressure (avg60, some): {', '.join(found)}" if found else "pressure: not reported"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def quartiles(values: list[float]) -> tuple[float, float, float]:
    low, mid, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, mid, high


def line(label: str, samples: Samples) -> str:
    low, mid, high = quartiles(samples.wall)
    cpu = statistics.median(samples.cpu)
    return (
        f"{label:<28} median {mid * 1000:6.0f} ms  (IQR {low * 1000:.0f}-{high * 1000:.0f},"
        f" min {min(samples.wall) * 1000:.0f})  cpu {cpu * 1000:5.0f} ms"
    )


def ratio(label: str, top: Samples, bottom: Samples, target: str) -> str:
    """The median of per-round ratios, wall and CPU, with the wall ratios' IQR."""
    walls = [t / b for t, b in zip(top.wall, bottom.wall, strict=True)]
    cpus = [t / b for t, b in zip(top.cpu, bottom.cpu, strict=True)]
    low, mid, high = quartiles(walls)
    return (
        f"{label:<28} {mid:5.2f}x  (IQR {low:.2f}-{high:.2f})  cpu {statistics.median(cpus):.2f}x"
        f"   {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="rounds (default 20)")
    parser.add_argument("--commits", type=int, default=2000)
    options = parser.parse_args()
    if options.runs < 2:
        parser.error("--runs must be at least 2 (quartiles need two rounds)")
    bin_dir = Path(sys.executable).parent
    quickscale, django_admin = str(bin_dir / "quickscale"), str(bin_dir / "django-admin")
    keys = ("short", "long", "cold", "django", "check", "update short", "update long")
    results = {k: Samples() for k in keys}

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # A cache of the bench's own, warmed by the first init below, as on a machine
        # that has made a project before; "init cold" starts each round with an empty one.
        os.environ["QUICKSCALE_CACHE_DIR"] = str(work / "cache")
        short = make_source_repo(work / "short")
        long = make_source_repo(work / "long")
        started = time.perf_counter()
        add_history(long, options.commits)
        built = time.perf_counter() - started
        count = git(long, "rev-list", "--count", "HEAD")
        print(f"long-history source: {count} commits (fast-import: {built:.1f} s)")
        print(f"before the rounds: {pressure()}")

        # For the updates: a copy of each source, a project made from it, then one more
        # source commit that changes core.
        updating = {}
        for key, source in (("short", short), ("long", long)):
            copy, base = work / f"{key}-u", work / f"base-{key}"
            git(work, "clone", "-q", "--no-local", str(source), str(copy))
            base.mkdir()
            timed(Samples(), [quickscale, "init", "acme", "--source", str(copy)], base)
            names = copy / "quickscale_core/src/quickscale_toolchain/names.py"
            names.write_text(names.read_text() + "# one more change\n")
            subprocess.run(
                ["git", "commit", "-q", "-am", "core: one more change"],
                cwd=copy,
                env={**os.environ, **TEST_IDENTITY},
                check=True,
            )
            updating[key] = (copy, base / "acme")

        order = random.Random(2026)
        for i in range(options.runs):
            run = work / f"run{i}"
            for sub in ("s", "l", "c", "d"):
                (run / sub).mkdir(parents=True)
            for key, (_, project) in updating.items():
                git(work, "clone", "-q", "--no-local", str(project), str(run / f"clone-{key}"))
            git(work, "clone", "-q", "--no-local", str(updating["long"][1]), str(run / "check"))
            cold = {**os.environ, "QUICKSCALE_CACHE_DIR": str(run / "empty-cache")}
            update = [quickscale, "update", "-c", "core", "--source"]
            steps = [
                ("short", [quickscale, "init", "acme", "--source", str(short)], run / "s", {}),
                ("long", [quickscale, "init", "acme", "--source", str(long)], run / "l", {}),
                ("cold", [quickscale, "init", "acme", "--source", str(short)], run / "c", cold),
                ("django", [django_admin, "startproject", "acme"], run / "d", {}),
                *(
                    (f"update {key}", [*update, str(copy)], run / f"clone-{key}", {})
                    for key, (copy, _) in updating.items()
                ),
            ]
            order.shuffle(steps)
            for key, args, cwd, env in steps:
                timed(results[key], args, cwd, env=env or None)
            check = [quickscale, "update", "--check", "--source", str(updating["long"][0])]
            timed(results["check"], check, run / "check", ok=(3,))
            shutil.rmtree(run)

    print(f"{options.runs} rounds, load average now {os.getloadavg()[0]:.2f}, {pressure()}")
    print(line("init (1-commit source)", results["short"]))
    print(line(f"init ({count}-commit source)", results["long"]))
    print(line("init, empty cache", results["cold"]))
    print(line("django-admin startproject", results["django"]))
    print(line("update --check", results["check"]))
    print(line("update (1-commit source)", results["update short"]))
    print(line(f"update ({count}-commit source)", results["update long"]))
    print(ratio("history ratio long/short", results["long"], results["short"], "target <= 1.2x"))
    print(
        ratio(
            "  of update, fresh clones",
            results["update long"],
            results["update short"],
            "target <= 1.2x",
        )
    )
    print(ratio("init / startproject", results["short"], results["django"], "target <= 3x"))
    print(ratio("  with an empty cache", results["cold"], results["django"], "first init"))
    check_m = statistics.median(results["check"].wall)
    print(f"{'update --check':<28} {check_m:5.3f} s   target <= 0.5 s")


if __name__ == "__main__":
    main()
