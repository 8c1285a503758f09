"""nq57's drafts of the report's narrative, written from the data in plain Vietnamese.

Each function returns sentences (strings) for one section; the analyst's own paragraphs
(:mod:`nq57lib.report.narrative`) are shown after them. Pure: BriefingData in, text out.
Indicators and tasks are named by their words and their lead unit, never by an id.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from nq57lib.assess.statuses import (
    BEHIND,
    FAILING,
    NO_FIGURE,
    ON_COURSE,
    SLOW,
    TASK_DONE,
    TASK_OVERDUE,
)
from nq57lib.core.fmt import fmt_date, fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.vocab import capital
from nq57lib.report.data import BriefingData
from nq57lib.report.html import ROWS_SHOWN
from nq57lib.report.tasks import short_text
from nq57lib.report.wording import indicator_statuses

LISTED = 4  # names given in a sentence before "và N chỉ tiêu khác"


def _n(value: int) -> str:
    return fmt_number(value, 0)


def _names(rows: pd.DataFrame, data: BriefingData, limit: int = LISTED) -> str:
    """'Tên chỉ tiêu (Đơn vị); …' for the first rows, then how many more."""
    shown = [
        f"{r['name_vi']} ({data.lead_units[r['indicator_id']]})"
        if r["indicator_id"] in data.lead_units
        else str(r["name_vi"])
        for _, r in rows.head(limit).iterrows()
    ]
    more = len(rows) - limit
    return "; ".join(shown) + (f" và {_n(more)} chỉ tiêu khác" if more > 0 else "")


def _some(names: list[str], what: str, limit: int = ROWS_SHOWN) -> str:
    """'A; B; C' — at most ``limit`` names of a list that grows with the units' data, then
    how many more ("và 12 đơn vị khác")."""
    more = len(names) - limit
    return "; ".join(names[:limit]) + (f" và {_n(more)} {what} khác" if more > 0 else "")


def _tasks(rows: pd.DataFrame, data: BriefingData, limit: int = LISTED) -> str:
    shown = [
        f"nhiệm vụ {r['task_id']} “{short_text(r['text'], 12)}” "
        f"({data.unit_names.get(r['lead_unit'], r['lead_unit'])})"
        for _, r in rows.head(limit).iterrows()
    ]
    more = len(rows) - limit
    return "; ".join(shown) + (f" và {_n(more)} nhiệm vụ khác" if more > 0 else "")


def when(data: BriefingData) -> str:
    """'đến hết quý III năm 2026' (and the cut-off date of a report drawn up early)."""
    text = f"đến hết {data.period.report_label}"
    if data.early:
        text += f" (tính đến ngày {fmt_date(data.as_of)})"
    return text


def _counts(data: BriefingData) -> dict[str, int]:
    per_indicator = indicator_statuses(data.status)["status"].value_counts()

    def n(*codes: str) -> int:
        return sum(int(per_indicator.get(c, 0)) for c in codes)

    return {
        "total": int(per_indicator.sum()),
        "good": n(*ON_COURSE),
        "achieved": n("achieved"),
        "slow": n(*SLOW),
        "bad": n(*FAILING),
        "unknown": n(*NO_FIGURE),
        "later": n("not_due"),
    }


def conclusion(data: BriefingData) -> list[str]:
    """The one-paragraph conclusion that opens page 1."""
    c = _counts(data)
    parts = [
        f"{capital(when(data))}, trong {_n(c['total'])} chỉ tiêu của Kế hoạch có "
        f"{_n(c['good'])} chỉ tiêu đã đạt hoặc đúng tiến độ (đã đạt {_n(c['achieved'])})"
    ]
    if c["slow"]:
        parts.append(f"{_n(c['slow'])} chỉ tiêu cần đẩy nhanh hoặc chậm tiến độ")
    if c["bad"]:
        parts.append(f"{_n(c['bad'])} chỉ tiêu đi xuống hoặc quá hạn chưa đạt")
    if c["unknown"]:
        parts.append(f"{_n(c['unknown'])} chỉ tiêu chưa có hoặc chưa đủ số liệu để đánh giá")
    text = ", ".join(parts) + "."
    tasks = data.task_status
    if len(tasks):
        tracked = tasks[tasks["status"] != "unassigned"]
        done = tracked["status"].isin(TASK_DONE).sum()
        late = tracked["status"].isin(TASK_OVERDUE).sum()
        if len(tracked):
            text += (
                f" Trong {_n(len(tracked))} nhiệm vụ đã phân công, {_n(done)} nhiệm vụ đã hoàn "
                f"thành, {_n(late)} nhiệm vụ quá hạn chưa hoàn thành."
            )
        else:
            text += " Chưa có nhiệm vụ nào của Kế hoạch được phân công đơn vị chủ trì."
    urgent = indicator_statuses(data.status)
    urgent = urgent[urgent["status"].isin(BEHIND[:2])]
    if len(urgent):
        text += f" Cần tập trung chỉ đạo: {_names(urgent, data, 3)}."
    return [text]


def results(data: BriefingData) -> list[str]:
    c = _counts(data)
    lines = [
        f"Các đơn vị đã triển khai Kế hoạch; {when(data)}, {_n(c['achieved'])} chỉ tiêu đã đạt "
        f"mục tiêu của mốc gần nhất và {_n(c['good'] - c['achieved'])} chỉ tiêu đang đúng "
        "tiến độ."
    ]
    tasks = data.task_status
    done = tasks[tasks["status"].isin(TASK_DONE)]
    if len(done):
        on_time = int((done["status"] == "done_on_time").sum())
        lines.append(
            f"Đã hoàn thành {_n(len(done))} nhiệm vụ, trong đó {_n(on_time)} nhiệm vụ đúng hạn, "
            f"như {_tasks(done, data, 2)}."
        )
    return lines


def shortcomings(data: BriefingData) -> list[str]:
    per_indicator = indicator_statuses(data.status)
    lines = []
    for codes, words in (
        (("overdue",), "quá hạn chưa đạt"),
        (("deteriorating",), "đi xuống so với kỳ gốc"),
        (SLOW, "chậm so với tiến độ cần thiết"),
    ):
        rows = per_indicator[per_indicator["status"].isin(codes)]
        if len(rows):
            joiner = ": " if len(rows) <= 2 else ", trong đó "
            lines.append(f"{_n(len(rows))} chỉ tiêu {words}{joiner}{_names(rows, data, 2)}.")
    late = data.task_status[data.task_status["status"].isin(TASK_OVERDUE)]
    if len(late):
        units = _some(sorted({data.unit_names.get(u, u) for u in late["lead_unit"]}), "đơn vị")
        lines.append(
            f"{_n(len(late))} nhiệm vụ quá hạn chưa hoàn thành (mục 2), do {units} chủ trì."
        )
    silent = data.task_status[data.task_status["status"] == "no_report"]
    if len(silent):
        joiner = ": " if len(silent) <= 2 else ", như "
        lines.append(
            f"{_n(len(silent))} nhiệm vụ chưa được đơn vị chủ trì báo cáo{joiner}"
            f"{_tasks(silent, data, 2)}."
        )
    missing = missing_units(data)
    if missing:
        lines.append(
            "Chưa có số liệu của " + _n(int((per_indicator["status"] == "no_data").sum()))
            + " chỉ tiêu; đơn vị chưa gửi đủ số liệu: " + _some(missing, "đơn vị") + "."
        )  # fmt: skip
    if len(data.quarantine):
        lines.append(
            f"{_n(len(data.quarantine))} dòng số liệu không dùng được, đã trả lại đơn vị để "
            "kiểm tra, sửa (chi tiết tại Phụ lục 1)."
        )
    return lines


def missing_units(data: BriefingData) -> list[str]:
    """Units still owing a valid figure for at least one of their indicators."""
    if data.submissions.empty:
        return []
    owing = data.submissions[pd.to_numeric(data.submissions["missing_count"]) > 0]
    return [str(n) for n in owing["unit_name"]]


def upcoming(data: BriefingData) -> tuple[Period, pd.DataFrame]:
    """The next period of the report's kind, and the tasks whose deadline falls in it."""
    following = data.reported.following
    tasks = data.task_status
    if tasks.empty:
        return following, tasks
    open_tasks = tasks[~tasks["status"].isin([*TASK_DONE, "unassigned"])]
    dated = open_tasks[open_tasks["deadline"].astype(str) != ""]
    start, end = following.start, following.end
    in_window = pd.Series(
        [start <= date.fromisoformat(d) <= end for d in dated["deadline"]],
        index=dated.index, dtype=bool,
    )  # fmt: skip
    due = dated[in_window]
    return following, due.sort_values(["deadline", "task_id"], kind="stable")


