"""Time one comparison over 10 years of monthly history for every registry indicator.

Target: one ``assess`` call ≤ 1 s. Synthetic data: every indicator in the registry gets
milestones 2025–2045 and a monthly observation from 2026-01 to 2035-12 (levels rising,
flows counted per month, qualitative stages moving on), plus a quarterly report for each
flow so the double-counting rule is exercised. Run: ``python scripts/bench_compare.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pandas as pd

from nq57lib.assess.status import assess, status_history
from nq57lib.core.project import Project
from nq57lib.plan.registry import load_registry

EXAMPLE = Project.load(Path(__file__).resolve().parent.parent)

YEARS = range(2026, 2036)
MILESTONES = (2025, 2030, 2035, 2040, 2045)
STAGE_BY_YEAR = ("not_started", "in_progress", "in_progress", "done")


def synthetic_targets(registry) -> pd.DataFrame:
    rows = []
    for n, indicator in enumerate(registry):
        for k, year in enumerate(MILESTONES):
            quantitative = indicator.kind != "milestone"
            value = {"%": 60 + 10 * k if k < 4 else 100, "count": 2 + k, "index": 0.7}.get(
                indicator.unit
            )
            rows.append(
                {
                    "target_id": f"{indicator.id}-{year}",
                    "indicator_id": indicator.id,
                    "milestone_year": year,
                    "area": indicator.area,
                    "comparator": ">=" if quantitative else None,
                    "value": float(value) if quantitative and value is not None else None,
                    "value_max": None,
                    "unit": indicator.unit,
                    "per_year": indicator.kind == "flow",
                    "qualitative": not quantitative,
                    "text": "",
                    "source_line": n * 10 + k,
                }
            )
    return pd.DataFrame(rows)


def synthetic_observations(registry) -> pd.DataFrame:
    rows = []
    for n, indicator in enumerate(registry):
        for y, year in enumerate(YEARS):
            for month in range(1, 13):
                step = y * 12 + month
                period = f"{year}-{month:02d}"
                value, stage = None, None
                if indicator.kind == "milestone":
                    stage = STAGE_BY_YEAR[min(y // 3, 3)]
                elif indicator.kind == "flow":
                    value = float((step + n) % 3)
                elif indicator.unit == "%":
                    value = min(40 + 0.4 * step + n % 7, 100.0)
                else:
                    value = 1 + 0.05 * step
                rows.append(
                    {
                        "period": period,
                        "indicator_id": indicator.id,
                        "value": value,
                        "status": stage,
                    }
                )
            if indicator.kind == "flow":
                for quarter in range(1, 5):
                    rows.append(
                        {
                            "period": f"{year}-Q{quarter}",
                            "indicator_id": indicator.id,
                            "value": 3.0,
                            "status": None,
                        }
                    )
    return pd.DataFrame(rows)


def main(argv: list[str]) -> None:
    del argv  # no options
    registry = load_registry(EXAMPLE.registry_path, EXAMPLE.areas)
    targets = synthetic_targets(registry)
    observations = synthetic_observations(registry)
    print(
        f"compare: {len(registry)} indicators, {len(targets)} targets, "
        f"{len(observations)} observations (10 years monthly + quarterly flows)"
    )
    assess(targets, observations, "2035-12", registry)  # warm caches (period parsing)
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        status = assess(targets, observations, "2035-12", registry)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"  assess(2035-12): median {median * 1000:.0f} ms over 7 runs ({len(status)} status rows)"
    )
    print(f"  target ≤ 1 s: {'met' if median <= 1.0 else 'NOT met'}")
    quarters = [f"{y}-Q{q}" for y in YEARS for q in range(1, 5)]
    start = time.perf_counter()
    status_history(targets, observations, quarters, registry)
    print(f"  status_history over {len(quarters)} quarters: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
