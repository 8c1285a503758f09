"""Time parsing, linking and checking the shipped plan (target: ≤ 0.5 s).

Every run starts cold: the registry cache is cleared so the YAML is read again.
Usage: ``python scripts/bench_plan.py [RUNS]`` (default 20).
"""

from __future__ import annotations

import statistics
import sys
import time

from nq57lib.core import config
from nq57lib.plan import registry
from nq57lib.plan.catalogue import Catalogue, link_targets
from nq57lib.plan.checks import check_plan
from nq57lib.plan.parser import parse_plan


def _one_run() -> dict[str, float]:
    registry._load_registry.cache_clear()
    start = time.perf_counter()
    reg = registry.load_registry()
    loaded = time.perf_counter()
    parsed = parse_plan(config.PLAN_PATH)
    parsed_at = time.perf_counter()
    targets, unmatched = link_targets(parsed, reg)
    linked = time.perf_counter()
    check_plan(Catalogue(targets, unmatched, reg, config.PLAN_PATH))
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
    print(f"plan: parse+link+check of {config.PLAN_PATH.name}, {runs} cold runs (target ≤ 500 ms)")


if __name__ == "__main__":
    main(sys.argv[1:])
