"""The chain a user would write from the same tools, for one period (the yardstick of `make bench`).

The three notebooks by the papermill command, the briefing to HTML by
``jupyter nbconvert --to html --no-input``, the HTML to PDF by the ``weasyprint`` command:
five commands, each starting its own Python, importing its libraries and (papermill)
starting its own kernel. Nothing of nq57's run is used but the notebooks themselves.

Usage: ``python scripts/naive_chain.py --period 2026-Q3 --processed-dir D --out-dir O``
(``--raw-dir`` defaults to the project's data/raw). Prints the seconds it took.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def commands(period: str, raw: Path, processed: Path, out: Path) -> list[list[str]]:
    notebooks = ROOT / "nq57lib" / "notebooks"
    papermill = [str(BIN / "papermill"), "--log-level", "WARNING"]
    return [
        [*papermill, str(notebooks / "10-clean.ipynb"), str(out / "10-clean.ipynb"),
         "-p", "period", period, "-p", "raw_dir", str(raw), "-p", "processed_dir", str(processed)],
        [*papermill, str(notebooks / "20-compare.ipynb"), str(out / "20-compare.ipynb"),
         "-p", "period", period, "-p", "processed_dir", str(processed),
         "-p", "draw_charts", "False"],
        [*papermill, str(notebooks / "30-briefing.ipynb"), str(out / "30-briefing.ipynb"),
         "-p", "period", period, "-p", "processed_dir", str(processed),
         "-p", "raw_dir", str(raw), "-p", "illustrative", "False",
         "-p", "report_period", "", "-p", "as_of", ""],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
         "--log-level", "WARN", str(out / "30-briefing.ipynb")],
        [str(BIN / "weasyprint"), str(out / "30-briefing.html"), str(out / "30-briefing.pdf")],
    ]  # fmt: skip


def run(period: str, raw: Path, processed: Path, out: Path) -> float:
    """Wall seconds of the five commands in turn; SystemExit when one fails."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for command in commands(period, raw, processed, out):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{Path(command[0]).name} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2026-Q3")
    parser.add_argument("--raw-dir", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--processed-dir", type=Path, required=True)
    parser.add_argument("--out-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    seconds = run(args.period, args.raw_dir, args.processed_dir, args.out_dir)
    print(f"naive chain, {args.period}: {seconds:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