def directions(data: BriefingData) -> list[str]:
    following, due = upcoming(data)
    lines = []
    if len(due):
        lines.append(
            f"Trong {following.report_label}: hoàn thành {_n(len(due))} nhiệm vụ đến hạn (danh "
            "sách dưới đây)."
        )
    late = data.task_status[data.task_status["status"].isin(TASK_OVERDUE)]
    if len(late):
        lines.append(f"Khẩn trương hoàn thành {_n(len(late))} nhiệm vụ đã quá hạn, trước hết là "
                     f"{_tasks(late, data, 2)}.")  # fmt: skip
    per_indicator = indicator_statuses(data.status)
    slow = per_indicator[per_indicator["status"].isin(BEHIND)]
    if len(slow):
        lines.append(
            f"Tập trung đẩy nhanh {_n(len(slow))} chỉ tiêu chậm, quá hạn (mục II.1), trước hết "
            f"là {_names(slow, data, 2)}."
        )
    if following.end.month == 12 and following.end.day == 31:
        year_end = data.status[
            (data.status["milestone_year"].astype(int) == following.year)
            & ~data.status["status"].isin(["achieved"])
        ]
        if len(year_end):
            rows = indicator_statuses(year_end)
            lines.append(
                f"Hoàn thành các chỉ tiêu có mốc cuối năm {following.year}: {_names(rows, data)}."
            )
    missing = missing_units(data)
    if missing:
        lines.append(
            "Đôn đốc các đơn vị gửi đủ, đúng hạn số liệu: " + _some(missing, "đơn vị") + "."
        )
    return lines


def proposals(data: BriefingData) -> list[str]:
    lines = []
    unassigned = data.task_status[data.task_status["status"] == "unassigned"]
    if len(unassigned):
        lines.append(
            f"Đề nghị Ủy ban nhân dân {data.profile.level} phân công đơn vị chủ trì, thời hạn cho "
            f"{_n(len(unassigned))} nhiệm vụ chưa được phân công."
        )
    if len(data.quarantine):
        files = sorted({str(f).split("/")[-1] for f in data.quarantine["source_file"]})
        lines.append(
            f"Đề nghị các đơn vị kiểm tra, gửi lại số liệu bị trả lại ({_n(len(files))} tệp)."
        )
    return lines


def all_drafts(data: BriefingData) -> dict[str, list[str]]:
    """Every section's draft, by the keys of :data:`nq57lib.report.narrative.SECTIONS`."""
    return {
        "conclusion": conclusion(data),
        "results": results(data),
        "shortcomings": shortcomings(data),
        "directions": directions(data),
        "proposals": proposals(data),
    }
