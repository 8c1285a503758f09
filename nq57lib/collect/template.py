"""Excel collection templates: one workbook per reporting unit and period.

The sheet "Số liệu" lists the unit's indicators with input cells for value,
numerator/denominator, status, evidence and note; data validation guards the
inputs and the structure is locked so that :mod:`nq57lib.collect.ingest` reads the
returned workbook without guessing. An instructions sheet explains it in Vietnamese.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from nq57lib.collect.assignments import current_assignments
from nq57lib.collect.task_templates import add_task_sheet, unit_tasks
from nq57lib.collect.units import (
    ReportingUnit,
    ReportingUnits,
    load_reporting_units,
    project_indicators,
)
from nq57lib.core.atomic import atomic_path
from nq57lib.core.errors import ValidationError
from nq57lib.core.fmt import fmt_date
from nq57lib.core.periods import Period
from nq57lib.core.profile import Profile
from nq57lib.core.project import Project
from nq57lib.core.vocab import STAGE_LABELS_VI, UNIT_NAMES_VI, capital
from nq57lib.core.workbooks import BOX, HEADER_FILL, INPUT_FILL, put
from nq57lib.plan.registry import Indicator, Registry

HEADINGS = (
    "STT",
    "Mã chỉ tiêu",
    "Tên chỉ tiêu",
    "Đơn vị tính",
    "Cách báo cáo",
    "Giá trị",
    "Tử số",
    "Mẫu số",
    "Trạng thái",
    "Minh chứng",
    "Ghi chú",
)
WIDTHS = (5, 30, 60, 12, 36, 12, 10, 10, 18, 30, 30)
HEADER_ROW = 6
DATA_SHEET = "Số liệu"
VALUE_COL, NUM_COL, DEN_COL, STATUS_COL, EVIDENCE_COL, NOTE_COL = 6, 7, 8, 9, 10, 11

_CLOSED = PatternFill("solid", fgColor="E7E6E6")

TITLE = "BIỂU THU THẬP SỐ LIỆU THỰC HIỆN KẾ HOẠCH {plan} (NGHỊ QUYẾT 57-NQ/TW)"
# "{level}": phường, xã or đặc khu, from the ward profile.
INSTRUCTIONS = (
    "HƯỚNG DẪN NHẬP SỐ LIỆU",
    "1. Chỉ nhập vào các ô màu vàng của trang “Số liệu”; không thêm, xóa hay đổi thứ tự dòng, cột.",
    "2. Chỉ tiêu tỷ lệ (%): nhập số từ 0 đến 100 (ví dụ 85,5), hoặc nhập tử số và mẫu số để hệ "
    "thống tự tính.",
    "3. Chỉ tiêu số lượng ghi “Số phát sinh trong kỳ”: chỉ nhập số phát sinh trong kỳ báo cáo, "
    "KHÔNG cộng dồn từ đầu năm. Chỉ tiêu “Số lũy kế”: nhập tổng số đến cuối kỳ.",
    "4. Chỉ tiêu định tính: chọn trạng thái trong danh sách: chưa triển khai / đang triển khai / "
    "hoàn thành; ghi minh chứng (số văn bản, ngày) ở cột Minh chứng.",
    "5. Không có số liệu thì để trống ô và ghi lý do ở cột Ghi chú.",
    "6. Lưu tệp dạng .xlsx, không đặt mật khẩu, gửi về Văn phòng HĐND và UBND {level} đúng hạn.",
)


def _how_to_report(indicator: Indicator) -> str:
    if indicator.kind == "milestone":
        return "Chọn trạng thái; ghi minh chứng"
    if indicator.kind == "flow":
        return "Số phát sinh trong kỳ (không cộng dồn từ đầu năm)"
    if indicator.kind == "stock":
        return "Số lũy kế đến cuối kỳ"
    if indicator.unit == "%":
        return "Tỷ lệ % (0–100) tại cuối kỳ, hoặc tử số/mẫu số"
    return "Giá trị tại cuối kỳ"


def _select_units(units: ReportingUnits, unit: str | None) -> list[ReportingUnit]:
    if not unit:
        return list(units)
    found = units.get(unit)
    if found is None:
        choices = "; ".join(f"{u.code} ({u.name_vi})" for u in units)
        raise ValidationError(
            "Đơn vị báo cáo",
            [f"“{unit}” không có trong reporting_units.yaml; chọn một trong: {choices}"],
        )
    return [found]


def _validations(ws) -> dict[str, DataValidation]:
    rules = {
        "%": DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            errorTitle="Tỷ lệ không hợp lệ",
            error="Nhập số từ 0 đến 100.",
        ),
        "count": DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorTitle="Số lượng không hợp lệ",
            error="Nhập số nguyên không âm.",
        ),
        "index": DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            errorTitle="Chỉ số không hợp lệ",
            error="Nhập số không âm.",
        ),
        "status": DataValidation(
            type="list",
            formula1='"' + ",".join(STAGE_LABELS_VI.values()) + '"',
            errorTitle="Trạng thái không hợp lệ",
            error="Chọn trạng thái trong danh sách.",
        ),
    }
    for rule in rules.values():
        rule.showErrorMessage = True
        ws.add_data_validation(rule)
    return rules


def build_template(
    period: Period, unit: ReportingUnit, registry: Registry, profile: Profile
) -> Workbook:
    """The workbook for one unit and period (not yet saved), titled with the plan of
    ``profile`` (the project's ward profile)."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    last_col = get_column_letter(len(HEADINGS))
    top = [
        TITLE.format(plan=profile.plan_number.upper()),
        f"Đơn vị báo cáo: {unit.name_vi}",
        f"Kỳ báo cáo: {period.label_vi} ({period.code}), từ {fmt_date(period.start)} "
        f"đến {fmt_date(period.end)}",
        "Chỉ nhập vào các ô màu vàng; xem trang “Hướng dẫn”.",
    ]
    for row, text in enumerate(top, 1):
        put(ws, row, 1, text).font = Font(bold=row <= 3, size=13 if row == 1 else 11)
        ws.merge_cells(f"A{row}:{last_col}{row}")
    for column, (heading, width) in enumerate(zip(HEADINGS, WIDTHS, strict=True), 1):
        cell = put(ws, HEADER_ROW, column, heading)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(column)].width = width
    rules = _validations(ws)
    indicators = [registry[i] for i in unit.indicators if i in registry]
    for offset, indicator in enumerate(indicators):
        row = HEADER_ROW + 1 + offset
        fixed = (
            offset + 1,
            indicator.id,
            indicator.name_vi,
            capital(UNIT_NAMES_VI[indicator.unit]),
            _how_to_report(indicator),
        )
        for column, value in enumerate(fixed, 1):
            cell = put(ws, row, column, value)  # a provisional name is the plan's words
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        inputs = _input_columns(indicator)
        for column in range(VALUE_COL, NOTE_COL + 1):
            cell = ws.cell(row=row, column=column)
            cell.border = BOX
            open_cell = column in inputs
            cell.fill = INPUT_FILL if open_cell else _CLOSED
            cell.protection = Protection(locked=not open_cell)
        if indicator.qualitative:
            rules["status"].add(ws.cell(row=row, column=STATUS_COL))
        elif indicator.unit in rules:  # a figure in some "other" unit has no fixed range
            rules[indicator.unit].add(ws.cell(row=row, column=VALUE_COL))
            if indicator.unit == "%":
                rules["count"].add(ws.cell(row=row, column=NUM_COL))
                rules["count"].add(ws.cell(row=row, column=DEN_COL))
    footer = HEADER_ROW + len(indicators) + 2
    put(ws, footer, 2, "Người lập biểu").font = Font(bold=True)
    put(ws, footer, 9, "Thủ trưởng đơn vị").font = Font(bold=True)
    put(ws, footer + 1, 2, "(Ký, ghi rõ họ tên)")
    put(ws, footer + 1, 9, "(Ký, ghi rõ họ tên)")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    guide = wb.create_sheet("Hướng dẫn")
    for row, text in enumerate(INSTRUCTIONS, 1):
        put(guide, row, 1, text.replace("{level}", profile.level)).font = Font(bold=row == 1)
    guide.column_dimensions["A"].width = 120
    guide.protection.sheet = True
    wb.security.lockStructure = True
    return wb


