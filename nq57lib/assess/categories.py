"""The Government's task table: the four categories at the cut-off, per unit and in total.

Pure tables, formatted as printed, read by the briefing (section I.2 and Phụ lục 3) and the
Excel appendix alike: :func:`unit_category_table` is the Government Office's per-unit
appendix ("TT | Tên đơn vị | Tổng số | HT trong hạn | HT trễ hạn | Chưa HT trong hạn |
Chưa HT trễ hạn | Tỷ lệ … | Ghi chú" and "Tổng cộng"), :func:`category_summary` the totals
with both rate bases. Both add up the same scorecard rows (``unit_scorecard.csv``).
"""

from __future__ import annotations

import pandas as pd

from nq57lib.assess.statuses import (
    CATEGORY_HEADINGS_VI,
    COMPLETED_CATEGORIES,
    DEADLINE_CATEGORIES,
    DUE_CATEGORIES,
    TASK_CATEGORIES,
)
from nq57lib.core.fmt import fmt_number, fmt_percent

RATE_DUE = "Tỷ lệ HT / số đến hạn"
RATE_ALL = "Tỷ lệ HT / tổng số"
UNIT_TABLE_COUNTS = ("Tổng số", *(CATEGORY_HEADINGS_VI[c] for c in DEADLINE_CATEGORIES))
RATE_NOTE = (
    "“Tổng số”: nhiệm vụ có thời hạn; HT: hoàn thành. “Tỷ lệ HT / số đến hạn” = số nhiệm vụ "
    "đã hoàn thành (đúng hạn và trễ hạn) / số nhiệm vụ đã đến hạn (đã hoàn thành, kể cả hoàn "
    "thành trước hạn, và chưa hoàn thành đã quá hạn) — cách tính của Văn phòng Chính phủ; "
    "“Tỷ lệ HT / tổng số” = số nhiệm vụ đã hoàn thành / tổng số nhiệm vụ có thời hạn. Nhiệm "
    "vụ hoàn thành đúng ngày hết hạn là hoàn thành trong hạn. Nhiệm vụ thường xuyên, hằng năm "
    "và nhiệm vụ không có thời hạn không tính vào các cột và tỷ lệ trên, được thống kê riêng ở "
    "cột Ghi chú."
)


# Under the briefing's own totals (section I.2), whose rows name each base in full.
SUMMARY_NOTE = (
    "Nhiệm vụ đã đến hạn: đã hoàn thành (kể cả hoàn thành trước hạn) và chưa hoàn thành đã "
    "quá hạn — cách tính của Văn phòng Chính phủ; nhiệm vụ hoàn thành đúng ngày hết hạn là "
    "hoàn thành trong hạn; nhiệm vụ thường xuyên, hằng năm và nhiệm vụ không có thời hạn "
    "được tính riêng. Chi tiết theo đơn vị: Phụ lục 3."
)


def _rate(done: int, base: int) -> str:
    return fmt_percent(100 * done / base) if base else "—"


def bases(by: dict[str, int]) -> tuple[int, int, int]:
    """(with a deadline, completed, fallen due) from the counts per category: the two rates'
    bases (completed ÷ fallen due, completed ÷ with a deadline)."""
    return tuple(
        sum(by[c] for c in kinds)
        for kinds in (DEADLINE_CATEGORIES, COMPLETED_CATEGORIES, DUE_CATEGORIES)
    )


def category_counts(tasks: pd.DataFrame) -> dict[str, int]:
    """Tasks per Government category, every category present (zero where none)."""
    per = tasks["category"].value_counts()
    return {c: int(per.get(c, 0)) for c in TASK_CATEGORIES}


def category_totals(scorecard: pd.DataFrame) -> dict[str, int]:
    """Tasks per category over every unit of the scorecard (the table's "Tổng cộng")."""
    return {c: int(scorecard[c].astype(int).sum()) for c in TASK_CATEGORIES}


def counts_row(number: str, name: str, by: dict[str, int], no_report: int) -> dict:
    dated, done, due = bases(by)
    notes = []
    if by["no_deadline"]:
        notes.append(f"{fmt_number(by['no_deadline'], 0)} nhiệm vụ thường xuyên, không thời hạn")
    if no_report:
        notes.append(f"{fmt_number(no_report, 0)} nhiệm vụ chưa báo cáo")
    return {
        "TT": number,
        "Tên đơn vị": name,
        "Tổng số": fmt_number(dated, 0),
        **{CATEGORY_HEADINGS_VI[c]: fmt_number(by[c], 0) for c in DEADLINE_CATEGORIES},
        RATE_DUE: _rate(done, due),
        RATE_ALL: _rate(done, dated),
        "Ghi chú": "; ".join(notes),
    }


def unit_category_table(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The Government Office's per-unit appendix: TT | Tên đơn vị | Tổng số | HT trong hạn |
    HT trễ hạn | Chưa HT trong hạn | Chưa HT trễ hạn | both rates | Ghi chú, and "Tổng cộng".

    Units with no task are left out; "Tổng cộng" adds up the rows shown, so it is the
    briefing's total too (:func:`category_summary` reads the same sums).
    """
    listed = scorecard[scorecard["assigned"].astype(int) > 0]
    rows = [
        counts_row(
            str(n), r.unit_name, {c: int(getattr(r, c)) for c in TASK_CATEGORIES}, int(r.no_report)
        )
        for n, r in enumerate(listed.itertuples(index=False), 1)
    ]
    if rows:
        total = counts_row(
            "", "Tổng cộng", category_totals(listed), int(listed["no_report"].astype(int).sum())
        )
        rows.append(total)
    return pd.DataFrame(rows)


def category_summary(scorecard: pd.DataFrame, unassigned: int) -> pd.DataFrame:
    """The briefing's task counts in the Government's words: each category, the tasks
    counted apart, and both rates (from the same sums as :func:`unit_category_table`)."""
    listed = scorecard[scorecard["assigned"].astype(int) > 0]
    by = category_totals(listed)
    dated, done, due = bases(by)
    rows = [
        ("", "Tổng số nhiệm vụ có thời hạn", dated, ""),
        ("completed_on_time", "Đến hạn đã hoàn thành đúng hạn (kể cả hoàn thành trước hạn)",
         by["completed_on_time"], ""),
        ("completed_late", "Đến hạn đã hoàn thành quá hạn", by["completed_late"], ""),
        ("open_overdue", "Chưa hoàn thành, đã quá hạn", by["open_overdue"], ""),
        ("open_in_time", "Chưa hoàn thành, còn trong hạn", by["open_in_time"], ""),
        ("", "Tỷ lệ hoàn thành trên số nhiệm vụ đã đến hạn", None, _rate(done, due)),
        ("", "Tỷ lệ hoàn thành trên tổng số nhiệm vụ có thời hạn", None, _rate(done, dated)),
        ("no_deadline", "Nhiệm vụ thường xuyên, không thời hạn (tính riêng)", by["no_deadline"],
         ""),
    ]  # fmt: skip
    if unassigned:
        rows.append(("unassigned", "Chưa phân công đơn vị chủ trì (tính riêng)", unassigned, ""))
    return pd.DataFrame(
        {
            "status": [r[0] for r in rows],
            "Nội dung": [r[1] for r in rows],
            "Số nhiệm vụ": ["" if r[2] is None else fmt_number(r[2], 0) for r in rows],
            "Tỷ lệ": [r[3] for r in rows],
        }
    )
