"""Benchmark: `quickscale validate` on a 500-model config against `python -c pass`.

    .venv/bin/python bench/bench_validate.py [--runs 10] [--models 500]

A project directory is laid out as `quickscale init` makes it (backend_extensions
module, frontend variants) with a schema_version 2 quickscale.yml holding `--models`
customization models of six fields each plus modules and business rules (about
0.2 MB). The real console script validates it `--runs` times, alternating with a bare
`python -c pass` so that machine load affects both alike; the medians and their ratio
are printed, with the CPU time (user + system) of each and the load average: on a busy
machine wall time grows with the load while CPU time stays close to the real cost. The
target is a median under 0.3 s wall; the difference to `python -c pass` is what
quickscale costs (imports, parsing, schema and semantic checks).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIELDS = """\
      fields:
        - {{ name: title, type: string, max_length: 120 }}
        - {{ name: body, type: text, required: false }}
        - {{ name: price, type: decimal, max_digits: 8, decimal_places: 2, default: 9.99 }}
        - {{ name: status, type: string, choices: [draft, live], default: draft }}
        - {{ name: released, type: date, required: false }}
        - {{ name: parent, type: foreign_key, to: {parent}, on_delete: protect }}
"""


def big_config(models: int) -> str:
    lines = [
        "schema_version: 2",
        "project:",
        "  name: acme",
        "  version: 1.0.0",
        "theme: starter",
        "backend_extensions: acme.backend_extensions",
        "modules:",
        "  auth: { provider: allauth }",
        "  notifications: { provider: sendgrid }",
        "frontend:",
        "  source: ./custom_frontend/",
        "  variant: default",
        "customizations:",
        "  models:",
    ]
    text = "\n".join(lines) + "\n"
    for i in range(models):
        parent = f"Model{i - 1}" if i else "User"
        text += f"    - name: Model{i}\n      description: Generated model number {i}.\n"
        text += FIELDS.format(parent=parent)
    text += "  business_rules:\n"
    text += "".join(f'    - "Rule {i}: orders over ${i}000 need approval"\n' for i in range(50))
    return text


def make_project(root: Path, models: int) -> Path:
    (root / "acme").mkdir(parents=True)
    (root / "acme" / "backend_extensions.py").write_text("")
    (root / "custom_frontend" / "variants" / "default").mkdir(parents=True)
    config = root / "quickscale.yml"
    config.write_text(big_config(models))
    return config


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--models", type=int, default=500)
    options = parser.parse_args()
    quickscale = str(Path(sys.executable).with_name("quickscale"))

    with tempfile.TemporaryDirectory() as tmp:
        config = make_project(Path(tmp) / "acme", options.models)
        size = config.stat().st_size
        ours: list[tuple[float, float]] = []
        baseline: list[tuple[float, float]] = []
        timed([quickscale, "validate"], config.parent)  # warm the file cache once
        for _ in range(options.runs):
            ours.append(timed([quickscale, "validate"], config.parent))
            baseline.append(timed([sys.executable, "-c", "pass"], config.parent))

    print(f"config: {options.models} models, {size / 1024:.0f} KiB, {options.runs} runs each")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    for name, runs in (("quickscale validate", ours), ("python -c pass", baseline)):
        wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
        least = min(r[0] for r in runs)
        print(
            f"{name:20} wall median {wall * 1000:6.1f} ms (min {least * 1000:6.1f})"
            f"  cpu median {cpu * 1000:6.1f} ms"
        )
    ratio = statistics.median(r[0] for r in ours) / statistics.median(r[0] for r in baseline)
    print(f"ratio validate/python (wall medians) {ratio:.1f}x   (target: validate < 300 ms wall)")


if __name__ == "__main__":
    main()
