"""nq57's drafts of the report's narrative, written from the data in plain Vietnamese.

Each function returns sentences (strings) for one section; the analyst's own paragraphs
(:mod:`nq57lib.report.narrative`) are shown after them. Pure: BriefingData in, text out.
Indicators and tasks are named by their words and their lead unit, never by an id.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from nq57lib.assess.counts import indicator_counts, overdue_tasks, task_counts
from nq57lib.assess.statuses import COMPLETED_CATEGORIES, SLOW
from nq57lib.assess.verdicts import attention_list
from nq57lib.core.fmt import fmt_date, fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.vocab import capital
from nq57lib.report.data import BriefingData
from nq57lib.report.html import ROWS_SHOWN
from nq57lib.report.leader import owing
from nq57lib.report.tasks import short_text

LISTED = 4  # names given in a sentence before "và N chỉ tiêu khác"


def _n(value: int) -> str:
    return fmt_number(value, 0)


def _names(rows: pd.DataFrame, limit: int = LISTED, more: bool = True) -> str:
    """'Tên chỉ tiêu (Đơn vị); …' for the first verdicts, then how many more (unless
    ``more`` is False, after "trước hết là")."""
    shown = [
        f"{r['name']} ({r['lead_unit']})" if r["lead_unit"] else str(r["name"])
        for _, r in rows.head(limit).iterrows()
    ]
    left = len(rows) - limit
    return "; ".join(shown) + (f" và {_n(left)} chỉ tiêu khác" if more and left > 0 else "")


def _listing(rows: pd.DataFrame, what: str, limit: int = LISTED, where: str = "") -> str:
    """ "chỉ tiêu A (mục II.1)" for one, "3 chỉ tiêu (mục II.1): A; B; C" up to ``limit``,
    else "12 chỉ tiêu (mục II.1), trước hết là A; B; C" ("trước hết là" only before a list
    of several; ``where`` says where the whole list is)."""
    at = f" ({where})" if where else ""
    if len(rows) == 1:
        return f"{what} {_names(rows)}{at}"
    if len(rows) <= limit:
        return f"{_n(len(rows))} {what}{at}: {_names(rows, limit)}"
    return f"{_n(len(rows))} {what}{at}, trước hết là {_names(rows, limit, more=False)}"


def _some(names: list[str], what: str, limit: int = ROWS_SHOWN) -> str:
    """'A; B; C' — at most ``limit`` names of a list that grows with the units' data, then
    how many more ("và 12 đơn vị khác")."""
    more = len(names) - limit
    return "; ".join(names[:limit]) + (f" và {_n(more)} {what} khác" if more > 0 else "")


def _tasks(rows: pd.DataFrame, data: BriefingData, limit: int = LISTED, more: bool = True) -> str:
    shown = [
        f"nhiệm vụ {r['task_id']} “{short_text(r['text'], 12)}” "
        f"({data.unit_names.get(r['lead_unit'], r['lead_unit'])})"
        for _, r in rows.head(limit).iterrows()
    ]
    left = len(rows) - limit
    return "; ".join(shown) + (f" và {_n(left)} nhiệm vụ khác" if more and left > 0 else "")


def when(data: BriefingData) -> str:
    """'đến hết quý III năm 2026' (and the cut-off date of a report drawn up early, or the
    regime's cut-off: 'đến ngày 14/9/2026')."""
    if data.profile.calendar.cutoff_mode == "regime":
        return f"đến ngày {fmt_date(data.cutoff)}"
    text = f"đến hết {data.period.report_label}"
    if data.early:
        text += f" (tính đến ngày {fmt_date(data.as_of)})"
    return text


def reporting_window(data: BriefingData) -> str:
    """Page 1's line on the days the figures cover, the cut-off and the due date."""
    regime = data.profile.calendar.cutoff_mode == "regime"
    rule = " (thời gian chốt số liệu theo Nghị định số 09/2019/NĐ-CP)" if regime else ""
    return (
        f"Số liệu tính từ ngày {fmt_date(data.window_start)} đến ngày {fmt_date(data.cutoff)}"
        f"{rule}; hạn gửi báo cáo: ngày {fmt_date(data.report_due)}."
    )


def _counts(data: BriefingData) -> dict[str, int]:
    """Page 1's counts (:func:`nq57lib.assess.counts.indicator_counts`), shared with the
    notebooks' summary."""
    return indicator_counts(data.verdicts)


def conclusion(data: BriefingData) -> list[str]:
    """The one-paragraph conclusion that opens page 1."""
    c = _counts(data)
    parts = []
    if c["good"]:
        achieved = f" (đã đạt {_n(c['achieved'])})" if c["achieved"] else ""
        parts.append(f"{_n(c['good'])} chỉ tiêu đã đạt hoặc đúng tiến độ{achieved}")
    if c["slow"]:
        parts.append(f"{_n(c['slow'])} chỉ tiêu cần đẩy nhanh hoặc chậm tiến độ")
    if c["bad"]:
        parts.append(f"{_n(c['bad'])} chỉ tiêu đi xuống hoặc quá hạn chưa đạt")
    if c["unknown"]:
        parts.append(f"{_n(c['unknown'])} chỉ tiêu chưa có hoặc chưa đủ số liệu để đánh giá")
    if c["later"]:
        parts.append(f"{_n(c['later'])} chỉ tiêu chưa đến kỳ đánh giá")
    text = f"{capital(when(data))}, Kế hoạch có {_n(c['total'])} chỉ tiêu"
    text += (": " + ", ".join(parts) + ".") if parts else "."
    if len(data.task_status):
        t = task_counts(data.task_status)
        if t["tracked"]:
            said = [f"{_n(t['done'])} nhiệm vụ đã hoàn thành"] if t["done"] else []
            if t["overdue"]:
                said.append(f"{_n(t['overdue'])} nhiệm vụ quá hạn chưa hoàn thành")
            if said:
                text += f" Trong {_n(t['tracked'])} nhiệm vụ đã phân công, {', '.join(said)}."
        else:
            text += " Chưa có nhiệm vụ nào của Kế hoạch được phân công đơn vị chủ trì."
    listed = attention_list(data.verdicts)
    if len(listed):
        text += f" Cần tập trung chỉ đạo {_listing(listed, 'chỉ tiêu', 3, 'mục II.1')}."
    return [text]


def results(data: BriefingData) -> list[str]:
    c = _counts(data)
    said = []
    if c["achieved"]:
        said.append(f"{_n(c['achieved'])} chỉ tiêu đã đạt mục tiêu của mốc gần nhất")
    if c["good"] - c["achieved"]:
        said.append(f"{_n(c['good'] - c['achieved'])} chỉ tiêu đang đúng tiến độ")
    lines = ["Các đơn vị đã triển khai Kế hoạch" + (f"; {when(data)}, " + " và ".join(said)
                                                  if said else "") + "."]  # fmt: skip
    tasks = data.task_status
    done = tasks[tasks["category"].isin(COMPLETED_CATEGORIES)]
    if len(done):
        on_time = int((done["category"] == "completed_on_time").sum())
        of_which = f", trong đó {_n(on_time)} nhiệm vụ đúng hạn" if on_time else ""
        lines.append(
            f"Đã hoàn thành {_n(len(done))} nhiệm vụ{of_which}, như {_tasks(done, data, 2)}."
        )
    return lines


def shortcomings(data: BriefingData) -> list[str]:
    verdicts = data.verdicts
    lines = []
    for codes, words in (
        (("overdue",), "quá hạn chưa đạt"),
        (("deteriorating",), "đi xuống so với kỳ gốc"),
        (SLOW, "chậm so với tiến độ cần thiết"),
    ):
        rows = verdicts[verdicts["status"].isin(codes)]
        if len(rows):
            joiner = ": " if len(rows) <= 2 else ", trong đó có "
            lines.append(f"{_n(len(rows))} chỉ tiêu {words}{joiner}{_names(rows, 2)}.")
    late = overdue_tasks(data.task_status)
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
    owed = int(verdicts["figure_owed"].sum())
    missing = missing_units(data)
    if owed:
        line = f"Chưa có số liệu của {_n(owed)} chỉ tiêu"
        line += f"; đơn vị chưa gửi đủ số liệu: {_some(missing, 'đơn vị')}." if missing else "."
        lines.append(line)
    if len(data.quarantine):
        lines.append(
            f"{_n(len(data.quarantine))} dòng số liệu không dùng được, đã trả lại đơn vị để "
            "kiểm tra, sửa (chi tiết tại Phụ lục 1)."
        )
    return lines


def missing_units(data: BriefingData) -> list[str]:
    """Units still owing a valid figure for at least one indicator judged now."""
    table = owing(data)
    return [str(n) for n, m in zip(table["unit_name"], table["missing"], strict=True) if m]


def upcoming(data: BriefingData) -> tuple[Period, pd.DataFrame]:
    """The next period of the report's kind, and the tasks whose deadline falls in it."""
    following = data.reported.following
    tasks = data.task_status
    if tasks.empty:
        return following, tasks
    dated = tasks[tasks["category"] == "open_in_time"]
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
    late = overdue_tasks(data.task_status)
    if len(late):
        if len(late) == 1:
            which = f"nhiệm vụ đã quá hạn: {_tasks(late, data)}"
        else:
            which = (
                f"{_n(len(late))} nhiệm vụ đã quá hạn, trước hết là "
                f"{_tasks(late, data, 2, more=False)}"
            )
        lines.append(f"Khẩn trương hoàn thành {which}.")
    listed = attention_list(data.verdicts)
    if len(listed):
        lines.append(f"Tập trung chỉ đạo {_listing(listed, 'chỉ tiêu', 2, 'mục II.1')}.")
    if following.end.month == 12 and following.end.day == 31:
        year = str(following.year)
        open_now = data.verdicts["milestones_open"].map(lambda m: year in str(m).split("; "))
        year_end = data.verdicts[open_now]
        if len(year_end):
            lines.append(f"Hoàn thành các chỉ tiêu có mốc cuối năm {year}: {_names(year_end)}.")
    missing = missing_units(data)
    if missing:
        lines.append(
            "Đôn đốc các đơn vị gửi đủ, đúng hạn số liệu: " + _some(missing, "đơn vị") + "."
        )
    unassigned = data.task_status[data.task_status["status"] == "unassigned"]
    if len(unassigned):
        # The ward's own decision, not a proposal to itself (its People's Committee signs).
        lines.append(
            f"Phân công đơn vị chủ trì, thời hạn cho {_n(len(unassigned))} nhiệm vụ chưa được "
            "phân công."
        )
    if len(data.quarantine):
        files = sorted({str(f).split("/")[-1] for f in data.quarantine["source_file"]})
        lines.append(
            f"Các đơn vị kiểm tra, gửi lại số liệu bị trả lại ({_n(len(files))} tệp, Phụ lục 1)."
        )
    return lines


def proposals(data: BriefingData) -> list[str]:
    """nq57 drafts no proposal: what the ward asks of the city is the analyst's to write
    (the units' own proposals follow in the section)."""
    del data
    return []


def all_drafts(data: BriefingData) -> dict[str, list[str]]:
    """Every section's draft, by the keys of :data:`nq57lib.report.narrative.SECTIONS`."""
    return {
        "conclusion": conclusion(data),
        "results": results(data),
        "shortcomings": shortcomings(data),
        "directions": directions(data),
        "proposals": proposals(data),
    }
