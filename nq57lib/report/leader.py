"""Tables for the leader's pages: one row per target or task with its lead unit, in words.

Pure functions of :class:`~nq57lib.report.data.BriefingData`. No indicator id, ratio or
file name appears here (those belong to the annexes); every target shows the unit that
leads it, and a reading the system interpreted carries a footnote sign explained in
annex 1.
"""

from __future__ import annotations

import pandas as pd

from nq57lib.assess.statuses import BEHIND, NO_FIGURE, ON_COURSE, label
from nq57lib.core.fmt import fmt_number, fmt_value, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.schema import ANALYST_NOTE_PREFIX, NOTE_SEPARATOR
from nq57lib.plan.provisional import is_provisional
from nq57lib.report.data import BriefingData
from nq57lib.report.html import Cell
from nq57lib.report.tables import (
    needs_direction,
    previous_period,
    stage_label,
    status_changes,
    status_counts,
    target_text,
    unit_notes,
)
from nq57lib.report.tasks import overdue_table
from nq57lib.report.wording import indicator_statuses, plain_words

MARK = "*"
# A provisional indicator (new:…): a target of the plan no reviewed indicator describes.
NEW_MARK = "†"
# What the cleaning notes say when it read a figure other than as written.
_INTERPRETED = ("được hiểu là tỷ lệ", "nhận diện theo tên gần đúng", "tính từ tử số/mẫu số")
AREA_WIDTHS = {"Chỉ tiêu": 31, "Mốc": 7, "Mục tiêu": 11, "Kết quả": 11, "Đánh giá": 14,
               "Nhận xét": 26}  # fmt: skip


def interpretations(data: BriefingData) -> dict[tuple[str, str], list[str]]:
    """(indicator, period) → how the system read the unit's figure, in the unit's period."""
    found: dict[tuple[str, str], list[str]] = {}
    obs = data.observations
    if obs.empty or "note" not in obs.columns:
        return found
    for row in obs.itertuples(index=False):
        parts = [p for p in str(row.note or "").split(NOTE_SEPARATOR) if p]
        said = [
            p.removeprefix(ANALYST_NOTE_PREFIX)
            for p in parts
            if p.startswith(ANALYST_NOTE_PREFIX) and any(w in p for w in _INTERPRETED)
        ]
        if said:
            found.setdefault((row.indicator_id, str(row.period)), []).extend(said)
    return found


def reading_notes(row: pd.Series, data: BriefingData, read: dict) -> list[str]:
    """Why a status row's figure carries the footnote sign (empty: it does not)."""
    if is_missing(row["value_period"]) or not str(row["value_period"]):
        return []
    notes = list(read.get((row["indicator_id"], str(row["value_period"])), []))
    if str(row["value_period"]) != data.period.code and row["kind"] != "flow":
        shown = Period.parse(str(row["value_period"])).short_label
        notes.append(f"kỳ này chưa có số liệu mới; dùng số liệu {shown}")
    return notes


def latest_remark(data: BriefingData, indicator_id: str) -> str:
    """The unit's latest reason for leaving an indicator blank (annex and "no data" rows)."""
    if data.remarks.empty:
        return ""
    mine = data.remarks[data.remarks["indicator_id"] == indicator_id]
    return str(mine["note"].iloc[-1]) if len(mine) else ""


def result_cell(row: pd.Series, data: BriefingData, read: dict) -> Cell:
    if row["kind"] == "milestone":
        text = stage_label(row["value"])
    else:
        text = fmt_value(row["value"], row["unit"])
    if text == "—":
        return Cell(text)
    mark = MARK if reading_notes(row, data, read) else ""
    sub = ""
    if str(row["value_period"]) != data.period.code and row["kind"] != "flow":
        sub = Period.parse(str(row["value_period"])).short_label
    return Cell(text, sub=sub, mark=mark)


