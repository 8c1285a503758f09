"""Speed and memory of `nq57 run` beside the naive chain, measured in one go (`make bench`).

Five figures, each the median of ``--repeat`` runs taken in turn (so that a slow minute of
the machine touches every figure alike):

- ``nq57 run`` for the latest period, earlier periods processed, as in a real quarter:
  as a rerun (nothing changed since the last report, so cleaning and comparison are
  reused) and with ``--fresh`` (every step run);
- the naive chain for the same period (``scripts/naive_chain.py``: the papermill command
  for each notebook, ``jupyter nbconvert --to html --no-input``, the ``weasyprint``
  command), on its own copy of the processed tables;
- ``nq57 run`` for all four illustrative periods in one invocation, rerun and ``--fresh``.

Peak memory is the largest sum, over ``nq57`` and every process it started (the kernel,
the render processes), of resident memory (RSS, sampled every 50 ms from /proc) in the
timed runs; and, from two untimed runs, the same sum of proportional memory (PSS: a page
shared by several processes counted once).
Then the seconds of each step (``run.json``) of the last one-period runs.

Everything is written to a temporary folder: data/processed and reports/ are not touched.
Goals (issue 13): one period ≤ 4.5 s and ≤ 0.4 × the naive chain; four periods ≤ 10 s;
peak memory ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
GOALS = {"one": 4.5, "ratio": 0.4, "four": 10.0, "memory": 400}


def _naive_chain():
    spec = importlib.util.spec_from_file_location("naive_chain", ROOT / "scripts/naive_chain.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, whichever of their threads started them."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def _memory_kb(pid: int, proportional: bool) -> int:
    """Resident memory of the process tree of ``pid`` in KB: RSS, or PSS (slower to read)."""
    total = 0
    for current in _tree(pid):
        source, key = ("smaps_rollup", "Pss:") if proportional else ("status", "VmRSS:")
        try:
            for line in Path(f"/proc/{current}/{source}").read_text().splitlines():
                if line.startswith(key):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _nq57(
    periods: list[str], work: Path, fresh: bool = False, proportional: bool = False
) -> tuple[float, int]:
    """Wall seconds of one `nq57 run` and the peak memory of its tree (KB: RSS, or PSS)."""
    command = [
        str(Path(sys.executable).parent / "nq57"), "run", "--period", *periods,
        "--processed-dir", str(work / "processed"), "--reports-dir", str(work / "reports"),
        *(["--fresh"] if fresh else []),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _memory_kb(process.pid, proportional))
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"nq57 run failed ({process.returncode}):\n{out.decode()}\n{err.decode()}")
    return elapsed, peak


def _steps(work: Path) -> dict[str, float]:
    record = json.loads((work / "reports" / PERIODS[-1] / "run.json").read_text("utf-8"))
    return {s["step"]: s["seconds"] for s in record["steps"]}


def _line(label: str, values: list[float], goal: str = "") -> str:
    median = statistics.median(values)
    return f"{label:<44} {median:7.2f} s  (min {min(values):5.2f}, max {max(values):5.2f})  {goal}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args(argv)
    naive = _naive_chain()
    times: dict[str, list[float]] = {k: [] for k in ("one", "one_fresh", "naive", "four", "fresh")}
    rss = 0
    with tempfile.TemporaryDirectory(prefix="nq57-bench-run-") as tmp:
        work, chain = Path(tmp) / "nq57", Path(tmp) / "naive"
        # The history processed and each period's last report made; PSS read on the way
        # (reading it costs CPU, so the timed runs read RSS only).
        _, pss = _nq57(list(PERIODS), work, fresh=True, proportional=True)
        _, one_pss = _nq57([PERIODS[-1]], work, fresh=True, proportional=True)
        pss = max(pss, one_pss)
        for _ in range(args.repeat):
            for key, periods, fresh in (
                ("one", [PERIODS[-1]], False),
                ("one_fresh", [PERIODS[-1]], True),
                ("four", list(PERIODS), False),
                ("fresh", list(PERIODS), True),
            ):
                seconds, peak = _nq57(periods, work, fresh)
                times[key].append(seconds)
                rss = max(rss, peak)
                if key == "one":
                    steps_rerun = _steps(work)
                elif key == "one_fresh":
                    steps_fresh = _steps(work)
            shutil.rmtree(chain, ignore_errors=True)
            shutil.copytree(work / "processed", chain / "processed")
            times["naive"].append(
                naive.run(PERIODS[-1], ROOT / "data" / "raw", chain / "processed", chain / "out")
            )
    naive_median = statistics.median(times["naive"])
    goal_one = f"goal ≤ {GOALS['one']} s and ≤ {GOALS['ratio'] * naive_median:.2f} s (0.4 × naive)"
    print(f"cores: {os.cpu_count()}, runs per figure: {args.repeat}, period {PERIODS[-1]}")
    print(_line("nq57 run, one period (rerun, inputs as before)", times["one"], goal_one))
    print(_line("nq57 run, one period, --fresh (every step)", times["one_fresh"], goal_one))
    print(_line("naive chain, one period", times["naive"]))
    for key, label in (("one", "rerun"), ("one_fresh", "--fresh")):
        ratio = statistics.median(times[key]) / naive_median
        print(
            f"{'  ratio to the naive chain, ' + label:<44} {ratio:7.2f}    goal ≤ {GOALS['ratio']}"
        )
    print(
        _line("nq57 run, four periods at once (rerun)", times["four"], f"goal ≤ {GOALS['four']} s")
    )
    print(
        _line(
            "nq57 run, four periods at once, --fresh", times["fresh"], f"goal ≤ {GOALS['four']} s"
        )
    )
    print(
        f"{'peak memory, nq57 + kernel + render processes':<44} {rss / 1024:7.0f} MB RSS "
        f"({pss / 1024:.0f} MB PSS)   goal ≤ {GOALS['memory']} MB"
    )
    print("seconds per step, one period:  rerun | --fresh")
    for step in steps_fresh:
        print(f"  {step:<12} {steps_rerun.get(step, 0):6.2f} | {steps_fresh[step]:6.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
