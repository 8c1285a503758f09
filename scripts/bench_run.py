"""Speed and memory of `nq57 run` on the illustrative data (part of `make bench`).

Prints the median wall time of `nq57 run` for the latest period (earlier periods already
processed, as in a real quarter), the median for all four illustrative periods in one
invocation, and peak memory two ways: the largest single process (getrusage of children)
and the whole process tree (nq57 + its kernel) sampled from /proc while it runs.

Everything is written to a temporary folder: data/processed and reports/ are not touched.
Goals (issue 5): one period ≤ 6 s median, four periods ≤ 15 s, peak memory ≤ 600 MB.
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

ROOT = Path(__file__).resolve().parent.parent
PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        todo.extend(int(c) for c in children)
    return total


def _run(periods: list[str], work: Path) -> tuple[float, int]:
    """Wall seconds of one `nq57 run` and the peak RSS of its process tree (KB)."""
    command = [
        sys.executable, "-m", "nq57lib", "run", "--period", *periods,
        "--processed-dir", str(work / "processed"), "--reports-dir", str(work / "reports"),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kb(process.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"nq57 run failed ({process.returncode}):\n{out.decode()}\n{err.decode()}")
    return elapsed, peak


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nq57-bench-run-") as tmp:
        work = Path(tmp)
        four, peaks = [], []
        for _ in range(args.repeat):
            seconds, peak = _run(list(PERIODS), work)
            four.append(seconds)
            peaks.append(peak)
        one = []
        for _ in range(args.repeat):
            seconds, peak = _run([PERIODS[-1]], work)
            one.append(seconds)
            peaks.append(peak)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"cores: {os.cpu_count()}, runs per figure: {args.repeat}")
    print(f"nq57 run, one period ({PERIODS[-1]}): median {statistics.median(one):.2f} s (≤ 6 s)")
    print(f"nq57 run, four periods at once: median {statistics.median(four):.2f} s (≤ 15 s)")
    print(f"peak RSS, largest single process (getrusage children): {children / 1024:.0f} MB")
    print(f"peak RSS, bench process itself (getrusage self): {own / 1024:.0f} MB")
    print(f"peak RSS, nq57 + kernel together (sampled): {max(peaks) / 1024:.0f} MB (≤ 600 MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
