"""Tables for the leader's pages: one row per target or task with its lead unit, in words.

Pure functions of :class:`~nq57lib.report.data.BriefingData`. No indicator id, ratio or
file name appears here (those belong to the annexes); every target shows the unit that
leads it, and a reading the system interpreted carries a footnote sign explained in
annex 1.
"""

from __future__ import annotations

import pandas as pd

from nq57lib.assess.statuses import BEHIND, LATER, NO_FIGURE, ON_COURSE, label
from nq57lib.assess.verdicts import attention_list, headline_rows
from nq57lib.core.fmt import fmt_number, fmt_value, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.schema import ANALYST_NOTE_PREFIX, NOTE_SEPARATOR
from nq57lib.plan.provisional import is_provisional
from nq57lib.report.data import BriefingData
from nq57lib.report.html import Cell
from nq57lib.report.tables import (
    previous_period,
    stage_label,
    status_counts,
    target_text,
    unit_notes,
)
from nq57lib.report.tasks import overdue_table
from nq57lib.report.wording import missed_now, plain_words, verdict_words

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
    verdicts = data.verdicts.set_index("indicator_id")
    rows = []
    if area is None:  # targets filed under no area of the profile (a plan's table, prose)
        own = data.status[~data.status["area"].isin(list(data.profile.areas))]
    else:
        own = data.status[data.status["area"] == area]
    for _, row in own.iterrows():
        remark = latest_remark(data, row["indicator_id"]) if row["status"] == "no_data" else ""
        verdict = verdicts.loc[row["indicator_id"]]
        words = plain_words(row, remark, verdict["milestones_missed"])
        now = verdict["value_period"]
        own = "" if is_missing(row["value_period"]) else str(row["value_period"])
        if row["status"] == "overdue" and row["kind"] != "flow" and now and now != own:
            # A missed milestone is shown at today's state, its deadline beside it.
            words = missed_now(row, verdict["value"], now)
            row = row.copy()
            row["value"], row["value_period"] = verdict["value"], now
        said = notes.get((row["indicator_id"], str(row["value_period"])), "")
        said_total = _unit_total_words(row, verdict, data)
        rows.append(
            {
                "status": row["status"],
                "Chỉ tiêu": Cell(
                    row["name_vi"],
                    sub=verdict["lead_unit"],
                    mark=NEW_MARK if is_provisional(row["indicator_id"]) else "",
                ),
                "Mốc": str(int(row["milestone_year"])),
                "Mục tiêu": target_text(row),
                "Kết quả": result_cell(row, data, read),
                "Đánh giá": label(row["status"]),
                "Nhận xét": Cell(
                    words,
                    sub=" ".join(
                        p for p in (f"Đơn vị ghi: “{said}”" if said else "", said_total) if p
                    ),
                ),
            }
        )
    return pd.DataFrame(rows)


# The verdict's own columns joined to its headline status row (the rest are the row's).
_VERDICT_ONLY = {
    "lead_unit": "lead_unit", "reported_by": "reported_by", "headline": "headline",
    "attention": "attention", "attention_reason": "attention_reason",
    "attention_rank": "attention_rank", "value": "current_value",
    "value_period": "current_period", "value_current": "value_current",
    "milestones_missed": "milestones_missed", "milestones_open": "milestones_open",
    "figure_owed": "figure_owed", "previous_status": "previous_status", "change": "change",
}  # fmt: skip


def _unit_total_words(row: pd.Series, verdict: pd.Series, data: BriefingData) -> str:
    """A flow's row for this year, when the unit's own year-to-date figure differs from
    the sum of its periods: both figures, never one chosen silently (Phụ lục 1 says more)."""
    if row["kind"] != "flow" or verdict["unit_total_agrees"] != "False":
        return ""
    if int(row["milestone_year"]) < data.period.year:
        return ""
    check = data.year_to_date[data.year_to_date["indicator_id"] == row["indicator_id"]]
    if check.empty:
        return ""
    unit, first = row["unit"], check.iloc[0]
    return (
        f"Đơn vị ghi lũy kế từ đầu năm {fmt_value(float(first['unit_total']), unit)}, khác "
        f"tổng các kỳ đã báo cáo {fmt_value(float(first['periods_total']), unit)} "
        "(Phụ lục 1)."
    )


