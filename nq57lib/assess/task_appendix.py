"""The tasks' sheets of the Excel appendix: statuses, units, difficulties, history."""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook

from nq57lib.assess.categories import unit_category_table
from nq57lib.assess.statuses import DARK_STATUSES, STATUS_COLOURS, label
from nq57lib.assess.task_compare import TaskResult
from nq57lib.core.fmt import fmt_date, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.vocab import TASK_STATE_LABELS_VI
from nq57lib.core.workbooks import WRAP, fill_table, put

TASK_SHEET = "Nhiệm vụ"
UNIT_SHEET = "Nhiệm vụ theo đơn vị"
VOICE_SHEET = "Khó khăn, kiến nghị"
TASK_HISTORY_SHEET = "Diễn biến nhiệm vụ"
# Each sheet's title line, written above its table by the appendix.
SHEET_TITLES = {
    TASK_SHEET: "Tình trạng thực hiện nhiệm vụ, giải pháp",
    UNIT_SHEET: "Tình hình thực hiện nhiệm vụ theo đơn vị (HT: hoàn thành)",
    VOICE_SHEET: "Khó khăn, vướng mắc và đề xuất, kiến nghị của các đơn vị",
    TASK_HISTORY_SHEET: "Diễn biến tình trạng nhiệm vụ qua các kỳ",
}


def _day(text: object) -> str:
    return "" if is_missing(text) or not str(text) else fmt_date(date.fromisoformat(str(text)))


def _colour(cell, status: str) -> None:
    cell.fill = PatternFill("solid", fgColor=STATUS_COLOURS.get(status, "FFFFFF"))
    cell.font = Font(bold=True, color="FFFFFF" if status in DARK_STATUSES else "000000")


def _deadline(row) -> str:
    return str(row.deadline_text) if row.recurring in (True, "True") else _day(row.deadline)


def _status_row(r, names: dict[str, str]) -> list:
    partners = "; ".join(names.get(c, c) for c in str(r.coordinators).split("; ") if c)
    reported = Period.parse(r.report_period).short_label if r.report_period else ""
    source = f"{r.source_file} › {r.source_sheet} › {r.source_cell}" if r.source_file else ""
    return [
        r.task_id, r.group, r.text, names.get(r.lead_unit, r.lead_unit), partners, _deadline(r),
        TASK_STATE_LABELS_VI.get(r.state, ""), _day(r.completed_on), label(r.status), reported,
        r.note, source,
    ]  # fmt: skip


def add_task_sheets(workbook: Workbook, tasks: TaskResult, first_row: int) -> None:
    """Four sheets after the targets' ones; tables start at ``first_row`` (under the titles)."""
    names = dict(zip(tasks.scorecard["unit"], tasks.scorecard["unit_name"], strict=True))
    status = tasks.status
    ws = workbook.create_sheet(TASK_SHEET)
    rows = [_status_row(r, names) for r in status.itertuples(index=False)]
    header = [
        "Mã", "Nhóm", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
        "Tình trạng báo cáo", "Ngày hoàn thành", "Đánh giá", "Kỳ báo cáo", "Ghi chú", "Nguồn",
    ]  # fmt: skip
    fill_table(ws, header, rows, [8, 30, 70, 28, 28, 14, 16, 14, 24, 12, 50, 40], first_row)
    for offset, r in enumerate(status.itertuples(index=False), 1):
        _colour(ws.cell(row=first_row + offset, column=9), r.status)
        for column in (2, 3, 11):
            ws.cell(row=first_row + offset, column=column).alignment = WRAP

    ws = workbook.create_sheet(UNIT_SHEET)
    # The Government Office's per-unit layout, as Phụ lục 3 of the briefing prints it.
    table = unit_category_table(tasks.scorecard)
    rows = [list(r) for r in table.itertuples(index=False)]
    fill_table(ws, list(table.columns), rows, [5, 40, *[12] * 7, 40], first_row)
    if rows:
        for column in range(1, len(table.columns) + 1):
            ws.cell(row=first_row + len(rows), column=column).font = Font(bold=True)

    ws = workbook.create_sheet(VOICE_SHEET)
    mine = (
        tasks.reports[tasks.reports["period"] == status["period"].iloc[0]]
        if len(status)
        else tasks.reports
    )
    voiced = mine[(mine["difficulties"] != "") | (mine["proposals"] != "")]
    rows = [
        [names.get(r.reported_by, r.reported_by), r.task_id, r.difficulties, r.proposals]
        for r in voiced.itertuples(index=False)
    ]
    fill_table(ws, ["Đơn vị", "Nhiệm vụ", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"], rows,
               [30, 10, 60, 60], first_row)  # fmt: skip
    for offset in range(1, len(rows) + 1):
        for column in (3, 4):
            ws.cell(row=first_row + offset, column=column).alignment = WRAP

    ws = workbook.create_sheet(TASK_HISTORY_SHEET)
    history = tasks.history
    periods = list(dict.fromkeys(history["period"]))
    lookup = history.set_index(["task_id", "period"])["status"]
    ids = list(dict.fromkeys(status["task_id"]))
    fill_table(
        ws,
        ["Mã", *(Period.parse(p).short_label for p in periods)],
        [[task_id] for task_id in ids],
        [8, *[22] * len(periods)],
        first_row,
    )
    for offset, task_id in enumerate(ids, 1):
        for column, code in enumerate(periods, 2):
            state = lookup.get((task_id, code))
            if state is None:
                continue
            _colour(put(ws, first_row + offset, column, label(state)), state)
