"""``nq57 rollup``: read the wards' exports, consolidate, and write the city's files together.

Everything is made in a staging folder inside ``out`` first: the HTML, the PDF, the Excel
companion and the stacked tidy tables (``chi-tieu-<P>.csv``, ``nhiem-vu-<P>.csv``). Only
when every file is made are they moved into ``out`` (one rename each), so a failed roll-up
leaves the last one whole.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nq57lib.core.atomic import make_staging, write_csv_atomic, write_text_atomic
from nq57lib.core.errors import RenderError
from nq57lib.core.workbooks import write_table_workbook
from nq57lib.report.render import check_engine, notebook_html, weasyprint_pdf
from nq57lib.rollup.city import NO_ROSTER, City
from nq57lib.rollup.read import read_exports
from nq57lib.rollup.render import Rollup, consolidate, notebook, workbook_sheets
from nq57lib.rollup.tables import stacked

FORMATS = ("html", "pdf", "xlsx")


@dataclass(frozen=True)
class RollupResult:
    rollup: Rollup
    written: dict[str, Path]
    pdf_skipped: str = ""  # why there is no PDF, when the engine is missing

    def summary_text(self) -> str:
        r = self.rollup
        lines = [f"{len(r.wards)} phường, xã trong báo cáo tổng hợp {r.period.code}"]
        if len(r.missing):
            lines.append(f"{len(r.missing)} phường, xã chưa có số liệu kỳ này: "
                         + ", ".join(r.missing["ward_name"]))  # fmt: skip
        for x in r.received.refused:
            lines.append(f"không tính {x.source}: {'; '.join(x.reasons)}")
        lines += [f"  {path}" for path in self.written.values()]
        if self.pdf_skipped:
            lines.append(f"PDF không được tạo: {self.pdf_skipped}")
        return "\n".join(lines)


def basename(period: str) -> str:
    return f"bao-cao-tong-hop-{period}"


def write_rollup(
    exports: list[Path | str],
    period: str,
    out: Path | str,
    city: City = NO_ROSTER,
    *,
    formats: tuple[str, ...] = FORMATS,
    made_on: date | None = None,
) -> RollupResult:
    """Consolidate ``exports`` for ``period`` into ``out``; the files written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderError(", ".join(unknown), f"unknown format; choose from {', '.join(FORMATS)}")
    rollup = consolidate(read_exports(exports, period), city, made_on or date.today())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stem = basename(rollup.period.code)
    staging = make_staging(out / stem)
    skipped = ""
    try:
        made: dict[str, Path] = {}
        nb = notebook(rollup)
        html = notebook_html(nb)
        if "html" in formats:
            made["html"] = write_text_atomic(html, staging / f"{stem}.html")
        if "pdf" in formats:
            try:
                check_engine("weasyprint")
            except RenderError as error:
                skipped = str(error)
            else:
                weasyprint_pdf(html, staging / f"{stem}.pdf")
                made["pdf"] = staging / f"{stem}.pdf"
        indicators, tasks = (
            stacked(rollup.received, "indicators"),
            stacked(rollup.received, "tasks"),
        )
        if "xlsx" in formats:
            sheets = workbook_sheets(rollup, indicators, tasks)
            made["xlsx"] = write_table_workbook(sheets, staging / f"{stem}.xlsx")
        code = rollup.period.code
        made["indicators"] = write_csv_atomic(indicators, staging / f"chi-tieu-{code}.csv")
        made["tasks"] = write_csv_atomic(tasks, staging / f"nhiem-vu-{code}.csv")
        written = {}
        for key, path in made.items():
            os.replace(path, out / path.name)
            written[key] = out / path.name
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RollupResult(rollup, written, skipped)
