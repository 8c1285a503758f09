"""Excel appendix of the comparison: status table, status history, how to read it.

Vietnamese headers, one fill colour per status, number formats per unit, frozen header
rows and filters. The workbook is written to a temporary file and moved into place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nq57lib.assess.statuses import DARK_STATUSES, STATUS_COLOURS, STATUS_LABELS_VI
from nq57lib.assess.task_appendix import SHEET_TITLES, add_task_sheets
from nq57lib.assess.task_compare import TaskResult
from nq57lib.core import config
from nq57lib.core.atomic import atomic_path
from nq57lib.core.fmt import fmt_date, fmt_target
from nq57lib.core.periods import Period
from nq57lib.core.workbooks import WRAP, put

STATUS_SHEET = "Tình trạng"
HISTORY_SHEET = "Diễn biến"
METHOD_SHEET = "Cách đọc"

# (column in the status table, Vietnamese header, width, number format or None)
STATUS_LAYOUT = (
    ("area_vi", "Lĩnh vực", 26, None),
    ("indicator_id", "Mã chỉ tiêu", 24, None),
    ("name_vi", "Tên chỉ tiêu", 48, None),
    ("milestone_year", "Mốc (hết năm)", 10, "0"),
    ("target_shown", "Mục tiêu", 14, None),
    ("value", "Giá trị", 11, "unit"),
    ("value_period", "Kỳ số liệu", 11, None),
    ("baseline", "Kỳ gốc: giá trị", 12, "unit"),
    ("baseline_period", "Kỳ gốc", 10, None),
    ("expected_now", "Kỳ vọng đến nay", 13, "unit"),
    ("gap", "Còn thiếu so với mục tiêu", 13, "unit"),
    ("progress_ratio", "Tỷ số tiến độ", 11, "0.00"),
    ("status_vi", "Tình trạng", 18, None),
    ("methods_disagree_vi", "Hai phương pháp khác nhau", 12, None),
    ("method_note", "Cách tính / ghi chú", 80, None),
)
_UNIT_FORMATS = {"%": '0.0"%"', "count": "#,##0", "index": "0.00", "other": "0.00"}

_TITLE = Font(bold=True, size=13)
_HEADER = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_WARN = Font(bold=True, color="C00000")


def _fill(status: str) -> PatternFill:
    return PatternFill("solid", fgColor=STATUS_COLOURS.get(status, "FFFFFF"))


def _status_font(status: str) -> Font:
    return Font(bold=True, color="FFFFFF" if status in DARK_STATUSES else "000000")


@dataclass(frozen=True)
class _Heading:
    """What every sheet states under its title: the period, the date made, the label."""

    period: Period
    illustrative: bool
    made_on: date
    areas: Mapping[str, str]  # letter → name of the plan's areas


# Every cell is written with put: a name or note from the plan or a unit stays text.
def _title_rows(ws: Worksheet, title: str, heading: _Heading) -> None:
    put(ws, 1, 1, title).font = _TITLE
    made = f"{heading.period.label_vi} · lập ngày {fmt_date(heading.made_on)}"
    if heading.illustrative:
        put(ws, 2, 1, f"{config.ILLUSTRATIVE_LABEL.upper()} — {made}").font = _WARN
    else:
        put(ws, 2, 1, made)


def _header(ws: Worksheet, row: int, headers: list[str], widths: list[int]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(ws, row, column, text)
        cell.font, cell.fill, cell.alignment = _HEADER, _HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(column)].width = width


def _cell_value(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _status_sheet(ws: Worksheet, status: pd.DataFrame, heading: _Heading) -> None:
    _title_rows(ws, "Phụ lục: Tình trạng thực hiện chỉ tiêu so với các mốc kế hoạch", heading)
    table = status.copy()
    table["area_vi"] = table["area"].map(lambda a: f"{a}) {heading.areas.get(a, '')}")
    table["target_shown"] = [
        fmt_target(r.comparator, r.target, r.value_max, r.unit) if r.comparator else "định tính"
        for r in table.itertuples(index=False)
    ]
    table["methods_disagree_vi"] = table["methods_disagree"].map({True: "có", False: ""})
    header_row = 3
    _header(
        ws, header_row, [h for _, h, _, _ in STATUS_LAYOUT], [w for _, _, w, _ in STATUS_LAYOUT]
    )
    status_column = next(i for i, (c, *_) in enumerate(STATUS_LAYOUT, 1) if c == "status_vi")
    for r, record in enumerate(table.to_dict("records"), start=header_row + 1):
        unit_format = _UNIT_FORMATS.get(record["unit"], "0.00")
        for c, (column, _, _, number_format) in enumerate(STATUS_LAYOUT, start=1):
            value = _cell_value(record[column])
            if record["kind"] == "milestone" and column in (
                "value",
                "baseline",
                "expected_now",
                "gap",
            ):
                value = None
            cell = put(ws, r, c, value)
            if number_format == "unit":
                cell.number_format = unit_format
            elif number_format:
                cell.number_format = number_format
            if column in ("name_vi", "method_note"):
                cell.alignment = WRAP
        status_cell = ws.cell(row=r, column=status_column)
        status_cell.fill, status_cell.font = _fill(record["status"]), _status_font(record["status"])
    last_row = header_row + max(len(table), 1)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(STATUS_LAYOUT))}{last_row}"


def _history_sheet(
    ws: Worksheet, history: pd.DataFrame, status: pd.DataFrame, heading: _Heading
) -> None:
    _title_rows(ws, "Diễn biến tình trạng qua các kỳ (theo số liệu đã biết tại từng kỳ)", heading)
    periods = list(dict.fromkeys(history["period"]))
    names = status.drop_duplicates("indicator_id").set_index("indicator_id")["name_vi"]
    keys = history[["indicator_id", "milestone_year"]].drop_duplicates()
    header_row = 3
    _header(
        ws,
        header_row,
        ["Mã chỉ tiêu", "Tên chỉ tiêu", "Mốc", *periods],
        [24, 48, 8, *[16] * len(periods)],
    )
    lookup = history.set_index(["indicator_id", "milestone_year", "period"])["status"]
    lookup = lookup[~lookup.index.duplicated(keep="last")]
    for r, key in enumerate(keys.itertuples(index=False), start=header_row + 1):
        put(ws, r, 1, key.indicator_id)
        put(ws, r, 2, names.get(key.indicator_id, "")).alignment = WRAP
        put(ws, r, 3, int(key.milestone_year))
        for c, code in enumerate(periods, start=4):
            state = lookup.get((key.indicator_id, key.milestone_year, code))
            if state is None:
                continue
            cell = put(ws, r, c, STATUS_LABELS_VI[state])
            cell.fill, cell.font = _fill(state), _status_font(state)
    last_row = header_row + max(len(keys), 1)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(3 + len(periods))}{last_row}"


_METHOD_LINES = (
    "Mỗi chỉ tiêu có một dòng cho mốc kế tiếp, thêm một dòng cho mỗi mốc trước đó chưa đạt.",
    "Đạt: giá trị mới nhất thỏa mục tiêu (≥, >, khoảng), kể cả đạt sớm mốc sau.",
    "Chỉ tiêu tỷ lệ/tích lũy: tỷ số R = tăng trưởng bình quân năm thực tế / tăng trưởng cần có "
    "(phương pháp Thống kê Canada, Open SDG). R ≥ 0,95: đúng tiến độ; 0,60 ≤ R < 0,95: cần đẩy "
    "nhanh; 0 ≤ R < 0,60: chậm tiến độ; R < 0: đi xuống.",
    "Kèm theo tỷ lệ quãng đường thẳng đã đi được; khi hai cách khác nhau, cột 'Hai phương pháp "
    "khác nhau' ghi 'có'. Khi kỳ gốc hoặc mục tiêu bằng 0, cách đường thẳng quyết định.",
    "Chỉ tiêu đếm theo năm: lũy kế từ đầu năm so với phần tương ứng của chỉ tiêu năm "
    "(quý III: 75%); cuối năm: đạt hoặc quá hạn chưa đạt.",
    "Chỉ tiêu định tính: giai đoạn báo cáo (chưa triển khai / đang triển khai / hoàn thành) so "
    "với thời gian còn lại đến hạn.",
    "Chi tiết công thức và ví dụ: docs/methodology.md.",
)


def _method_sheet(ws: Worksheet, heading: _Heading) -> None:
    _title_rows(ws, "Cách đọc phụ lục", heading)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    row = 4
    for status, label in STATUS_LABELS_VI.items():
        cell = put(ws, row, 1, label)
        cell.fill, cell.font = _fill(status), _status_font(status)
        row += 1
    row += 1
    for line in _METHOD_LINES:
        put(ws, row, 1, "•")
        put(ws, row, 2, line).alignment = WRAP
        row += 1


def build_workbook(
    status: pd.DataFrame,
    history: pd.DataFrame,
    period: Period | str,
    illustrative: bool = False,
    *,
    made_on: date,
    areas: Mapping[str, str],
    tasks: TaskResult | None = None,
) -> Workbook:
    """The appendix as an openpyxl workbook (not yet saved); ``made_on`` is printed on it.

    With ``tasks``, the tasks' sheets follow the targets' (one sheet per table).
    """
    heading = _Heading(Period.parse(period), illustrative, made_on, areas)
    workbook = Workbook()
    _status_sheet(workbook.active, status, heading)
    workbook.active.title = STATUS_SHEET
    _history_sheet(workbook.create_sheet(HISTORY_SHEET), history, status, heading)
    if tasks is not None:
        add_task_sheets(workbook, tasks, first_row=3)
        for name, title in SHEET_TITLES.items():
            _title_rows(workbook[name], title, heading)
    _method_sheet(workbook.create_sheet(METHOD_SHEET), heading)
    return workbook


def write_appendix(
    status: pd.DataFrame,
    history: pd.DataFrame,
    target: Path | str,
    period: Period | str,
    illustrative: bool = False,
    *,
    made_on: date,
    areas: Mapping[str, str],
    tasks: TaskResult | None = None,
) -> Path:
    """Write the appendix atomically to ``target`` (.xlsx) and return its path; the areas
    (letter → name) are the plan's."""
    workbook = build_workbook(
        status, history, period, illustrative, made_on=made_on, areas=areas, tasks=tasks
    )
    with atomic_path(target) as tmp:
        workbook.save(tmp)
    return Path(target)
