"""Workbooks for the tasks: the blank assignment register and a unit's "Nhiệm vụ" sheet.

The register lists every task, activity and duty of the plan; the ward office fills the
lead unit (a dropdown of the units), the coordinating units, the deadline and the product.
A unit's period workbook gets a "Nhiệm vụ" sheet listing the tasks it leads or helps with,
code and text pre-filled, with a dropdown for the state. Codes are written as text, so that
"3.10" never becomes the number 3.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from nq57lib.collect.plan_assignments import plan_leads
from nq57lib.collect.units import ReportingUnit, ReportingUnits
from nq57lib.core.atomic import atomic_path
from nq57lib.core.deadlines import FORMS_HINT
from nq57lib.core.periods import Period
from nq57lib.core.vocab import TASK_KIND_LABELS_VI, TASK_STATE_LABELS_VI
from nq57lib.core.workbooks import BOX, HEADER_FILL, INPUT_FILL, WRAP, put
from nq57lib.plan.tasks import TaskCatalogue

TASK_SHEET = "Nhiệm vụ"
REGISTER_SHEET = "Phân công"
UNITS_SHEET = "Đơn vị"
REGISTER_HEADINGS = (
    "Mã nhiệm vụ", "Loại", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
    "Thời hạn", "Sản phẩm", "Nguồn",
)  # fmt: skip
REGISTER_WIDTHS = (12, 14, 80, 30, 30, 22, 30, 16)
FROM_PLAN = "Theo kế hoạch"
# Cells taken from the plan's own table: the office checks them rather than typing them.
PLAN_FILL = PatternFill("solid", fgColor="E2EFDA")
TASK_HEADINGS = (
    "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Vai trò", "Thời hạn", "Tình trạng", "Ngày hoàn thành",
    "Kết quả thực hiện", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị",
)  # fmt: skip
TASK_WIDTHS = (12, 70, 10, 16, 18, 16, 40, 35, 35)
HEADER_ROW = 5


def _heading_row(ws, headings: Sequence[str], widths: Sequence[float]) -> None:
    for column, (text, width) in enumerate(zip(headings, widths, strict=True), 1):
        cell = put(ws, HEADER_ROW, column, text)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)


def _title(ws, lines: Sequence[str], width: int) -> None:
    for row, text in enumerate(lines, 1):
        put(ws, row, 1, text).font = Font(bold=row == 1, size=13 if row == 1 else 11)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def build_register_template(catalogue: TaskCatalogue, units: ReportingUnits) -> Workbook:
    """The register to fill: every task, activity and duty, with input cells; where the
    plan's own table assigns a task, its lead, support units, deadline and product are
    filled in from the plan, shaded and marked "Theo kế hoạch"."""
    wb = Workbook()
    ws = wb.active
    ws.title = REGISTER_SHEET
    _title(
        ws,
        [
            "PHỤ LỤC PHÂN CÔNG NHIỆM VỤ THỰC HIỆN KẾ HOẠCH",
            "Chọn đơn vị chủ trì trong danh sách; ghi các đơn vị phối hợp cách nhau bằng dấu “;”.",
            f"Thời hạn: {FORMS_HINT}. Để trống đơn vị chủ trì của một hoạt động thì hoạt động "
            "được theo dõi cùng nhiệm vụ cấp trên. Dòng tô xanh, ghi “Theo kế hoạch”: lấy từ "
            "bảng phân công của kế hoạch, đề nghị kiểm tra.",
        ],
        len(REGISTER_HEADINGS),
    )
    _heading_row(ws, REGISTER_HEADINGS, REGISTER_WIDTHS)
    names = wb.create_sheet(UNITS_SHEET)
    put(names, 1, 1, "Tên đơn vị").font = Font(bold=True)
    for row, unit in enumerate(units, 2):
        put(names, row, 1, unit.name_vi)
    names.column_dimensions["A"].width = 45
    # A list over a range: unit names hold commas, which an inline list would split.
    choose = DataValidation(
        type="list",
        formula1=f"'{UNITS_SHEET}'!$A$2:$A${len(units) + 1}",
        allow_blank=True,
        errorTitle="Đơn vị không có trong danh sách",
        error="Chọn đơn vị trong danh sách (trang “Đơn vị”).",
        showErrorMessage=True,
    )
    ws.add_data_validation(choose)
    planned = {lead.task_id: lead for lead in plan_leads(catalogue, units)}
    for offset, task in enumerate(catalogue.tasks.itertuples(index=False), 1):
        row = HEADER_ROW + offset
        for column, value in enumerate(
            (task.task_id, TASK_KIND_LABELS_VI[task.kind], task.text), 1
        ):
            put(ws, row, column, value).alignment = WRAP
        lead = planned.get(task.task_id)
        for column in range(4, len(REGISTER_HEADINGS) + 1):
            cell = ws.cell(row=row, column=column)
            cell.fill, cell.border = (PLAN_FILL if lead else INPUT_FILL), BOX
        choose.add(ws.cell(row=row, column=4))
        if lead is not None:
            values = (
                lead.lead.name_vi if lead.lead is not None else task.lead_text,
                "; ".join(lead.partners),
                task.deadline_text,
                task.product,
                FROM_PLAN,
            )
            for column, value in enumerate(values, 4):
                if value:
                    put(ws, row, column, value).alignment = WRAP
    return wb


def write_register_template(
    catalogue: TaskCatalogue, units: ReportingUnits, out_dir: Path | str
) -> Path:
    """Write ``<out_dir>/phan-cong-nhiem-vu.xlsx`` (the blank register) atomically."""
    target = Path(out_dir) / "phan-cong-nhiem-vu.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        build_register_template(catalogue, units).save(tmp)
    return target


def unit_tasks(unit: ReportingUnit, assignments: pd.DataFrame) -> pd.DataFrame:
    """The tasks ``unit`` leads, then those it helps with: ``task_id, role, deadline_text``."""
    lead = assignments[assignments["lead_unit"] == unit.code].assign(role="Chủ trì")
    helps = assignments[
        assignments["coordinators"].fillna("").str.split("; ").map(lambda c: unit.code in c)
        & (assignments["lead_unit"] != unit.code)
    ].assign(role="Phối hợp")
    return pd.concat([lead, helps], ignore_index=True)[["task_id", "role", "deadline_text"]]


def add_task_sheet(
    wb: Workbook, unit: ReportingUnit, period: Period, mine: pd.DataFrame, catalogue: TaskCatalogue
) -> None:
    """The "Nhiệm vụ" sheet of a unit's period workbook (``mine`` from :func:`unit_tasks`)."""
    ws = wb.create_sheet(TASK_SHEET, 1)
    _title(
        ws,
        [
            "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ, GIẢI PHÁP",
            f"Đơn vị báo cáo: {unit.name_vi}",
            f"Kỳ báo cáo: {period.label_vi} ({period.code})",
            "Chọn tình trạng; nhiệm vụ đã hoàn thành ghi ngày hoàn thành (dd/mm/yyyy).",
        ],
        len(TASK_HEADINGS),
    )
    _heading_row(ws, TASK_HEADINGS, TASK_WIDTHS)
    state = DataValidation(
        type="list",
        formula1='"' + ",".join(TASK_STATE_LABELS_VI.values()) + '"',
        allow_blank=True,
        errorTitle="Tình trạng không hợp lệ",
        error="Chọn tình trạng trong danh sách.",
        showErrorMessage=True,
    )
    when = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2=f"DATE({period.end.year},{period.end.month},{period.end.day})",
        allow_blank=True,
        errorTitle="Ngày hoàn thành không hợp lệ",
        error="Nhập một ngày, không muộn hơn ngày cuối kỳ báo cáo.",
        showErrorMessage=True,
    )
    ws.add_data_validation(state)
    ws.add_data_validation(when)
    for offset, task in enumerate(mine.itertuples(index=False), 1):
        row = HEADER_ROW + offset
        fixed = (task.task_id, catalogue.text_of(task.task_id), task.role, task.deadline_text)
        for column, value in enumerate(fixed, 1):
            cell = put(ws, row, column, value)
            cell.alignment, cell.border = WRAP, BOX
        for column in range(5, len(TASK_HEADINGS) + 1):
            cell = ws.cell(row=row, column=column)
            cell.fill, cell.border, cell.alignment = INPUT_FILL, BOX, WRAP
        state.add(ws.cell(row=row, column=5))
        when.add(ws.cell(row=row, column=6))
        ws.cell(row=row, column=6).number_format = "DD/MM/YYYY"