def _input_columns(indicator: Indicator) -> set[int]:
    if indicator.qualitative:
        return {STATUS_COL, EVIDENCE_COL, NOTE_COL}
    if indicator.unit == "%":
        return {VALUE_COL, NUM_COL, DEN_COL, EVIDENCE_COL, NOTE_COL}
    return {VALUE_COL, EVIDENCE_COL, NOTE_COL}


def write_templates(
    project: Project,
    period: str | Period,
    out_dir: Path | str,
    unit: str | None = None,
    registry: Registry | None = None,
    units: ReportingUnits | None = None,
) -> list[Path]:
    """Write ``<out_dir>/<unit-slug>-<period>.xlsx`` for every unit of ``project`` (or
    only ``unit``); ``registry`` and ``units`` default to the project's.

    When the project's assignment register (``<raw>/phan-cong/``) assigns tasks to a unit,
    its workbook gets a "Nhiệm vụ" sheet listing them. A unit that owes neither an
    indicator nor a task gets no workbook.
    """
    period = Period.parse(period)
    # The plan's provisional indicators (new:…) are collected like the reviewed ones.
    if registry is None:
        registry, own_units = project_indicators(project)
        units = units or own_units
    units = units or load_reporting_units(project.units_path, registry)
    chosen_units = _select_units(units, unit)
    catalogue, assignments = current_assignments(
        project.raw_dir, units, project.plan_path, project.profile.plan_date
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for chosen in chosen_units:
        target = out_dir / f"{chosen.slug}-{period.code}.xlsx"
        mine = unit_tasks(chosen, assignments)
        if not chosen.indicators and not len(mine):
            continue  # the ward's plan asks this unit for nothing: no workbook to fill
        workbook = build_template(period, chosen, registry, project.profile)
        if catalogue is not None and len(mine):
            add_task_sheet(workbook, chosen, period, mine, catalogue)
            if not chosen.indicators:
                del workbook[DATA_SHEET]  # a unit that reports only on tasks: no empty table
        with atomic_path(target) as tmp:
            workbook.save(tmp)
        written.append(target)
    return written