def headlines(data: BriefingData, verdicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each verdict (of ``verdicts``, default all) with its headline milestone's status
    row, in the verdicts' order: what a leader's list shows about an indicator."""
    chosen = data.verdicts if verdicts is None else verdicts
    return headline_rows(chosen, data.status, _VERDICT_ONLY)


def attention(data: BriefingData) -> pd.DataFrame:
    """The indicators needing the leader's attention, in rank order, with their words: the
    one list page 1, section II.1, its chart and section III name."""
    listed = headlines(data, attention_list(data.verdicts))
    return listed.assign(words=[verdict_words(r) for _, r in listed.iterrows()])


# Bars in the chart beside II.1: the first of its list that have a figure (its caption
# names their numbers in the list; a taller chart costs more than it tells).
CHART_ROWS = 6


def gap_chart_rows(listed: pd.DataFrame) -> pd.DataFrame:
    """Of the attention list, in its order, the first :data:`CHART_ROWS` indicators a bar
    can show (a figure and a target)."""
    numeric = pd.to_numeric(listed["value"], errors="coerce").notna()
    shown = listed[numeric & pd.to_numeric(listed["target"], errors="coerce").notna()]
    return shown.head(CHART_ROWS)


def indicator_counts(data: BriefingData) -> pd.DataFrame:
    """Indicators per headline status (each counted once: verdicts.csv)."""
    counts = status_counts(data.verdicts)
    total = int(counts["count"].sum())
    return pd.DataFrame(
        {
            "status": counts["status"],
            "Đánh giá": counts["label"],
            "Số chỉ tiêu": [fmt_number(c, 0) for c in counts["count"]],
            "Tỷ lệ": [f"{fmt_number(100 * c / total, 0)}%" for c in counts["count"]],
        }
    )


def unit_summary(data: BriefingData) -> pd.DataFrame:
    """Per unit: the indicators it leads by verdict and its tasks, for "Kết quả theo đơn vị"."""
    verdicts = data.verdicts
    card = data.scorecard.set_index("unit") if len(data.scorecard) else pd.DataFrame()
    rows = []
    for code, name in data.unit_names.items():
        mine = verdicts.loc[verdicts["lead_unit"] == name, "status"]
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
                    int(tasks["open_overdue"]) if tasks is not None else 0, 0
                ),
                "Nhiệm vụ chưa báo cáo": fmt_number(
                    int(tasks["no_report"]) if tasks is not None else 0, 0
                ),
            }
        )
    return pd.DataFrame(rows)


def owing(data: BriefingData) -> pd.DataFrame:
    """Per unit: the indicators it reports that are judged now (not those whose milestones
    lie beyond the horizon), those with a figure this period, and those it still owes.
    Columns ``unit_name, expected, received, missing`` (a list of indicator ids). A unit
    the ward's plan asks for no indicator now owes nothing and is not listed."""
    if data.submissions.empty:
        return pd.DataFrame(columns=["unit_name", "expected", "received", "missing"])
    later = set(data.verdicts.loc[data.verdicts["status"].isin(LATER), "indicator_id"])
    rows = []
    for sub in data.submissions.itertuples(index=False):
        # An indicator with a figure is judged whatever its milestone; one without a figure
        # and beyond the horizon is owed by nobody yet.
        missing = _ids(sub.missing)
        owed = [i for i in missing if i not in later]
        expected = int(sub.expected) - (len(missing) - len(owed))
        if expected == 0 and int(sub.received) == 0:
            continue
        rows.append(
            {
                "unit_name": sub.unit_name,
                "expected": expected,
                "received": int(sub.received),
                "missing": owed,
            }
        )
    return pd.DataFrame(rows, columns=["unit_name", "expected", "received", "missing"])


def _ids(text: object) -> list[str]:
    return [] if is_missing(text) else [i.strip() for i in str(text).split(";") if i.strip()]


def overdue_tasks(data: BriefingData) -> pd.DataFrame:
    return overdue_table(data.task_status, data.unit_names)


def changes_by_indicator(data: BriefingData) -> tuple[Period | None, pd.DataFrame]:
    """Indicators whose headline verdict changed since the previous period, worse first."""
    before = previous_period(data.history, data.period)
    changed = data.verdicts[data.verdicts["change"] != ""]
    if before is None or changed.empty:
        return before, pd.DataFrame()
    changed = changed.sort_values("change", key=lambda c: c.map({"worse": 0, "better": 1}),
                                  kind="stable")  # fmt: skip
    frame = pd.DataFrame(
        {
            "status": changed["status"],
            "Chỉ tiêu": [
                Cell(name, sub=lead)
                for name, lead in zip(changed["name"], changed["lead_unit"], strict=True)
            ],
            before.short_label: [label(s) for s in changed["previous_status"]],
            "Chiều": ["tốt lên ↑" if c == "better" else "xấu đi ↓" for c in changed["change"]],
            "Đánh giá": [label(s) for s in changed["status"]],
        }
    )
    return before, frame.reset_index(drop=True)
