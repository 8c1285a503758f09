"""Which data a report uses: the report's own period, or the latest period within it.

A monthly or quarterly report reads the period's own folder (``data/raw/2026-Q3``). A
6-month, 9-month or yearly report may be drawn up from the quarters it spans when no folder of its
own exists, and a report drawn up before its period ends (``--as-of 2026-11-30``) uses only
periods that ended by that date: "Báo cáo năm 2026" of 30/11/2026 reads 2026-Q3 and its
history, and says so on page 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nq57lib.collect.entries import period_entries
from nq57lib.core.errors import InputMissingError, PeriodError
from nq57lib.core.periods import Period

# The report kinds that may be drawn up from the shorter periods they span.
ROLLUP_KINDS = ("H", "N", "Y")


def has_workbooks(folder: Path) -> bool:
    """True when ``folder`` holds a unit's file (not only the analyst's narrative)."""
    # Listed as cleaning lists it: no recursion (a chain of 1,100 folders raised
    # RecursionError from rglob), no link followed out of the raw folder.
    return folder.is_dir() and any(not e.problem for e in period_entries(folder, folder.parent))


def raw_periods(raw_dir: Path) -> list[Period]:
    """Periods with a folder of workbooks under ``raw_dir``, in time order."""
    found = []
    for folder in raw_dir.iterdir() if raw_dir.is_dir() else []:
        try:
            period = Period.parse(folder.name)
        except PeriodError:
            continue  # data/raw/plan, data/raw/phan-cong
        if has_workbooks(folder):
            found.append(period)
    return sorted(found)


def data_period(report: Period, raw_dir: Path, as_of: date | None = None) -> Period:
    """The period whose cleaned data the report of ``report`` is drawn from."""
    cut = min(report.end, as_of) if as_of else report.end
    own = raw_dir / report.code
    if report.end <= cut and (
        has_workbooks(own) or (own.is_dir() and report.kind not in ROLLUP_KINDS)
    ):
        # An empty monthly or quarterly folder is still that period: its report says no unit
        # has sent anything yet.
        return report
    if report.kind in ROLLUP_KINDS or as_of is not None:
        within = [p for p in raw_periods(raw_dir) if report.contains(p) and p.end <= cut]
        if within:
            return max(within)
        span = f"kết thúc trước ngày {cut:%d/%m/%Y}" if as_of else "nằm trong kỳ"
        raise InputMissingError(
            raw_dir / report.code,
            f"chưa có số liệu cho báo cáo {report.report_label}: không có thư mục kỳ báo cáo "
            f"nào {span} (vd. {report.year}-Q1) có tệp của các đơn vị",
        )
    raise InputMissingError(
        raw_dir / report.code, "put the units' Excel workbooks of that period there"
    )
