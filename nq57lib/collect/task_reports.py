"""Units' task reports: the "Nhiệm vụ" sheet of a period workbook, read row by row.

A task table is a header row naming a task ("Mã nhiệm vụ", "Nội dung nhiệm vụ") and its
state ("Tình trạng", "Tiến độ"), anywhere below a title block. Each filled row becomes one
report with its file, sheet and cell; a row that names no known task, carries an unknown
state, a completion date that cannot be read or that lies after the period, or a date with
a state other than "Hoàn thành", is quarantined with the reason. A unit reporting a task it
does not lead is kept as a contribution: only the lead unit's report decides the status.
"""

from __future__ import annotations

import re
from datetime import date

from openpyxl.utils import get_column_letter

from nq57lib.collect.readings import inert_text, parse_status
from nq57lib.collect.tables import RawRow, Table, find_header
from nq57lib.collect.task_matching import TaskMatcher
from nq57lib.core.deadlines import before_plan, read_day
from nq57lib.core.fmt import fmt_date
from nq57lib.core.periods import Period
from nq57lib.core.textnorm import fold
from nq57lib.core.vocab import TASK_STATE_LABELS_VI

RULES = (
    ("code", re.compile(r"^(?:ma|ma so|ma nhiem vu|ma nv|so hieu nhiem vu)\b")),
    ("completed_on", re.compile(r"\b(?:ngay hoan thanh|thoi gian hoan thanh|ngay xong)\b")),
    ("state", re.compile(r"\b(?:tinh trang|tien do|trang thai|muc do hoan thanh)\b")),
    ("difficulties", re.compile(r"\b(?:kho khan|vuong mac)\b")),
    ("proposals", re.compile(r"\b(?:de xuat|kien nghi)\b")),
    ("result", re.compile(r"\bket qua\b")),
    ("ignore", re.compile(r"^(?:stt|tt|thoi han|don vi|ghi chu|san pham|loai|nhom|vai tro)\b")),
    ("text", re.compile(r"\b(?:noi dung|nhiem vu|ten nhiem vu)\b")),
)
TEXT_ROLES = ("result", "difficulties", "proposals")


def is_task_header(roles: dict[str, list[int]], texts: list[str]) -> bool:
    names_a_task = any("nhiem vu" in fold(t) for t in texts)
    return names_a_task and ("code" in roles or "text" in roles) and "state" in roles


def find_task_table(ws) -> Table | None:
    found = find_header(ws, RULES, is_task_header)
    return found[0] if found else None


def _completion_date(value: object) -> date:
    try:
        day = read_day(value)
    except ValueError:
        day = None
    if day is not None:
        return day
    raise ValueError(f"ngày hoàn thành “{inert_text(value)}” không đọc được; ghi dạng 15/09/2026")


def read_task_row(
    raw: RawRow,
    table: Table,
    period: Period,
    matcher: TaskMatcher,
    unit_code: str | None,
    leads: dict[str, str],
    plan_date: date | None = None,
) -> dict | list[str] | None:
    """One row: a report dict, the list of its problems, or None for a row with no report.

    ``leads`` maps every assigned task (and the activities it covers) to its lead unit; a
    completion date before ``plan_date`` (the plan's) is refused as implausible.
    """
    filled = {
        role: raw.cells[column]
        for role, column in table.columns.items()
        if column in raw.cells and role != "ignore"
    }
    if not set(filled) - {"code", "text"}:
        return None  # the pre-filled task line of the template, not reported on
    problems: list[str] = []
    among = tuple(t for t, lead in leads.items() if lead == unit_code) if unit_code else None
    match = matcher.resolve(filled.get("code"), inert_text(filled.get("text")), among)
    if match.problem:
        problems.append(match.problem)
    state = ""
    if "state" in filled:
        state = parse_status(filled["state"]) or ""
        if not state:
            allowed = " / ".join(TASK_STATE_LABELS_VI.values())
            written = inert_text(filled["state"])
            problems.append(f"tình trạng “{written}” không hợp lệ; chọn một trong: {allowed}")
    else:
        problems.append(
            "thiếu tình trạng thực hiện; chọn " + " / ".join(TASK_STATE_LABELS_VI.values())
        )
    completed = None
    if "completed_on" in filled:
        try:
            completed = _completion_date(filled["completed_on"])
        except ValueError as error:
            problems.append(str(error))
    early = before_plan(completed, plan_date, "ngày hoàn thành")
    if early:
        problems.append(early)
    if completed is not None and completed > period.end:
        problems.append(
            f"ngày hoàn thành {fmt_date(completed)} sau ngày cuối kỳ báo cáo "
            f"{fmt_date(period.end)}; kiểm tra lại ngày hoặc kỳ báo cáo"
        )
    if completed is not None and state and state != "done":
        problems.append(
            f"có ngày hoàn thành nhưng tình trạng là “{TASK_STATE_LABELS_VI[state]}”; "
            "sửa tình trạng hoặc xóa ngày"
        )
    if unit_code is None:
        problems.append(
            "không xác định được đơn vị báo cáo nhiệm vụ; ghi tên đơn vị ở dòng tiêu đề "
            "hoặc đặt tên tệp theo mã đơn vị"
        )
    if problems:
        return problems
    state_column = table.col("state")
    return {
        "period": period.code,
        "task_id": match.task_id,
        "reported_by": unit_code,
        "role": "lead" if leads.get(match.task_id) == unit_code else "contribution",
        "state": state,
        "completed_on": completed.isoformat() if completed else "",
        **{role: inert_text(filled.get(role)) for role in TEXT_ROLES},
        "source_sheet": table.sheet,
        "source_cell": f"{get_column_letter(state_column)}{raw.row}",
    }