def area_rows(data: BriefingData, area: str | None) -> pd.DataFrame:
    """The area's targets for a leader: name and lead unit, milestone, result, verdict, words
    and the unit's own note (quantitative targets and qualitative milestones alike)."""
    read = interpretations(data)
    notes = unit_notes(data.observations)
    rows = []
    if area is None:  # targets filed under no area of the profile (a plan's table, prose)
        own = data.status[~data.status["area"].isin(list(data.profile.areas))]
    else:
        own = data.status[data.status["area"] == area]
    for _, row in own.iterrows():
        remark = latest_remark(data, row["indicator_id"]) if row["status"] == "no_data" else ""
        said = notes.get((row["indicator_id"], str(row["value_period"])), "")
        rows.append(
            {
                "status": row["status"],
                "Chỉ tiêu": Cell(
                    row["name_vi"],
                    sub=data.lead_units.get(row["indicator_id"], ""),
                    mark=NEW_MARK if is_provisional(row["indicator_id"]) else "",
                ),
                "Mốc": str(int(row["milestone_year"])),
                "Mục tiêu": target_text(row),
                "Kết quả": result_cell(row, data, read),
                "Đánh giá": label(row["status"]),
                "Nhận xét": Cell(
                    plain_words(row, remark), sub=f"Đơn vị ghi: “{said}”" if said else ""
                ),
            }
        )
    return pd.DataFrame(rows)


def indicator_counts(data: BriefingData) -> pd.DataFrame:
    """Indicators per status (each counted once, at its most urgent milestone)."""
    counts = status_counts(indicator_statuses(data.status))
    total = int(counts["count"].sum())
    return pd.DataFrame(
        {
            "status": counts["status"],
            "Đánh giá": counts["label"],
            "Số chỉ tiêu": [fmt_number(c, 0) for c in counts["count"]],
            "Tỷ lệ": [f"{fmt_number(100 * c / total, 0)}%" for c in counts["count"]],
        }
    )


def urgent_items(data: BriefingData, limit: int = 6) -> pd.DataFrame:
    """The targets that most need direction, with their lead unit, the most urgent first."""
    urgent = needs_direction(data.status, limit=50)
    urgent = urgent.drop_duplicates("indicator_id").head(limit)
    return urgent.assign(
        unit_name=[data.lead_units.get(i, "") for i in urgent["indicator_id"]],
        words=[plain_words(r) for _, r in urgent.iterrows()],
    )


def unit_summary(data: BriefingData) -> pd.DataFrame:
    """Per unit: its targets by verdict and its tasks, for "Kết quả theo đơn vị"."""
    per_indicator = indicator_statuses(data.status)
    per_indicator = per_indicator.assign(
        unit=[data.lead_units.get(i, "") for i in per_indicator["indicator_id"]]
    )
    card = data.scorecard.set_index("unit") if len(data.scorecard) else pd.DataFrame()
    rows = []
    for code, name in data.unit_names.items():
        mine = per_indicator[per_indicator["unit"] == name]["status"]
        tasks = card.loc[code] if code in card.index else None
        if mine.empty and (tasks is None or int(tasks["assigned"]) == 0):
            continue
        rows.append(
            {
                "Đơn vị": name,
                "Chỉ tiêu phụ trách": fmt_number(len(mine), 0),
                "Đạt, đúng tiến độ": fmt_number(mine.isin(ON_COURSE).sum(), 0),
                "Chậm, quá hạn": fmt_number(mine.isin(BEHIND).sum(), 0),
                "Chưa có số liệu": fmt_number(mine.isin(NO_FIGURE).sum(), 0),
                "Nhiệm vụ chủ trì": fmt_number(
                    int(tasks["assigned"]) if tasks is not None else 0, 0
                ),
                "Nhiệm vụ quá hạn": fmt_number(
                    int(tasks["overdue"]) if tasks is not None else 0, 0
                ),
                "Nhiệm vụ chưa báo cáo": fmt_number(
                    int(tasks["no_report"]) if tasks is not None else 0, 0
                ),
            }
        )
    return pd.DataFrame(rows)


def overdue_tasks(data: BriefingData) -> pd.DataFrame:
    return overdue_table(data.task_status, data.unit_names)


def changes_by_indicator(data: BriefingData) -> tuple[Period | None, pd.DataFrame]:
    """Indicators whose verdict changed since the previous period, worse ones first."""
    before = previous_period(data.history, data.period)
    if before is None:
        return None, pd.DataFrame()
    changes = status_changes(data.history, data.period).drop_duplicates("indicator_id")
    names = dict(zip(data.status["indicator_id"], data.status["name_vi"], strict=False))
    frame = pd.DataFrame(
        {
            "status": changes["after"],
            "Chỉ tiêu": [
                Cell(names.get(i, data.indicator_names.get(i, i)), sub=data.lead_units.get(i, ""))
                for i in changes["indicator_id"]
            ],
            before.short_label: [label(s) for s in changes["before"]],
            "Chiều": ["tốt lên ↑" if b else "xấu đi ↓" for b in changes["better"]],
            "Đánh giá": [label(s) for s in changes["after"]],
        }
    )
    return before, frame
