"""The briefing's section on the plan's tasks: "KẾT QUẢ THỰC HIỆN NHIỆM VỤ, GIẢI PHÁP".

Pure tables (counts by status and by group, the units' scorecard, the overdue tasks, the
units' own difficulties and proposals) and the section that shows them. A leader directs
by what is overdue and who leads it, so those come with the unit's name and the deadline.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from IPython.display import HTML

from nq57lib.assess.statuses import TASK_OVERDUE, label, task_urgency
from nq57lib.core.fmt import fmt_date, fmt_number, fmt_percent, is_missing
from nq57lib.report.data import BriefingData
from nq57lib.report.html import block, escape, html_table, note

# Columns of the by-group table: a heading and the statuses it counts.
_GROUP_COLUMNS = {
    "Hoàn thành": ("done_on_time", "done_late"),
    "Đang thực hiện": ("in_progress", "recurring"),
    "Quá hạn": TASK_OVERDUE,
    "Chưa triển khai": ("not_started",),
    "Chưa báo cáo": ("no_report",),
    "Chưa phân công": ("unassigned",),
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
        counts = mine["status"].value_counts()
        row = {"Nhóm nhiệm vụ": group, "Tổng": fmt_number(len(mine), 0)}
        for heading, codes in _GROUP_COLUMNS.items():
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
    late = status[status["status"].isin(TASK_OVERDUE)].copy()
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


def _summary_sentence(status: pd.DataFrame) -> str:
    counts = status["status"].value_counts()

    def n(*codes: str) -> int:
        return sum(int(counts.get(c, 0)) for c in codes)

    tracked = len(status) - n("unassigned")
    parts = [
        f"Theo dõi {fmt_number(tracked, 0)} nhiệm vụ đã phân công",
        f"đã hoàn thành {fmt_number(n('done_on_time', 'done_late'), 0)} "
        f"(đúng hạn {fmt_number(n('done_on_time'), 0)}, quá hạn {fmt_number(n('done_late'), 0)})",
        f"đang thực hiện {fmt_number(n('in_progress', 'recurring'), 0)}",
        f"quá hạn chưa hoàn thành {fmt_number(n(*TASK_OVERDUE), 0)}",
        f"chưa triển khai {fmt_number(n('not_started'), 0)}",
        f"chưa có báo cáo {fmt_number(n('no_report'), 0)}",
    ]
    text = "; ".join(parts) + "."
    if n("unassigned"):
        text += (
            f" Còn {fmt_number(n('unassigned'), 0)} nhiệm vụ chưa được phân công đơn vị chủ trì."
        )
    return text


def tasks_section(data: BriefingData) -> HTML:
    """Counts by status and group, units' scorecard, overdue tasks, the units' own words."""
    status = data.task_status
    if status.empty:
        return block(
            note("Chưa có số liệu về tình hình thực hiện nhiệm vụ trong kỳ."), "nq57-tasks"
        )
    names = data.unit_names
    parts = [
        "<h3>1. Tình hình chung</h3>",
        f"<p>{escape(_summary_sentence(status))}</p>",
        html_table(
            task_status_counts(status),
            {"Đánh giá": 70, "Số nhiệm vụ": 30},
            numeric=("Số nhiệm vụ",),
        ),
        "<h3>2. Theo nhóm nhiệm vụ</h3>",
        html_table(
            by_group(status),
            {"Nhóm nhiệm vụ": 37, "Tổng": 7, **dict.fromkeys(_GROUP_COLUMNS, 9.33)},
            status_column=None,
            numeric=("Tổng", *_GROUP_COLUMNS),
        ),
        "<h3>3. Kết quả theo đơn vị chủ trì</h3>",
        note("Đơn vị có nhiều nhiệm vụ quá hạn, chưa báo cáo xếp trước."),
        html_table(
            scorecard_table(data.scorecard),
            {"Đơn vị chủ trì": 30, **dict.fromkeys(SCORE_COUNTS, 10)},
            status_column=None,
            numeric=SCORE_COUNTS,
        ),
        "<h3>4. Nhiệm vụ quá hạn</h3>",
    ]
    late = overdue_table(status, names)
    if late.empty:
        parts.append(note("Không có nhiệm vụ nào quá hạn."))
    else:
        widths = {"Nhiệm vụ": 50, "Đơn vị chủ trì": 20, "Thời hạn": 12, "Đánh giá": 18}
        parts.append(html_table(late, widths))
    parts.append("<h3>5. Khó khăn, vướng mắc và đề xuất, kiến nghị của các đơn vị</h3>")
    voices = unit_voices(data.task_reports, data.period.code, names)
    if not voices:
        parts.append(note("Các đơn vị không nêu khó khăn, kiến nghị trong kỳ."))
    else:
        items = []
        for v in voices:
            said = []
            if v["difficulties"]:
                said.append(f"Khó khăn, vướng mắc: “{escape(v['difficulties'])}”")
            if v["proposals"]:
                said.append(f"Đề xuất, kiến nghị: “{escape(v['proposals'])}”")
            items.append(
                f"<li><strong>{escape(v['unit'])}</strong> (nhiệm vụ {escape(v['task_id'])}): "
                + "; ".join(said) + ".</li>"
            )  # fmt: skip
        parts.append(f'<ul class="nq57-voices">{"".join(items)}</ul>')
    return block("".join(parts), "nq57-tasks")
