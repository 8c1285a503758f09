"""Measure ingestion speed: small unit workbooks cleaned per second on one core.

Generates N (default 250) small workbooks in a temporary folder — filled
collection templates of every unit and loose tables with titles, text numbers
and a signature footer — then times :func:`nq57lib.ingest.read_period` over them.
Target: at least 50 workbooks per second.

Run:  .venv/bin/python scripts/bench_ingest.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from nq57lib.collect.ingest import read_period
from nq57lib.collect.template import HEADER_ROW, STATUS_COL, VALUE_COL, build_template
from nq57lib.collect.units import load_reporting_units
from nq57lib.core.periods import Period
from nq57lib.core.project import Project
from nq57lib.plan.registry import load_registry

EXAMPLE = Project.load(Path(__file__).resolve().parent.parent)

PERIOD = Period.parse("2026-Q3")
TARGET = 50.0


def _filled_template(unit, registry) -> Workbook:
    wb = build_template(PERIOD, unit, registry, EXAMPLE.profile)
    ws = wb["Số liệu"]
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        indicator_id = ws.cell(row=row, column=2).value
        if indicator_id not in registry:
            continue
        indicator = registry[indicator_id]
        if indicator.qualitative:
            ws.cell(row=row, column=STATUS_COL, value="Đang triển khai")
        else:
            ws.cell(row=row, column=VALUE_COL, value=3 if indicator.unit == "count" else 57.5)
    return wb


def _loose_table() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "CÔNG AN PHƯỜNG HỒNG BÀNG"
    ws.merge_cells("A1:E1")
    ws["A2"] = "Báo cáo Quý III/2026 — Số liệu minh họa"
    for column, text in enumerate(["STT", "Noi dung", "DVT", "Ket qua", "Ghi chu"], 1):
        ws.cell(row=4, column=column, value=text)
    ws.append([1, "Ty le nguoi dan co tai khoan dinh danh dien tu (VNeID)", "%", "79,5%", ""])
    ws.append([2, "Nguoi dan co CKS", "%", "7,3 %", ""])
    ws.append([])
    ws.append(["", "Người lập biểu", "", "Trưởng Công an phường"])
    return wb


def make_workbooks(folder: Path, count: int) -> None:
    registry = load_registry(EXAMPLE.registry_path, EXAMPLE.areas)
    units = load_reporting_units(EXAMPLE.units_path, registry)
    kinds = [_filled_template(unit, registry) for unit in units] + [_loose_table()]
    (folder / PERIOD.code).mkdir(parents=True)
    for number in range(count):
        kinds[number % len(kinds)].save(folder / PERIOD.code / f"unit-{number:04d}.xlsx")


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 250
    pinned = hasattr(os, "sched_setaffinity")
    if pinned:
        # One core, as the target states; restored after, so that a bench run in the same
        # process (make bench) keeps every core.
        cores = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(cores)})
    try:
        with tempfile.TemporaryDirectory(prefix="nq57-bench-ingest-") as tmp:
            raw = Path(tmp)
            make_workbooks(raw, count)
            project = EXAMPLE.with_paths(raw_dir=raw)
            read_period(project, PERIOD)  # warm caches (registry, matcher imports)
            start = time.perf_counter()
            result = read_period(project, PERIOD)
            elapsed = time.perf_counter() - start
    finally:
        if pinned:
            os.sched_setaffinity(0, cores)
    rate = count / elapsed
    rows = int(result.quality["rows_read"].sum())
    print(f"ingest: {count} workbooks, {rows} rows in {elapsed:.2f} s on one core")
    verdict = "OK" if rate >= TARGET else "SLOW"
    print(f"ingest: {rate:.1f} workbooks/s (target ≥ {TARGET:.0f}) — {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])
