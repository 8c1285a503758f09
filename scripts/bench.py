"""Run every speed measurement of nq57 and print the figures (`make bench`).

Each topic has its own script (bench_plan, bench_ingest, bench_compare, bench_run) with a
``main()``; this runner calls them in turn so one command reports everything. These are
benchmarks, not tests: nothing here fails on a slow machine.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOPICS = ("bench_plan", "bench_ingest", "bench_compare", "bench_run")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    chosen = [t for t in TOPICS if not argv or t.removeprefix("bench_") in argv]
    for name in chosen:
        if not (HERE / f"{name}.py").exists():
            print(f"== {name}: script missing, skipped")
            continue
        print(f"== {name}", flush=True)
        _load(name).main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
