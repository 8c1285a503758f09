"""Time parsing, linking and checking the shipped plan (target: ≤ 0.5 s).

Every run starts cold: the registry cache is cleared so the YAML is read again.
Usage: ``python scripts/bench_plan.py [RUNS]`` (default 20).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from nq57lib.core.project import Project
from nq57lib.plan import registry
from nq57lib.plan.catalogue import Catalogue, link_targets
from nq57lib.plan.checks import check_plan
from nq57lib.plan.parser import parse_plan

EXAMPLE = Project.load(Path(__file__).resolve().parent.parent)


def _one_run() -> dict[str, float]:
    registry._load_registry.cache_clear()
    start = time.perf_counter()
    reg = registry.load_registry(EXAMPLE.registry_path, EXAMPLE.areas)
    loaded = time.perf_counter()
    parsed = parse_plan(EXAMPLE.plan_path)
    parsed_at = time.perf_counter()
    targets, unmatched = link_targets(parsed, reg)
    linked = time.perf_counter()
    check_plan(Catalogue(targets, unmatched, reg, EXAMPLE.plan_path))
    checked = time.perf_counter()
    return {
        "registry": loaded - start,
        "parse": parsed_at - loaded,
        "link": linked - parsed_at,
        "check": checked - linked,
        "total": checked - start,
    }


def main(argv: list[str]) -> None:
    runs = int(argv[0]) if argv else 20
    timings = [_one_run() for _ in range(runs)]
    for stage in ("registry", "parse", "link", "check", "total"):
        values = [t[stage] for t in timings]
        print(
            f"plan {stage:<8} median {statistics.median(values) * 1000:7.1f} ms   "
            f"min {min(values) * 1000:7.1f} ms   max {max(values) * 1000:7.1f} ms"
        )
    print(f"plan: parse+link+check of {EXAMPLE.plan_path.name}, {runs} cold runs (target ≤ 500 ms)")


if __name__ == "__main__":
    main(sys.argv[1:])
