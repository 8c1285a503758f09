"""Run every speed measurement of nq57 and print the figures (`make bench`).

Each topic has its own script (bench_plan, bench_ingest, bench_compare, bench_run) with a
``main()``; this runner calls them in turn so one command reports everything. The ``plan``
topic also times reading plans in every format (:func:`bench_plan_documents`): the shipped
Markdown plan, the same plan as .docx, and a generated ~100-page .docx (targets: ≤ 0.5 s
and ≤ 2 s). These are benchmarks, not tests: nothing here fails on a slow machine.

Usage: ``python scripts/bench.py [plan] [ingest] [compare] [run] [city]`` (default: all).
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOPICS = ("bench_plan", "bench_ingest", "bench_compare", "bench_run", "bench_city")
# About 100 A4 pages of 13 pt text.
LONG_DOCX_WORDS = 45_000


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plan_docx(markdown: Path, out: Path, min_words: int = 0) -> tuple[Path, int]:
    """The Markdown plan as a .docx (bullets in "List Bullet", each copy followed by a
    table with a merged cell), repeated until it holds ``min_words`` words; (path, words)."""
    import docx

    text = markdown.read_text(encoding="utf-8")
    # Bold marks go (Word shows bold, not stars); "$\geq 80\%$" stays for the parser to read.
    lines = [line.replace("**", "").strip() for line in text.split("\n")]
    document = docx.Document()
    words = 0
    while True:
        for line in lines:
            if line.startswith("- "):
                document.add_paragraph(line[2:], style="List Bullet")
            else:
                document.add_paragraph(line)
            words += len(line.split())
        table = document.add_table(rows=10, cols=4)
        for row, table_row in enumerate(table.rows):
            for column, cell in enumerate(table_row.cells):
                cell.text = f"Ô {row}.{column} của bảng phân công nhiệm vụ"
                words += len(cell.text.split())
        table.cell(0, 0).merge(table.cell(0, 1))
        if words >= min_words:
            break
    document.save(out)
    return out, words


def _median_ms(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), min(timings), max(timings)


def bench_plan_documents(runs: int = 9) -> None:
    """Time reading and parsing the plan as Markdown and .docx, and reading a long .docx."""
    from nq57lib.core.project import Project

    EXAMPLE = Project.load(HERE.parent)
    from nq57lib.plan.parser import parse_plan
    from nq57lib.plan.tasks import parse_tasks
    from nq57lib.plan.text import read_plan_lines

    def parse_both(path: Path) -> None:
        parse_plan(path)
        parse_tasks(path)

    with tempfile.TemporaryDirectory() as folder:
        shipped_docx, _ = _plan_docx(EXAMPLE.plan_path, Path(folder) / "plan.docx")
        long_docx, words = _plan_docx(
            EXAMPLE.plan_path, Path(folder) / "long.docx", min_words=LONG_DOCX_WORDS
        )
        cases = (
            ("md lines", lambda: read_plan_lines(EXAMPLE.plan_path)),
            ("md parse", lambda: parse_both(EXAMPLE.plan_path)),
            ("docx lines", lambda: read_plan_lines(shipped_docx)),
            ("docx parse", lambda: parse_both(shipped_docx)),
            ("long lines", lambda: read_plan_lines(long_docx)),
            ("long targets", lambda: parse_plan(long_docx)),
        )
        for name, action in cases:
            median, low, high = _median_ms(action, runs)
            print(
                f"plan {name:<12} median {median:7.1f} ms   min {low:7.1f} ms   max {high:7.1f} ms"
            )
    print(
        f"plan documents: {EXAMPLE.plan_path.name} as Markdown and .docx (parse = targets + "
        f"tasks; target ≤ 500 ms), and a .docx of {words:,} words (~100 A4 pages; target "
        f"≤ 2000 ms), {runs} runs each"
    )


# Benches kept in this file, run after the topic script of the same name.
EXTRA = {"bench_plan": bench_plan_documents}


def main(argv: list[str]) -> int:
    chosen = [t for t in TOPICS if not argv or t.removeprefix("bench_") in argv]
    for name in chosen:
        print(f"== {name}", flush=True)
        if (HERE / f"{name}.py").exists():
            _load(name).main([])
        else:
            print(f"{name}: script missing, skipped")
        if name in EXTRA:
            EXTRA[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
