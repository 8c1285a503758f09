"""Tables on the plan's tasks for the briefing (:mod:`nq57lib.report.briefing` shows them).

Pure tables: counts by status and by group, the units' scorecard, the overdue tasks, the
units' own difficulties and proposals. A leader directs by what is overdue and who leads
it, so those come with the unit's name and the deadline.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from nq57lib.assess.counts import overdue_tasks
from nq57lib.assess.statuses import label, task_urgency
from nq57lib.core.fmt import fmt_date, fmt_number, fmt_percent, is_missing

# Columns of the by-group table: a heading and the categories it counts ("" is a task
# without a lead unit).
GROUP_COLUMNS = {
    "HT đúng hạn": ("completed_on_time",),
    "HT quá hạn": ("completed_late",),
    "Chưa HT trong hạn": ("open_in_time",),
    "Chưa HT quá hạn": ("open_overdue",),
    "Thường xuyên, không thời hạn": ("no_deadline",),
    "Chưa phân công": ("",),
}
SHORT_WORDS = 28
SCORE_COUNTS = (
    "Được giao",
    "Đến hạn",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Quá hạn",
    "Chưa báo cáo",
    "Tỷ lệ đúng hạn",
)


def short_text(text: str, words: int = SHORT_WORDS) -> str:
    """A task's opening words, for a table a leader reads; the appendix has the full text."""
    parts = str(text).split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def deadline_text(row) -> str:
    if str(row["recurring"]) in ("True", "true"):
        return str(row["deadline_text"]) or "Thường xuyên"
    return "" if is_missing(row["deadline"]) else fmt_date(date.fromisoformat(str(row["deadline"])))


def task_status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Tasks per status, most urgent first, statuses with no task left out."""
    counts = status["status"].value_counts()
    codes = sorted(counts.index, key=task_urgency)
    return pd.DataFrame(
        {
            "status": codes,
            "Đánh giá": [label(c) for c in codes],
            "Số nhiệm vụ": [fmt_number(int(counts[c]), 0) for c in codes],
        }
    )


def by_group(status: pd.DataFrame) -> pd.DataFrame:
    """Per group of the plan (in plan order): tasks in total and by state."""
    rows = []
    for group, mine in status.groupby("group", sort=False):
        counts = mine["category"].fillna("").value_counts()
        row = {"Nhóm nhiệm vụ": group, "Tổng": fmt_number(len(mine), 0)}
        for heading, codes in GROUP_COLUMNS.items():
            row[heading] = fmt_number(sum(int(counts.get(c, 0)) for c in codes), 0)
        rows.append(row)
    return pd.DataFrame(rows)


def scorecard_table(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The units' scorecard as a leader reads it (already sorted: most behind first)."""
    listed = scorecard[scorecard["assigned"].astype(int) > 0]
    return pd.DataFrame(
        {
            "Đơn vị chủ trì": listed["unit_name"],
            "Được giao": [fmt_number(int(v), 0) for v in listed["assigned"]],
            "Đến hạn": [fmt_number(int(v), 0) for v in listed["due"]],
            "Hoàn thành đúng hạn": [fmt_number(int(v), 0) for v in listed["done_on_time"]],
            "Hoàn thành quá hạn": [fmt_number(int(v), 0) for v in listed["done_late"]],
            "Quá hạn": [fmt_number(int(v), 0) for v in listed["overdue"]],
            "Chưa báo cáo": [fmt_number(int(v), 0) for v in listed["no_report"]],
            "Tỷ lệ đúng hạn": [
                "—" if is_missing(v) or v == "" else fmt_percent(100 * float(v), 0)
                for v in listed["on_time_rate"]
            ],
        }
    )


def overdue_table(status: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Every overdue task with its lead unit and deadline, the longest overdue first."""
    late = overdue_tasks(status).copy()
    late = late.sort_values(["deadline", "task_id"], kind="stable")
    return pd.DataFrame(
        {
            "status": late["status"],
            "Nhiệm vụ": [
                f"{t} — {short_text(x)}" for t, x in zip(late["task_id"], late["text"], strict=True)
            ],
            "Đơn vị chủ trì": [names.get(u, u) for u in late["lead_unit"]],
            "Thời hạn": [deadline_text(r) for _, r in late.iterrows()],
            "Đánh giá": [label(s) for s in late["status"]],
        }
    )


def unit_voices(reports: pd.DataFrame, period_code: str, names: dict[str, str]) -> list[dict]:
    """The units' own difficulties and proposals of the period, with unit and task."""
    mine = reports[reports["period"].astype(str) == period_code] if len(reports) else reports
    voices = []
    for r in mine.itertuples(index=False):
        if r.difficulties or r.proposals:
            voices.append(
                {
                    "unit": names.get(r.reported_by, r.reported_by),
                    "task_id": r.task_id,
                    "difficulties": r.difficulties,
                    "proposals": r.proposals,
                }
            )
    return voices
