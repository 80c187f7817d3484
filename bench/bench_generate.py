"""Benchmark: `quickscale generate` with 20 and 200 models, and how its time grows.

    .venv/bin/python bench/bench_generate.py [--runs 5] [--sizes 20 200] [--migrations]

For each size, a project laid out as `init` leaves it gets a v2 config with that many
models (five fields each, every third with a foreign key) and `quickscale generate` is
run as a user runs it (a fresh process). Three timings per size, medians of --runs:
  first   - the generate that adds all the models (render, plan, atomic writes, records)
  noop    - a second generate with nothing to do (render + plan only)
  merge   - a generate that 3-way merges a user-edited generated_models.py
The growth ratio (200 vs 20) of the engine's own time, without the ~0.3 s of process
start-up, shows whether the cost is linear in the models: linear means about 10x for 10x
the models; the target is "not worse than linear". Migrations are skipped unless
--migrations is given (then Django's makemigrations dominates and is timed as well).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from quickscale_toolchain.generator import ownership
from quickscale_toolchain.generator.config_adapter import spec_from_config
from quickscale_toolchain.generator.engine import managed_files, render_project
from quickscale_toolchain.generator.scaffold import write_files

QUICKSCALE = str(Path(sys.executable).with_name("quickscale"))


def config(models: int) -> dict:
    entries = []
    for i in range(models):
        fields = [
            {"name": "title", "type": "string"},
            {"name": "body", "type": "text", "required": False},
            {"name": "amount", "type": "decimal"},
            {"name": "active", "type": "boolean"},
            {"name": "due", "type": "date", "required": False},
        ]
        if i % 3 == 2:
            fields[-1] = {"name": "parent", "type": "foreign_key", "to": f"Model{i - 1}"}
        entries.append({"name": f"Model{i}", "fields": fields})
    return {
        "schema_version": 2,
        "project": {"name": "bench"},
        "frontend": {"source": "./custom_frontend/", "variant": "default"},
        "customizations": {"models": entries, "business_rules": ["Amounts are positive"]},
    }


def fresh_project(parent: Path, models: int) -> Path:
    """A project as `init` writes it (no git), with the config asking for ``models``."""
    base = {k: v for k, v in config(0).items() if k != "customizations"}
    root = parent / "bench"
    spec = spec_from_config(base)
    write_files(root, render_project(spec))
    ownership.write(
        root, {p: f.content for p, f in managed_files(spec).items()}, ownership.Records()
    )
    (root / "quickscale.yml").write_text(yaml.safe_dump(config(models), sort_keys=False))
    (root / ".env").write_text("DJANGO_SECRET_KEY=bench-only-0123456789abcdefghijklmnopqrstuv\n")
    return root


def timed_generate(root: Path, migrations: bool) -> float:
    args = [QUICKSCALE, "generate"] + ([] if migrations else ["--no-migrations"])
    started = time.perf_counter()
    subprocess.run(args, cwd=root, check=True, capture_output=True)
    return time.perf_counter() - started


def startup() -> float:
    started = time.perf_counter()
    subprocess.run([QUICKSCALE, "--version"], check=True, capture_output=True)
    return time.perf_counter() - started


def measure(models: int, runs: int, migrations: bool) -> dict[str, float]:
    first, noop, merge = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            root = fresh_project(Path(tmp), models)
            first.append(timed_generate(root, migrations))
            noop.append(timed_generate(root, migrations))
            target = root / "bench" / "generated_models.py"
            target.write_text("# a user's note at the top\n" + target.read_text())
            data = config(models)
            data["customizations"]["models"][0]["fields"].append(
                {"name": "extra", "type": "url", "required": False}
            )
            (root / "quickscale.yml").write_text(yaml.safe_dump(data, sort_keys=False))
            merge.append(timed_generate(root, migrations))
    return {
        "first": statistics.median(first),
        "noop": statistics.median(noop),
        "merge": statistics.median(merge),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--migrations", action="store_true")
    options = parser.parse_args()
    base = statistics.median(startup() for _ in range(options.runs))
    print(f"process start-up (quickscale --version): {base:.3f}s")
    print(f"{'models':>6}  {'first':>8}  {'noop':>8}  {'merge':>8}   (median seconds)")
    results = {}
    for size in options.sizes:
        results[size] = measure(size, options.runs, options.migrations)
        row = results[size]
        print(f"{size:>6}  {row['first']:>8.3f}  {row['noop']:>8.3f}  {row['merge']:>8.3f}")
    small, large = min(options.sizes), max(options.sizes)
    if small != large:
        factor = large / small
        for key in ("first", "noop", "merge"):
            a = max(results[small][key] - base, 1e-3)
            b = max(results[large][key] - base, 1e-3)
            verdict = "linear or better" if b / a <= factor * 1.2 else "WORSE THAN LINEAR"
            print(
                f"{key:>6}: {results[large][key] / results[small][key]:.2f}x wall, "
                f"{b / a:.2f}x without start-up for {factor:.0f}x the models ({verdict})"
            )


if __name__ == "__main__":
    main()
